import { type Ctx, type GlobalOptions, type Io, makeCtx } from '../commands/shared/context.js';
import type { Runner } from '../commands/shared/kit.js';
import { builtinEnvironments, DEFAULT_MOCK_ISSUER, ENV_VARS } from '../config/settings.js';
import { TogoError } from '../errors.js';

// biome-ignore lint/suspicious/noExplicitAny: each body has its own argument list, typed in its run.ts
type Body = (ctx: Ctx, ...args: any[]) => Promise<number>;

const bodies: Record<string, () => Promise<Body>> = {
  api: async () => (await import('../commands/api/run.js')).apiCommand,
  callback: async () => (await import('../commands/callback/run.js')).callbackCommand,
  check: async () => (await import('../commands/check/run.js')).checkCommand,
  completion: async () => (await import('../commands/completion/run.js')).completionCommand,
  config: async () => (await import('../commands/config/run.js')).configCommand,
  conformance: async () => (await import('../commands/conformance/run.js')).conformanceCommand,
  decode: async () => (await import('../commands/decode/run.js')).decodeCommand,
  demo: async () => (await import('../commands/demo/run.js')).demoCommand,
  discover: async () => (await import('../commands/discover/run.js')).discoverCommand,
  'inspect-url': async () => (await import('../commands/inspect-url/run.js')).inspectUrlCommand,
  introspect: async () => (await import('../commands/introspect/run.js')).introspectCommand,
  login: async () => (await import('../commands/login/run.js')).loginCommand,
  'login-url': async () => (await import('../commands/login-url/run.js')).loginUrlCommand,
  logout: async () => (await import('../commands/logout/run.js')).logoutCommand,
  'logout-url': async () => (await import('../commands/logout/run.js')).logoutUrlCommand,
  mock: async () => (await import('../commands/mock/run.js')).mockCommand,
  revoke: async () => (await import('../commands/revoke/run.js')).revokeCommand,
  sessions: async () => (await import('../commands/sessions/run.js')).sessionsCommand,
  token: async () => (await import('../commands/token/run.js')).tokenCommand,
  userinfo: async () => (await import('../commands/userinfo/run.js')).userinfoCommand,
};

export function makeRunner(io: Io, onExit: (code: number) => void): Runner {
  return {
    io,
    async run(cmd, name, args) {
      const load = Object.hasOwn(bodies, name) ? bodies[name] : undefined;
      if (!load) throw new TogoError('INTERNAL', `no body for the command ${name}`);
      const body = await load();
      const ctx = await makeCtx(io, cmd.optsWithGlobals<GlobalOptions>());
      try {
        onExit(await body(ctx, ...args));
      } catch (error) {
        throw withMockHint(error, io.env);
      } finally {
        await ctx.cleanup();
      }
    },
  };
}

/**
 * A refused connection to the mock environment's address: the emulator is not running there. Say
 * how to start it, and the one command that points `--env mock` at one on another port.
 */
function withMockHint(error: unknown, env: Record<string, string | undefined>): unknown {
  if (!(error instanceof TogoError) || error.code !== 'NET_REFUSED') return error;
  const url = error.details?.url;
  const mock = builtinEnvironments(env).mock?.issuer ?? DEFAULT_MOCK_ISSUER;
  try {
    if (typeof url !== 'string' || new URL(url).origin !== new URL(mock).origin) return error;
  } catch {
    return error;
  }
  return new TogoError(error.code, error.message, {
    cause: error.cause,
    ...(error.details ? { details: error.details } : {}),
    hint: `The emulator is not running at ${mock}: start it with \`togo mock\`. One on another port: export ${ENV_VARS.mockIssuer}=http://127.0.0.1:<port>/identity (the command \`togo mock\` prints).`,
  });
}
