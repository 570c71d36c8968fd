/**
 * "Pick a token, then DPoP or Bearer", once for the commands that send a token to a resource
 * (api, userinfo): the token the user gave, else the named session file's, else the stored
 * session's, refreshed first when it is near expiry (session-token.ts, as `togo token` does); then
 * presented with proofs of the session's DPoP key when the provider bound it (RFC 9449 §7), else
 * as a bearer token (RFC 6750 §2.1).
 */
import type { ConfigOptionValues } from '../../config/resolve.js';
import type { HttpClient, HttpResponse, RequestOptions } from '../../http/client.js';
import type { SessionFile } from '../../oidc/session-file.js';
import type { DpopSession } from '../../provider/dpop.js';
import type { Ctx } from './context.js';
import { type NetworkFlags, type PickedToken, pickToken, type TokenSources } from './session.js';
import { DEFAULT_MIN_TTL_SECONDS, resolveWho, sessionToken } from './session-token.js';

/** The token a request carries and how it proves it. Holds a token: never print it. */
export interface Credential {
  token: string;
  /** `given` for a token the user handed over; else which of the session's tokens. */
  kind: PickedToken['kind'];
  /** For narration: "--token", "the access_token of <file>", "… (refreshed)". */
  source: string;
  /** The session's DPoP key, when the token is bound to it; otherwise the token goes as Bearer. */
  dpop?: DpopSession;
  /** The session the token came from, as it is now (after a refresh, the refreshed one). */
  session?: { path: string; file: SessionFile };
}

export interface CredentialOptions extends NetworkFlags {
  /** Named in errors: "access token", "ID token (Togo ID's APIs take the ID token)". */
  what: string;
  config: ConfigOptionValues;
}

/**
 * The token of `kind` to send: a stored session's is refreshed first when it has less than a
 * minute left and a refresh token (under its lock, so a concurrent `togo token` refreshes once);
 * one that cannot be refreshed is sent as it is, for the resource to judge.
 */
export async function credentialFor(
  ctx: Ctx,
  sources: TokenSources,
  kind: 'access_token' | 'id_token',
  options: CredentialOptions,
): Promise<Credential> {
  const stored = sources.session?.stored ? sources.session : undefined;
  if (!sources.given && stored && (stored.file.tokens[kind] || stored.file.tokens.refresh_token)) {
    const who = await resolveWho(ctx, options.config);
    const served = await sessionToken(ctx, who, {
      use: kind,
      minTtlSeconds: DEFAULT_MIN_TTL_SECONDS,
      orStale: true,
      timeout: options.timeout,
      clockSkew: 120,
      ...(options.ca ? { ca: options.ca } : {}),
    });
    const session = served.session ?? stored;
    const source = `the ${kind} of ${session.path}${served.source === 'refresh' ? ' (refreshed)' : ''}`;
    return withProof(ctx, { token: served.token, kind, source, session });
  }
  const picked = await pickToken(sources, kind, { required: true, what: options.what });
  if (picked.kind === 'given') return { token: picked.token, kind: 'given', source: picked.source };
  return withProof(ctx, { ...picked, ...(sources.session ? { session: sources.session } : {}) });
}

async function withProof(ctx: Ctx, credential: Credential): Promise<Credential> {
  const { dpopFromSession } = await import('../../provider/dpop.js');
  const dpop = await dpopFromSession(credential.session?.file, credential.kind, ctx.now);
  return dpop ? { ...credential, dpop } : credential;
}

/** The scheme the credential goes with, for narration. */
export function scheme(credential: Credential): 'DPoP' | 'Bearer' {
  return credential.dpop ? 'DPoP' : 'Bearer';
}

/** Sends a request carrying the credential: with a fresh DPoP proof, or as a bearer token. */
export async function sendWith(
  http: HttpClient,
  url: string,
  init: RequestOptions,
  credential: Credential,
): Promise<HttpResponse> {
  if (credential.dpop) {
    const { requestWithDpop } = await import('../../provider/dpop.js');
    return requestWithDpop(http, url, init, credential.dpop, credential.token);
  }
  return http.request(url, {
    ...init,
    headers: { ...init.headers, authorization: `Bearer ${credential.token}` },
  });
}
