/**
 * Sending requests with DPoP proofs (RFC 9449): one proof per request, the nonce a server demands
 * remembered per origin, and one retry when a server asks for a nonce (`use_dpop_nonce`).
 */
import { TogoError } from '../errors.js';
import type { HttpClient, HttpResponse, RequestOptions } from '../http/client.js';
import { type DpopKey, demandedNonce, dpopProof, loadDpopKey, type SavedDpopKey } from '../oidc/dpop.js';

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

/** The DPoP key a session file keeps (`login --dpop --save`), ready to sign proofs; undefined without one. */
export async function dpopFromSession(
  file: { dpop?: SavedDpopKey } | undefined,
  now: () => number,
): Promise<DpopSession | undefined> {
  if (!file?.dpop) return undefined;
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
