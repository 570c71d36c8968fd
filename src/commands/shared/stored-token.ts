/**
 * A stored session's token and what is said of it: the shapes session-token.ts and
 * session-refresh.ts share, and the store's fast path (no network, no verifier).
 */
import { TogoError } from '../../errors.js';
import type { SessionFile } from '../../oidc/session-file.js';

export type ServedKind = 'access_token' | 'id_token';
export type ServedSource = 'store' | 'refresh' | 'client_credentials' | 'login';

/** The token picked, and what a caller may say of it. Holds a token: never print it as a whole. */
export interface Served {
  token: string;
  tokenType: string;
  /** Milliseconds since the epoch; undefined when the provider said nothing of it. */
  expiresAt: number | undefined;
  source: ServedSource;
  scope?: string;
  /** How the client authenticated, when a request was made. */
  clientAuth?: string;
  /** The stored session it came from, as it is now (after a refresh: the refreshed one). */
  session?: { path: string; file: SessionFile };
}

/** The client a token is for: the issuer and client id in effect, as the configuration pins them. */
export interface Who {
  issuer: string;
  clientId: string;
  scope: string;
  clientSecret?: string;
  flavor: 'togo' | 'standard';
  /** The environment to name in a hint, when one was chosen (not the default). */
  env?: string;
  /** --scope as given (flag or TOGO_SCOPE), for client_credentials: not the login's default scopes. */
  scopeGiven?: string;
  /** The environment's `grant`: client_credentials makes a new machine token the fallback. */
  grant?: 'client_credentials';
}

/** What a caller asks of the token, and how a request for a new one may be made. */
export interface TokenNeed {
  use: ServedKind;
  /** A stored token with less time left than this is refreshed first. */
  minTtlSeconds: number;
  /** Refresh even when the stored token is still good. */
  refresh?: boolean;
  /** When nothing stored can serve: the client_credentials grant (--client-credentials). */
  clientCredentials?: boolean;
  timeout: number;
  ca?: string;
  clockSkew: number;
  clientAuth?: import('./client-auth-flags.js').ClientAuthFlagMethod;
  clientKey?: string;
  audience?: string;
  resource?: string;
}

/** SESSION_NOT_FOUND (exit 4), its hint naming the `togo login` to run. */
export function notLoggedIn(who: Who, why: string): TogoError {
  const env = who.env ? ` --env ${who.env}` : ` --issuer ${who.issuer} --client-id ${who.clientId}`;
  return new TogoError('SESSION_NOT_FOUND', why, {
    hint: `Run \`togo login${env}\` (it keeps the session), or pass --client-credentials for a confidential client.`,
    details: { issuer: who.issuer, clientId: who.clientId },
  });
}

/** When a token of the session expires: the stored expiry of the access token, or a JWT's exp. */
export async function expiryOf(file: SessionFile, use: ServedKind): Promise<number | undefined> {
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

/** The stored token of `use` when it has at least `minTtlMs` left (or an unknown lifetime). */
export async function fromStore(
  session: { path: string; file: SessionFile },
  use: ServedKind,
  now: number,
  minTtlMs: number,
): Promise<Served | undefined> {
  const { file } = session;
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
    session,
  };
}
