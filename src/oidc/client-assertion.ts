/**
 * RFC 7523 client assertions (`private_key_jwt`, OpenID Connect Core §9): a short-lived JWT the
 * client signs with its own key. Signed by jose; never hand-built.
 */
import { type CryptoKey, type KeyObject, SignJWT } from 'jose';

export interface ClientKey {
  key: CryptoKey | KeyObject;
  /** The JWS algorithm (RS256, PS256, ES256, ES384, ES512, EdDSA). */
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
  key: ClientKey,
  nowMs: number,
): Promise<string> {
  const now = Math.floor(nowMs / 1000);
  const { randomUUID } = await import('node:crypto');
  return new SignJWT({})
    .setProtectedHeader({ alg: key.alg, typ: 'JWT', ...(key.kid ? { kid: key.kid } : {}) })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(audience)
    .setJti(randomUUID())
    .setIssuedAt(now)
    .setExpirationTime(now + ASSERTION_TTL_SECONDS)
    .sign(key.key);
}

/** The algorithm for a key, preferring what the provider lists for client assertions. */
export function assertionAlg(
  keyType: string | undefined,
  curve: string | undefined,
  providerAlgs: readonly string[] | undefined,
): string | undefined {
  const candidates: Record<string, string[]> = {
    rsa: ['RS256', 'PS256', 'RS384', 'PS384', 'RS512', 'PS512'],
    ec: curve === 'P-384' ? ['ES384'] : curve === 'P-521' ? ['ES512'] : ['ES256'],
    ed25519: ['EdDSA', 'Ed25519'],
  };
  const own = candidates[keyType ?? ''] ?? [];
  if (providerAlgs && providerAlgs.length > 0) {
    const listed = own.find((a) => providerAlgs.includes(a));
    if (listed) return listed;
  }
  return own[0];
}
