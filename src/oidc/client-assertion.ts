/**
 * RFC 7523 client assertions (`private_key_jwt` and `client_secret_jwt`, OpenID Connect Core §9):
 * a short-lived JWT the client signs with its own key or, for client_secret_jwt, with its secret
 * (HMAC). Signed by jose; never hand-built.
 */
import { type CryptoKey, type KeyObject, SignJWT } from 'jose';

/** `--client-key`: the client's private key, as read from its file. */
export interface ClientKey {
  key: CryptoKey | KeyObject;
  /** node's asymmetricKeyType (rsa, rsa-pss, ec, ed25519): the algorithms the key can sign with. */
  type: string | undefined;
  /** P-256, P-384 or P-521 for an EC key. */
  curve?: string;
  /** The JWK's own `alg`, when it names one: then the key signs with nothing else. */
  alg?: string;
  kid?: string;
}

/** What signs one assertion: the key (or the secret's bytes) and the algorithm chosen for it. */
export interface AssertionSigner {
  key: CryptoKey | KeyObject | Uint8Array;
  /** RS256, PS256, ES256, EdDSA, … or HS256/HS384/HS512 for client_secret_jwt. */
  alg: string;
  kid?: string;
}

/** How long an assertion is valid: long enough for one request, no more. */
export const ASSERTION_TTL_SECONDS = 60;

/**
 * iss = sub = the client id, aud = the token endpoint (RFC 7523 §3), a fresh jti, iat and a short
 * exp. `nowMs` is the caller's clock.
 */
export async function signClientAssertion(
  clientId: string,
  audience: string,
  signer: AssertionSigner,
  nowMs: number,
): Promise<string> {
  const now = Math.floor(nowMs / 1000);
  const { randomUUID } = await import('node:crypto');
  return new SignJWT({})
    .setProtectedHeader({ alg: signer.alg, typ: 'JWT', ...(signer.kid ? { kid: signer.kid } : {}) })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(audience)
    .setJti(randomUUID())
    .setIssuedAt(now)
    .setExpirationTime(now + ASSERTION_TTL_SECONDS)
    .sign(signer.key);
}
