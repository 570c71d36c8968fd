import { commands, findCommand } from '../commands/index.js';
import { type GlobalOptions, type Io, makeCtx } from '../commands/shared/context.js';
import type { Runner } from '../commands/shared/kit.js';
import { builtinEnvironments, DEFAULT_MOCK_ISSUER, ENV_VARS } from '../config/settings.js';
import { TogoError } from '../errors.js';

export function makeRunner(io: Io, onExit: (code: number) => void): Runner {
  return {
    io,
    commands,
    async load(name) {
      const entry = findCommand(name);
      if (!entry) throw new TogoError('INTERNAL', `no body for the command ${name}`);
      return entry.body();
    },
    async run(cmd, name, args) {
      const body = await this.load(name);
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
