/**
 * `togo token --login`: when nothing stored can serve, the login runs first and its token is
 * printed. Loaded only then: the login's bundle is required on this path alone (scripts/build.mjs).
 */
import type { ConfigOptionValues } from '../../config/resolve.js';
import { TogoError } from '../../errors.js';
import type { Ctx } from '../shared/context.js';
import type { Body } from '../shared/kit.js';
import { findStoredSession } from '../shared/store.js';
import { fromStore, type Served, type ServedKind, type Who } from '../shared/stored-token.js';
import type { TokenCommandFlags } from './command.js';

/** `--login`: runs `togo login` for the environment, its output on stderr, then serves what it kept. */
export async function loginFirst(
  ctx: Ctx,
  configValues: ConfigOptionValues,
  who: Who,
  flags: TokenCommandFlags,
  use: ServedKind,
  dir: string | undefined,
  login: () => Promise<Body>,
): Promise<Served> {
  if (!dir) {
    throw new TogoError('SETTING_MISSING', 'no session store: neither XDG_STATE_HOME nor HOME is set', {
      hint: 'Set XDG_STATE_HOME (or HOME): `togo token --login` keeps the login there.',
    });
  }
  ctx.note(ctx.styleErr.dim('Nothing stored can serve: logging in first (--login).'));
  const loginCommand = await login();
  // stdout is the token's alone: the login's verdict goes to stderr.
  const toStderr = { ...ctx, print: ctx.note, printJson: () => undefined, printBytes: () => undefined };
  const code = await loginCommand(toStderr, configValues, {
    pkce: true,
    timeout: flags.timeout,
    ...(flags.ca ? { ca: flags.ca } : {}),
    clockSkew: flags.clockSkew,
    wait: flags.wait,
    store: true,
    ...(flags.clientAuth ? { clientAuth: flags.clientAuth } : {}),
    ...(flags.clientKey !== undefined ? { clientKey: flags.clientKey } : {}),
    ...(flags.open ? { open: true } : {}),
    ...(flags.headless ? { headless: true } : {}),
  });
  if (code !== 0)
    throw new TogoError('CHECKS_FAILED', 'the login did not pass its checks: no token is printed');
  const stored = findStoredSession(dir, who.issuer, who.clientId);
  const fresh = stored ? await fromStore(stored, use, ctx.now(), 0) : undefined;
  if (!fresh) {
    throw new TogoError('TOKEN_MISSING', `the login returned no ${use.replace('_', ' ')}`, {
      hint: 'Choose a response type that returns it (--response-type in the environment).',
    });
  }
  return { ...fresh, source: 'login' };
}
