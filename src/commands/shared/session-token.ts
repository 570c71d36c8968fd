/**
 * Which token a run uses, one function for `togo token`, `api` and `userinfo`: the stored session's
 * token while it has enough time left (no network request at all), else a refresh with its refresh
 * token (one run at a time, under a lock beside the session), else, when asked for, a new token
 * from the client_credentials grant.
 *
 * This module is the store's fast path and stays small: a token served from the store loads no HTTP
 * client, no verifier and no provider code. What goes on the network is in session-refresh.ts, its
 * own bundle (scripts/build.mjs), loaded only when the store cannot serve.
 */
import type { ConfigOptionValues } from '../../config/resolve.js';
import { TogoError } from '../../errors.js';
import type { ClientAuthFlags } from './client-auth-flags.js';
import { settingsWhere } from './config-where.js';
import type { Ctx } from './context.js';
import { findStoredSession, storeDir } from './store.js';
import { fromStore, notLoggedIn, type Served, type TokenNeed, type Who } from './stored-token.js';

export type { Served, ServedKind, ServedSource, TokenNeed, Who } from './stored-token.js';

/** The seconds a stored token must have left before api and userinfo send it: as `togo token`'s default. */
export const DEFAULT_MIN_TTL_SECONDS = 60;

/** The issuer, client and secret in effect for this run; refuses a missing issuer or client id. */
export async function resolveWho(
  ctx: Ctx,
  configValues: ConfigOptionValues,
  auth: ClientAuthFlags = {},
): Promise<Who> {
  const { resolveConfig } = await import('../../config/load.js');
  const { clientSecretOf, howToSet } = await import('../../config/resolve.js');
  const { note: _note, ...where } = settingsWhere(ctx);
  const resolved = await resolveConfig({ flags: configValues, ...where });
  const s = resolved.settings;
  if (!s.issuer) throw new TogoError('SETTING_MISSING', 'no issuer', { hint: howToSet('issuer') });
  if (!s.clientId) throw new TogoError('SETTING_MISSING', 'no client id', { hint: howToSet('clientId') });
  const secret = clientSecretOf(resolved);
  if (auth.clientKey !== undefined) {
    const { assertKeyIssuerTrusted } = await import('./client-key.js');
    assertKeyIssuerTrusted(auth, resolved, configValues.trustDirectoryConfig);
  }
  const scopeGiven = configValues.scope ?? ctx.env.TOGO_SCOPE;
  return {
    issuer: s.issuer,
    clientId: s.clientId,
    scope: s.scope,
    flavor: s.flavor,
    ...(secret ? { clientSecret: secret } : {}),
    // The login to suggest names the environment only when one was chosen, not the default.
    ...(s.environment && resolved.sources.environment?.kind !== 'default' && !configValues.issuer
      ? { env: s.environment }
      : {}),
    ...(scopeGiven ? { scopeGiven } : {}),
    ...(s.grant === 'client_credentials' ? { grant: 'client_credentials' as const } : {}),
  };
}

/**
 * The token for `who`: from the store when it has at least `minTtlSeconds` left, else refreshed
 * with the stored refresh token (under the session's lock), else from the client_credentials grant
 * when asked for (the flag, or `grant: client_credentials` in the environment), else
 * SESSION_NOT_FOUND (exit 4) naming the login to run.
 */
export async function sessionToken(ctx: Ctx, who: Who, need: TokenNeed): Promise<Served> {
  const dir = storeDir(ctx.env);
  const stored = dir ? findStoredSession(dir, who.issuer, who.clientId) : undefined;
  if (stored && !need.refresh) {
    const fresh = await fromStore(stored, need.use, ctx.now(), need.minTtlSeconds * 1000);
    if (fresh) return fresh;
  }
  const machine = need.clientCredentials === true || who.grant === 'client_credentials';
  if (stored?.file.tokens.refresh_token || machine) {
    const { renewToken } = await import('./session-refresh.js');
    return renewToken(ctx, who, need, { dir, stored, machine });
  }
  throw notLoggedIn(
    who,
    stored
      ? `the stored session's ${need.use.replace('_', ' ')} has less than ${need.minTtlSeconds} s left, and it holds no refresh token`
      : `no stored session for ${who.issuer} and client ${who.clientId}`,
  );
}
