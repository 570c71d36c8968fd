import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DEFAULT_MOCK_ISSUER, ENV_VARS } from '../../config/settings.js';
import { type ErrorCode, TogoError } from '../../errors.js';
import { validateClientsShape } from '../../mock/clients.js';
import { parseFaults } from '../../mock/faults.js';
import type { MockProvider } from '../../mock/types.js';
import { validateUsers } from '../../mock/users.js';
import { type Cell, lines, t } from '../../ui/safe.js';
import { hang } from '../../ui/table.js';
import type { Ctx } from '../shared/context.js';
import type { MockFlags } from './command.js';

async function readJson(ctx: Ctx, file: string, code: ErrorCode): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(resolve(ctx.cwd, file), 'utf8');
  } catch (err) {
    throw new TogoError(
      'INPUT_UNREADABLE',
      `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? err}`,
      {
        cause: err,
      },
    );
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new TogoError(code, `${file} is not JSON: ${(err as Error).message}`, { cause: err });
  }
}

function waitForAbort(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((done) => signal.addEventListener('abort', () => done(), { once: true }));
}

/** The document `--json` prints: everything a test harness needs to point an application at it. */
export function describeMock(mock: MockProvider) {
  return {
    ok: true,
    issuer: mock.issuer,
    discoveryUrl: mock.discoveryUrl,
    jwksUri: mock.jwksUri,
    loginUrl: mock.loginUrl,
    authorizationEndpoint: mock.authorizationEndpoint,
    tokenEndpoint: mock.tokenEndpoint,
    healthUrl: mock.healthUrl,
    port: mock.port,
    clients: mock.clients,
    users: mock.users,
    faults: mock.faults,
    autoLogin: mock.autoLogin ?? null,
  };
}

function printHuman(ctx: Ctx, mock: MockProvider): void {
  const s = ctx.style;
  // Long values (the login page URL) wrap at URL boundaries under their start on a terminal.
  const wrap = (prefix: Cell, value: Cell) => ctx.print(lines(hang(prefix, value, s.columns)));
  const row = (label: string, value: Cell) => wrap(t`  ${s.dim(label.padEnd(11))} `, value);
  ctx.print(s.bold('Togo ID emulator'));
  row('issuer', mock.issuer);
  // Not where the mock environment looks: the one command that points `--env mock` here.
  if (mock.issuer !== (ctx.env[ENV_VARS.mockIssuer]?.trim() || DEFAULT_MOCK_ISSUER))
    row('--env mock', s.cyan(`export ${ENV_VARS.mockIssuer}=${mock.issuer}`));
  row('discovery', mock.discoveryUrl);
  row(
    'login page',
    `${mock.loginUrl}?profile=togo&behaviourProfile=togo&client_id=<client>&ReturnUrl=<authorize URL>`,
  );
  row('health', mock.healthUrl);
  row('faults', mock.faults.length > 0 ? s.yellow(mock.faults.join(', ')) : 'none');
  if (mock.autoLogin) row('auto-login', mock.autoLogin);
  ctx.print(t``);
  ctx.print(s.bold('Clients'));
  for (const c of mock.clients) {
    const auth =
      c.token_endpoint_auth_method === 'none'
        ? 'public'
        : `secret ${c.client_secret ?? '(none)'} (${c.token_endpoint_auth_method})`;
    wrap(t`  ${s.cyan(c.client_id)}  `, `${auth}, ${c.application_type}`);
    wrap(
      t`    redirect URIs  `,
      `${c.redirect_uris.join(', ')}${c.application_type === 'native' ? ' (any loopback port)' : ''}`,
    );
    wrap(t`    response types `, c.response_types.join(', '));
    if (c.post_logout_redirect_uris.length > 0)
      wrap(t`    post-logout    `, c.post_logout_redirect_uris.join(', '));
  }
  ctx.print(t``);
  ctx.print(s.bold('Users'));
  for (const u of mock.users) {
    wrap(t`  ${s.cyan(u.email)}  `, `password ${u.password}${u.name ? `  ${u.name}` : ''}  sub ${u.sub}`);
    if (u.organizations.length > 0) wrap(t`    `, u.organizations.join('; '));
  }
}

export async function mockCommand(ctx: Ctx, flags: MockFlags): Promise<number> {
  if (flags.port > 65535) throw new TogoError('USAGE', `--port takes 0 to 65535, not ${flags.port}`);
  const faults = parseFaults(flags.fault ?? []);
  const users = flags.users
    ? validateUsers(await readJson(ctx, flags.users, 'MOCK_USERS_INVALID'), flags.users)
    : undefined;
  const clients = flags.clients
    ? validateClientsShape(await readJson(ctx, flags.clients, 'MOCK_CLIENTS_INVALID'), flags.clients)
    : undefined;

  const narrate = (message: string) =>
    ctx.note(ctx.styleErr.dim(`${new Date(ctx.now()).toISOString().slice(11, 19)} ${message}`));
  const { start } = await import('../../mock/server.js');
  const mock = await start({
    port: flags.port,
    host: flags.host,
    faults,
    ...(users ? { users } : {}),
    ...(clients ? { clients } : {}),
    ...(flags.autoLogin ? { autoLogin: flags.autoLogin } : {}),
    ...(flags.keys ? { keysFile: resolve(ctx.cwd, flags.keys) } : {}),
    sessionTtl: flags.sessionTtl,
    accessTokenTtl: flags.accessTokenTtl,
    maxSessions: flags.maxSessions,
    onEvent: narrate,
    ...(ctx.debug ? { onDebug: narrate } : {}),
  });
  try {
    if (ctx.json) ctx.printJson(describeMock(mock));
    else printHuman(ctx, mock);
    ctx.note(ctx.styleErr.dim('Serving until Ctrl-C.'));
    // Ctrl-C is how an emulator normally ends: close cleanly and report success.
    await waitForAbort(ctx.signal);
  } finally {
    await mock.close();
  }
  ctx.note(ctx.styleErr.dim('Emulator stopped.'));
  return 0;
}
