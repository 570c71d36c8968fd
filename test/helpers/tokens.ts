import type { webcrypto } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

export const SEED_TOKEN = readFileSync(
  new URL('../fixtures/seed-id-token.txt', import.meta.url),
  'utf8',
).trim();
export const SEED_REDIRECT_URL = readFileSync(
  new URL('../fixtures/seed-redirect-url.txt', import.meta.url),
  'utf8',
).trim();

export type TestAlg = 'RS256' | 'PS256' | 'ES256' | 'EdDSA';

export interface TestKey {
  alg: TestAlg;
  kid: string;
  privateKey: webcrypto.CryptoKey;
  publicJwk: JWK;
  privateJwk: JWK;
}

export async function makeKey(alg: TestAlg, kid = `test-${alg.toLowerCase()}`): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(
    alg,
    alg === 'EdDSA' ? { crv: 'Ed25519', extractable: true } : { extractable: true },
  );
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg };
  return { alg, kid, privateKey, publicJwk, privateJwk };
}

export const ISSUER = 'https://id.example.test/identity';
export const CLIENT = 'togo-test-client';
export const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);
export const NOW_S = Math.floor(NOW / 1000);

/** Signs a token with sensible ID token claims; `claims` overrides or removes (undefined) them. */
export async function signToken(
  key: TestKey,
  claims: Record<string, unknown> = {},
  header: Record<string, unknown> = {},
): Promise<string> {
  const payload: Record<string, unknown> = {
    iss: ISSUER,
    sub: 'user-123',
    aud: CLIENT,
    exp: NOW_S + 300,
    iat: NOW_S - 10,
    nonce: 'n-0S6_WzA2Mj',
    ...claims,
  };
  for (const [k, v] of Object.entries(payload)) if (v === undefined) delete payload[k];
  return new SignJWT(payload)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT', ...header } as never)
    .sign(key.privateKey);
}

/** base64url of a JSON value, for hand-made malformed tokens. */
export const b64 = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
