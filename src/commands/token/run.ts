import type { ConfigOptionValues } from '../../config/resolve.js';
import { TogoError } from '../../errors.js';
import type { Ctx } from '../shared/context.js';
import type { Body } from '../shared/kit.js';
import { resolveWho, type Served, sessionToken, type Who } from '../shared/session-token.js';
import { storeDir } from '../shared/store.js';
import type { TokenCommandFlags } from './command.js';

/**
 * `togo token`: the token sessionToken picks (store, refresh, client credentials), else with
 * --login the login's, printed alone on stdout.
 */
export async function tokenCommand(
  ctx: Ctx,
  configValues: ConfigOptionValues,
  flags: TokenCommandFlags,
  login: () => Promise<Body>,
): Promise<number> {
  const who = await resolveWho(ctx, configValues, flags);
  const use = flags.use ?? (flags.output === 'exec-credential' ? 'id_token' : 'access_token');
  let served: Served;
  try {
    served = await sessionToken(ctx, who, {
      use,
      minTtlSeconds: flags.minTtl,
      timeout: flags.timeout,
      clockSkew: flags.clockSkew,
      ...(flags.refresh ? { refresh: true } : {}),
      ...(flags.clientCredentials ? { clientCredentials: true } : {}),
      ...(flags.ca ? { ca: flags.ca } : {}),
      ...(flags.clientAuth ? { clientAuth: flags.clientAuth } : {}),
      ...(flags.clientKey !== undefined ? { clientKey: flags.clientKey } : {}),
      ...(flags.audience ? { audience: flags.audience } : {}),
      ...(flags.resource ? { resource: flags.resource } : {}),
    });
  } catch (error) {
    if (!(flags.login && error instanceof TogoError && error.code === 'SESSION_NOT_FOUND')) throw error;
    const { loginFirst } = await import('./login-first.js');
    served = await loginFirst(ctx, configValues, who, flags, use, storeDir(ctx.env), login);
  }
  emit(ctx, who, flags, served);
  return 0;
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
