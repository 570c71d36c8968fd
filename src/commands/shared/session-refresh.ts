/**
 * A new token when the store cannot serve one (session-token.ts): the refresh_token grant with the
 * stored refresh token, one run at a time under the session's lock, else the client_credentials
 * grant. Its own bundle (scripts/build.mjs): a token served from the store never loads it.
 */
import { TogoError } from '../../errors.js';
import { describeClientAuth } from '../../oidc/client-auth.js';
import type { SessionFile } from '../../oidc/session-file.js';
import { t } from '../../ui/safe.js';
import type { Ctx } from './context.js';
import { withLock } from './lock.js';
import { findStoredSession, removeStoredSession, storeSession } from './store.js';
import { expiryOf, fromStore, notLoggedIn, type Served, type TokenNeed, type Who } from './stored-token.js';

type Stored = { path: string; file: SessionFile };

/**
 * Refreshes the stored session when it holds a refresh token, else asks for a machine token
 * (`machine`: --client-credentials or the environment's `grant`), else SESSION_NOT_FOUND.
 */
export async function renewToken(
  ctx: Ctx,
  who: Who,
  need: TokenNeed,
  at: { dir: string | undefined; stored: Stored | undefined; machine: boolean },
): Promise<Served> {
  const { dir, stored } = at;
  if (dir && stored?.file.tokens.refresh_token) {
    return withLock(`${stored.path}.lock`, need.timeout * 1000, ctx.signal, async (waited) => {
      // Another run may have refreshed while this one waited: its result is served, not refreshed again.
      const now = findStoredSession(dir, who.issuer, who.clientId);
      if (!now) throw notLoggedIn(who, 'the stored session was removed while waiting for it');
      if (waited && now.file.tokens.refresh_token !== stored.file.tokens.refresh_token) {
        const fresh = await fromStore(now, need.use, ctx.now(), need.minTtlSeconds * 1000);
        if (fresh) return fresh;
      }
      return refresh(ctx, who, need, now, dir);
    });
  }
  if (at.machine) return clientCredentials(ctx, who, need, dir, stored !== undefined);
  throw notLoggedIn(who, `no stored session for ${who.issuer} and client ${who.clientId}`);
}

/** The pinned provider, the client's credentials and the authentication method to use. */
async function connect(ctx: Ctx, who: Who, need: TokenNeed) {
  const [{ httpFor }, { connectProvider }] = await Promise.all([
    import('./http.js'),
    import('../../provider/keys.js'),
  ]);
  const http = httpFor(ctx, { timeoutMs: need.timeout * 1000, ...(need.ca ? { caFile: need.ca } : {}) });
  const provider = await connectProvider(http, who.issuer);
  const { clientAuthOptions } = await import('./client-key.js');
  const state = {
    ...provider,
    ...(who.clientSecret ? { clientSecret: who.clientSecret } : {}),
    ...(await clientAuthOptions(ctx, need)),
    now: ctx.now,
  };
  const { clientAuthFor } = await import('../../provider/token-endpoint.js');
  const choice = clientAuthFor(state, 'token');
  if (choice.note) ctx.warn(t`${choice.note}`);
  return { provider, state, choice };
}

/**
 * The refresh_token grant (RFC 6749 §6) through the gate's token endpoint. The new tokens replace
 * the stored ones (a rotated refresh token replaces the old; one not rotated is kept). An ID token
 * in the answer is verified as a login's, and must name the user the session was for (OIDC Core
 * §12.2); otherwise the session is removed and refused.
 */
async function refresh(ctx: Ctx, who: Who, need: TokenNeed, stored: Stored, dir: string): Promise<Served> {
  const connected = await connect(ctx, who, need);
  const { dpopFromSession } = await import('../../provider/dpop.js');
  const dpop = await dpopFromSession(stored.file, 'access_token', ctx.now);
  const { postClientForm, tokenEndpointFailure, tokenError } = await import(
    '../../provider/token-endpoint.js'
  );
  const state = { ...connected.state, ...(dpop ? { dpop } : {}) };
  ctx.note(
    ctx.styleErr.dim(
      t`Refreshing the stored session of ${who.clientId} at ${who.issuer} (client authentication: ${describeClientAuth(connected.choice)})…`,
    ),
  );
  const reply = await postClientForm(
    state,
    'token',
    who.clientId,
    { grant_type: 'refresh_token', refresh_token: stored.file.tokens.refresh_token ?? '' },
    connected.choice,
  );
  if (reply.status !== 200) {
    const err = tokenError(reply);
    if (err?.error === 'invalid_grant') {
      // The refresh token is spent (expired, revoked, or used after rotation): the session is over.
      removeStoredSession(stored.path);
      throw new TogoError(
        'SESSION_NOT_FOUND',
        `the provider refused the stored refresh token (invalid_grant${err.description ? `: ${err.description}` : ''}); the stored session is removed`,
        { hint: notLoggedIn(who, '').hint, details: { issuer: who.issuer, clientId: who.clientId } },
      );
    }
    throw tokenEndpointFailure(reply, 'the refresh was refused');
  }
  const { completeTokenResponse } = await import('../../provider/complete-login.js');
  const scope = stored.file.tokens.scope ?? who.scope;
  const result = await completeTokenResponse(
    reply.json,
    reply.cacheControl,
    { issuer: who.issuer, clientId: who.clientId, redirectUri: '', responseType: 'code', scope, state: '' },
    { ...state, now: ctx.now, clockSkew: need.clockSkew },
  );
  const failed = [...result.checks, ...result.idTokens.flatMap((r) => r.verification.checks)].find(
    (c) => c.status === 'fail',
  );
  if (!result.ok || failed) {
    throw new TogoError(
      'TOKEN_INVALID',
      `the refreshed tokens failed a check: ${failed?.message ?? 'see --debug'}; the stored session is kept`,
      { details: { code: failed?.code ?? null } },
    );
  }
  const newSub = result.idTokens.map((r) => r.decoded.payload.sub).find((x) => typeof x === 'string');
  if (newSub !== undefined && stored.file.sub !== undefined && newSub !== stored.file.sub) {
    removeStoredSession(stored.path);
    throw new TogoError(
      'SUB_MISMATCH',
      `the refresh returned an ID token for another user (sub ${JSON.stringify(newSub)}, the session's is ${JSON.stringify(stored.file.sub)}); the stored session is refused and removed`,
      { hint: 'The provider mixed up sessions: log in again, and report it to the provider.' },
    );
  }
  const now = ctx.now();
  const tokens = {
    ...stored.file.tokens,
    ...result.tokens,
    // Not rotated: the old refresh token stays valid (RFC 6749 §6).
    refresh_token: result.tokens.refresh_token ?? stored.file.tokens.refresh_token,
  };
  const expiresIn = result.tokens.expires_in;
  const file: SessionFile = {
    ...stored.file,
    obtainedAt: new Date(now).toISOString(),
    ...(expiresIn !== undefined ? { expiresAt: new Date(now + expiresIn * 1000).toISOString() } : {}),
    tokens,
  };
  if (expiresIn === undefined) delete file.expiresAt;
  const path = await storeSession(dir, { ...file, issuer: who.issuer, clientId: who.clientId });
  const token = tokens[need.use];
  if (!token) {
    throw new TogoError('TOKEN_MISSING', `the refresh returned no ${need.use} and the session holds none`, {
      hint: need.use === 'id_token' ? 'Log in with scope openid to get an ID token.' : 'Log in again.',
    });
  }
  return {
    token,
    tokenType: need.use === 'id_token' ? 'id_token' : (tokens.token_type ?? 'Bearer'),
    expiresAt: await expiryOf(file, need.use),
    source: 'refresh',
    clientAuth: connected.choice.method,
    ...(tokens.scope ? { scope: tokens.scope } : {}),
    session: { path, file },
  };
}

/** The client_credentials grant (RFC 6749 §4.4) for a confidential client. */
async function clientCredentials(
  ctx: Ctx,
  who: Who,
  need: TokenNeed,
  dir: string | undefined,
  hasUserSession: boolean,
): Promise<Served> {
  if (need.use === 'id_token') {
    throw new TogoError('USAGE', 'the client_credentials grant returns no ID token', {
      hint: 'Use the access token (the default), or log in for an ID token.',
    });
  }
  if (!who.clientSecret && need.clientKey === undefined) {
    throw new TogoError('SETTING_MISSING', 'the client_credentials grant needs the client secret or key', {
      hint: 'Set TOGO_CLIENT_SECRET (togo never takes secrets from flags), or pass --client-key <file> for private_key_jwt.',
    });
  }
  const connected = await connect(ctx, who, need);
  const { postClientForm, tokenEndpointFailure } = await import('../../provider/token-endpoint.js');
  const params: Record<string, string> = { grant_type: 'client_credentials' };
  const scope = who.scopeGiven;
  if (scope) params.scope = scope;
  if (need.audience) params.audience = need.audience;
  if (need.resource) params.resource = need.resource;
  ctx.note(
    ctx.styleErr.dim(
      t`Requesting a token for client ${who.clientId} (client_credentials; client authentication: ${describeClientAuth(connected.choice)})…`,
    ),
  );
  const reply = await postClientForm(connected.state, 'token', who.clientId, params, connected.choice);
  if (reply.status !== 200) throw tokenEndpointFailure(reply, 'the client_credentials grant was refused');
  const { judgeTokenResponse } = await import('../../oidc/token-response.js');
  const verdict = judgeTokenResponse(reply.json, false, reply.cacheControl);
  if (!verdict.ok) throw new TogoError('PROVIDER_ERROR', `the token response: ${verdict.problem}`);
  for (const w of verdict.warnings) ctx.warn(t`${w}`);
  const tr = verdict.tokens;
  if (!tr.access_token) throw new TogoError('PROVIDER_ERROR', 'the token response holds no access_token');
  const accessToken = tr.access_token;
  const tokenType = tr.token_type ?? 'Bearer';
  const now = ctx.now();
  const expiresAt = tr.expires_in !== undefined ? now + tr.expires_in * 1000 : undefined;
  // Kept for the next run, unless that would replace a person's session of the same client.
  let session: Stored | undefined;
  if (dir && !hasUserSession) {
    const file: SessionFile & { issuer: string; clientId: string } = {
      version: 1,
      issuer: who.issuer,
      clientId: who.clientId,
      flavor: who.flavor,
      obtainedAt: new Date(now).toISOString(),
      ...(expiresAt !== undefined ? { expiresAt: new Date(expiresAt).toISOString() } : {}),
      tokens: {
        access_token: accessToken,
        token_type: tokenType,
        ...(tr.scope ? { scope: tr.scope } : {}),
      },
    };
    session = { path: await storeSession(dir, file), file };
  }
  return {
    token: accessToken,
    tokenType,
    expiresAt,
    source: 'client_credentials',
    clientAuth: connected.choice.method,
    ...(tr.scope ? { scope: tr.scope } : scope ? { scope } : {}),
    ...(session ? { session } : {}),
  };
}
