/**
 * Sending requests with DPoP proofs (RFC 9449): one proof per request, the nonce a server demands
 * remembered per origin, and one retry when a server asks for a nonce (`use_dpop_nonce`).
 */
import { TogoError } from '../errors.js';
import type { HttpClient, HttpResponse, RequestOptions } from '../http/client.js';
import {
  type DpopKey,
  demandedNonce,
  dpopProof,
  isDpopTokenType,
  loadDpopKey,
  type SavedDpopKey,
} from '../oidc/dpop.js';

export interface DpopSession {
  key: DpopKey;
  /** Milliseconds since the epoch, for the proof's iat. */
  now: () => number;
  /** The last nonce each origin gave (RFC 9449 §8.2: reuse it until a new one comes). */
  nonces: Map<string, string>;
}

export function dpopSession(key: DpopKey, now: () => number): DpopSession {
  return { key, now, nonces: new Map() };
}

/**
 * The request with a `DPoP` header (and `Authorization: DPoP <token>` when an access token is
 * given); a demand for a nonce is answered once with a fresh proof.
 */
export async function requestWithDpop(
  http: HttpClient,
  url: string,
  opts: RequestOptions,
  session: DpopSession,
  accessToken?: string,
): Promise<HttpResponse> {
  const origin = new URL(url).origin;
  const method = opts.method ?? 'GET';
  const send = async () => {
    const nonce = session.nonces.get(origin);
    const proof = await dpopProof(session.key, {
      method,
      url,
      now: session.now(),
      ...(nonce ? { nonce } : {}),
      ...(accessToken ? { accessToken } : {}),
    });
    const res = await http.request(url, {
      ...opts,
      headers: {
        ...opts.headers,
        dpop: proof,
        ...(accessToken ? { authorization: `DPoP ${accessToken}` } : {}),
      },
    });
    if (res.headers['dpop-nonce']) session.nonces.set(origin, res.headers['dpop-nonce']);
    return res;
  };
  const first = await send();
  const demanded = demandedNonce(first.status, first.headers, first.text);
  return demanded === undefined ? first : send();
}

/**
 * How a session's token is presented (RFC 9449 §7): with proofs of the session's key only when it is
 * the access token and the provider issued it bound (token_type DPoP); every other token, and a
 * bearer access token, goes as `Bearer` whatever key the file holds. Undefined means Bearer.
 */
export async function dpopFromSession(
  file: { dpop?: SavedDpopKey; tokens: { token_type?: string } } | undefined,
  kind: string,
  now: () => number,
): Promise<DpopSession | undefined> {
  if (!file || kind !== 'access_token' || !isDpopTokenType(file.tokens.token_type)) return undefined;
  if (!file.dpop) {
    throw new TogoError(
      'SESSION_INVALID',
      "the session's access token is DPoP-bound (token_type DPoP), but the file holds no DPoP key to prove it",
      { hint: 'Log in again with --dpop --save: the key is saved with the tokens bound to it.' },
    );
  }
  try {
    return dpopSession(await loadDpopKey(file.dpop), now);
  } catch (error) {
    throw new TogoError(
      'SESSION_INVALID',
      `the session's DPoP key cannot be read: ${(error as Error).message}`,
      {
        hint: 'Log in again with --dpop --save to get a new key and tokens bound to it.',
        cause: error,
      },
    );
  }
}
