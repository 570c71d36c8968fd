import type { ConfigOptionValues } from '../../config/resolve.js';
import { TogoError } from '../../errors.js';
import { describeClientAuth } from '../../oidc/client-auth.js';
import type { SessionFile } from '../../oidc/session-file.js';
import { t } from '../../ui/safe.js';
import { settingsWhere } from '../shared/config-flags.js';
import type { Ctx } from '../shared/context.js';
import type { Body } from '../shared/kit.js';
import { findStoredSession, removeStoredSession, storeDir, storeSession } from '../shared/store.js';
import type { TokenCommandFlags } from './command.js';

type Source = 'store' | 'refresh' | 'client_credentials' | 'login';

interface Served {
  token: string;
  tokenType: string;
  /** Milliseconds since the epoch; undefined when the provider said nothing of it. */
  expiresAt: number | undefined;
  source: Source;
  scope?: string;
  /** How the client authenticated, when a request was made. */
  clientAuth?: string;
}

interface Who {
  issuer: string;
  clientId: string;
  scope: string;
  clientSecret?: string;
  flavor: 'togo' | 'standard';
  env?: string;
  /** --scope as given (flag or TOGO_SCOPE), for client_credentials: not the login's default scopes. */
  scopeGiven?: string;
}

export async function tokenCommand(
  ctx: Ctx,
  configValues: ConfigOptionValues,
  flags: TokenCommandFlags,
  login: () => Promise<Body>,
): Promise<number> {
  const { resolveConfig } = await import('../../config/load.js');
  const { clientSecretOf, howToSet } = await import('../../config/resolve.js');
  const { note: _note, ...where } = settingsWhere(ctx);
  const resolved = await resolveConfig({ flags: configValues, ...where });
  const s = resolved.settings;
  if (!s.issuer) throw new TogoError('SETTING_MISSING', 'no issuer', { hint: howToSet('issuer') });
  if (!s.clientId) throw new TogoError('SETTING_MISSING', 'no client id', { hint: howToSet('clientId') });
  const secret = clientSecretOf(resolved);
  if (flags.clientKey !== undefined) {
    const { assertKeyIssuerTrusted } = await import('../shared/client-key.js');
    assertKeyIssuerTrusted(flags, resolved, configValues.trustDirectoryConfig);
  }
  const who: Who = {
    issuer: s.issuer,
    clientId: s.clientId,
    scope: s.scope,
    flavor: s.flavor,
    ...(secret ? { clientSecret: secret } : {}),
    // The login to suggest names the environment only when one was chosen, not the default.
    ...(s.environment && resolved.sources.environment?.kind !== 'default' && !configValues.issuer
      ? { env: s.environment }
      : {}),
    ...((configValues.scope ?? ctx.env.TOGO_SCOPE)
      ? { scopeGiven: configValues.scope ?? ctx.env.TOGO_SCOPE }
      : {}),
  };
  const use = flags.use ?? (flags.output === 'exec-credential' ? 'id_token' : 'access_token');
  const minTtlMs = flags.minTtl * 1000;
  const dir = storeDir(ctx.env);

  let served: Served;
  try {
    served = await obtain(ctx, who, flags, use, minTtlMs, dir);
  } catch (error) {
    if (!(flags.login && error instanceof TogoError && error.code === 'SESSION_NOT_FOUND')) throw error;
    served = await loginFirst(ctx, configValues, who, flags, use, dir, login);
  }
  emit(ctx, who, flags, served);
  return 0;
}

async function obtain(
  ctx: Ctx,
  who: Who,
  flags: TokenCommandFlags,
  use: 'access_token' | 'id_token',
  minTtlMs: number,
  dir: string | undefined,
): Promise<Served> {
  const stored = dir ? findStoredSession(dir, who.issuer, who.clientId) : undefined;
  if (stored && !flags.refresh) {
    const fresh = await fromStore(stored.file, use, ctx.now(), minTtlMs);
    if (fresh) return fresh;
  }
  if (stored?.file.tokens.refresh_token && dir) {
    const { withLock } = await import('./lock.js');
    return withLock(`${stored.path}.lock`, flags.timeout * 1000, ctx.signal, async (waited) => {
      // Another run may have refreshed while this one waited: its result is served, not refreshed again.
      const now = findStoredSession(dir, who.issuer, who.clientId);
      if (!now) throw notLoggedIn(who, 'the stored session was removed while waiting for it');
      if (waited && now.file.tokens.refresh_token !== stored.file.tokens.refresh_token) {
        const fresh = await fromStore(now.file, use, ctx.now(), minTtlMs);
        if (fresh) return fresh;
      }
      return refresh(ctx, who, flags, use, now, dir);
    });
  }
  if (flags.clientCredentials) return clientCredentials(ctx, who, flags, use, dir, stored !== undefined);
  throw notLoggedIn(
    who,
    stored
      ? `the stored session's ${use.replace('_', ' ')} has less than ${flags.minTtl} s left, and it holds no refresh token`
      : `no stored session for ${who.issuer} and client ${who.clientId}`,
  );
}

function notLoggedIn(who: Who, why: string): TogoError {
  const env = who.env ? ` --env ${who.env}` : ` --issuer ${who.issuer} --client-id ${who.clientId}`;
  return new TogoError('SESSION_NOT_FOUND', why, {
    hint: `Run \`togo login${env}\` (it keeps the session), or pass --client-credentials for a confidential client.`,
    details: { issuer: who.issuer, clientId: who.clientId },
  });
}

/** When a token of the session expires: the stored expiry of the access token, or a JWT's exp. */
async function expiryOf(file: SessionFile, use: 'access_token' | 'id_token'): Promise<number | undefined> {
  if (use === 'access_token' && file.expiresAt) {
    const at = Date.parse(file.expiresAt);
    if (Number.isFinite(at)) return at;
  }
  const token = file.tokens[use];
  if (token?.split('.').length !== 3) return undefined;
  const { decodeToken } = await import('../../oidc/token.js');
  try {
    const exp = decodeToken(token).payload.exp;
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

async function fromStore(
  file: SessionFile,
  use: 'access_token' | 'id_token',
  now: number,
  minTtlMs: number,
): Promise<Served | undefined> {
  const token = file.tokens[use];
  if (!token) return undefined;
  const expiresAt = await expiryOf(file, use);
  // A token of unknown lifetime is served as it is: nothing says it ended.
  if (expiresAt !== undefined && expiresAt - now < minTtlMs) return undefined;
  return {
    token,
    tokenType: use === 'id_token' ? 'id_token' : (file.tokens.token_type ?? 'Bearer'),
    expiresAt,
    source: 'store',
    ...(file.tokens.scope ? { scope: file.tokens.scope } : {}),
  };
}

async function connect(ctx: Ctx, who: Who, flags: TokenCommandFlags) {
  const [{ httpFor }, { connectProvider }] = await Promise.all([
    import('../shared/http.js'),
    import('../../provider/keys.js'),
  ]);
  const http = httpFor(ctx, { timeoutMs: flags.timeout * 1000, ...(flags.ca ? { caFile: flags.ca } : {}) });
  const provider = await connectProvider(http, who.issuer);
  const { clientAuthOptions } = await import('../shared/client-key.js');
  const state = {
    ...provider,
    ...(who.clientSecret ? { clientSecret: who.clientSecret } : {}),
    ...(await clientAuthOptions(ctx, flags)),
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
async function refresh(
  ctx: Ctx,
  who: Who,
  flags: TokenCommandFlags,
  use: 'access_token' | 'id_token',
  stored: { path: string; file: SessionFile },
  dir: string,
): Promise<Served> {
  const connected = await connect(ctx, who, flags);
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
    { ...state, now: ctx.now, clockSkew: flags.clockSkew },
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
  await storeSession(dir, { ...file, issuer: who.issuer, clientId: who.clientId });
  const token = tokens[use];
  if (!token) {
    throw new TogoError('TOKEN_MISSING', `the refresh returned no ${use} and the session holds none`, {
      hint: use === 'id_token' ? 'Log in with scope openid to get an ID token.' : 'Log in again.',
    });
  }
  return {
    token,
    tokenType: use === 'id_token' ? 'id_token' : (tokens.token_type ?? 'Bearer'),
    expiresAt: await expiryOf(file, use),
    source: 'refresh',
    clientAuth: connected.choice.method,
    ...(tokens.scope ? { scope: tokens.scope } : {}),
  };
}

/** The client_credentials grant (RFC 6749 §4.4) for a confidential client. */
async function clientCredentials(
  ctx: Ctx,
  who: Who,
  flags: TokenCommandFlags,
  use: 'access_token' | 'id_token',
  dir: string | undefined,
  hasUserSession: boolean,
): Promise<Served> {
  if (use === 'id_token') {
    throw new TogoError('USAGE', 'the client_credentials grant returns no ID token', {
      hint: 'Use the access token (the default), or log in for an ID token.',
    });
  }
  if (!who.clientSecret && flags.clientKey === undefined) {
    throw new TogoError('SETTING_MISSING', 'the client_credentials grant needs the client secret or key', {
      hint: 'Set TOGO_CLIENT_SECRET (togo never takes secrets from flags), or pass --client-key <file> for private_key_jwt.',
    });
  }
  const connected = await connect(ctx, who, flags);
  const { postClientForm, tokenEndpointFailure } = await import('../../provider/token-endpoint.js');
  const params: Record<string, string> = { grant_type: 'client_credentials' };
  const scope = who.scopeGiven;
  if (scope) params.scope = scope;
  if (flags.audience) params.audience = flags.audience;
  if (flags.resource) params.resource = flags.resource;
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
  if (dir && !hasUserSession) {
    await storeSession(dir, {
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
    });
  }
  return {
    token: accessToken,
    tokenType,
    expiresAt,
    source: 'client_credentials',
    clientAuth: connected.choice.method,
    ...(tr.scope ? { scope: tr.scope } : scope ? { scope } : {}),
  };
}

/** `--login`: runs `togo login` for the environment, its output on stderr, then serves what it kept. */
async function loginFirst(
  ctx: Ctx,
  configValues: ConfigOptionValues,
  who: Who,
  flags: TokenCommandFlags,
  use: 'access_token' | 'id_token',
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
  const fresh = stored ? await fromStore(stored.file, use, ctx.now(), 0) : undefined;
  if (!fresh) {
    throw new TogoError('TOKEN_MISSING', `the login returned no ${use.replace('_', ' ')}`, {
      hint: 'Choose a response type that returns it (--response-type in the environment).',
    });
  }
  return { ...fresh, source: 'login' };
}

function emit(ctx: Ctx, who: Who, flags: TokenCommandFlags, served: Served): void {
  const expires = served.expiresAt === undefined ? null : new Date(served.expiresAt).toISOString();
  if (flags.output === 'exec-credential') {
    // kubectl reads this from stdout (client.authentication.k8s.io/v1); without an expiry it
    // calls the plugin again for every request.
    ctx.printJson({
      apiVersion: 'client.authentication.k8s.io/v1',
      kind: 'ExecCredential',
      status: { token: served.token, ...(expires ? { expirationTimestamp: expires } : {}) },
    });
    return;
  }
  if (ctx.json) {
    ctx.printJson({
      token: served.token,
      token_type: served.tokenType,
      expires_at: expires,
      source: served.source,
      issuer: who.issuer,
      client_id: who.clientId,
      scope: served.scope ?? null,
      ...(served.clientAuth ? { client_auth: served.clientAuth } : {}),
    });
    return;
  }
  ctx.printBytes(`${served.token}\n`);
  ctx.note(
    ctx.styleErr.dim(
      `${{ store: 'From the store', refresh: 'Refreshed', client_credentials: 'New, by client_credentials', login: 'From the login' }[served.source]}${expires ? `; expires ${expires}` : ''}.`,
    ),
  );
}
