/**
 * DPoP (RFC 9449): a key pair per login, proofs signed with jose, the nonce a server may demand,
 * and the `cnf.jkt` binding of an access token to the key. No network here: the provider layer
 * sends the proofs.
 */
import { randomUUID } from 'node:crypto';
import type { CryptoKey, JWK, KeyObject } from 'jose';
import { calculateJwkThumbprint } from 'jose/jwk/thumbprint';
import { SignJWT } from 'jose/jwt/sign';
import { exportJWK } from 'jose/key/export';
import { generateKeyPair } from 'jose/key/generate/keypair';
import type { Check } from '../check.js';
import { fail, info, pass, type Rule, runRules, skip, type Verdict, warn } from '../rule.js';

export const DPOP_ALG = 'ES256';

export interface DpopKey {
  privateKey: CryptoKey | KeyObject;
  publicJwk: JWK;
  /** RFC 7638 SHA-256 thumbprint of the public key: what `cnf.jkt` and `dpop_jkt` carry. */
  thumbprint: string;
}

/** What a session file keeps of the key (mode 0600): the private JWK. */
export interface SavedDpopKey {
  alg: typeof DPOP_ALG;
  privateJwk: JWK;
}

async function fromPrivate(privateKey: CryptoKey | KeyObject, jwk: JWK): Promise<DpopKey> {
  const { kty, crv, x, y } = jwk;
  const publicJwk: JWK = { kty, crv, x, y };
  return { privateKey, publicJwk, thumbprint: await calculateJwkThumbprint(publicJwk, 'sha256') };
}

/** RFC 7638 thumbprint of a key's public members (a private JWK gives the same as its public one). */
export async function dpopThumbprint(jwk: Record<string, unknown>): Promise<string> {
  const { kty, crv, x, y, e, n } = jwk as JWK;
  return calculateJwkThumbprint({ kty, crv, x, y, e, n } as JWK, 'sha256');
}

/** A fresh P-256 key from the platform's CSPRNG (jose, WebCrypto). */
export async function newDpopKey(): Promise<DpopKey> {
  const { privateKey } = await generateKeyPair(DPOP_ALG, { extractable: true });
  return fromPrivate(privateKey, await exportJWK(privateKey));
}

export async function saveDpopKey(key: DpopKey): Promise<SavedDpopKey> {
  return { alg: DPOP_ALG, privateJwk: await exportJWK(key.privateKey) };
}

export async function loadDpopKey(saved: SavedDpopKey): Promise<DpopKey> {
  // Node's own JWK import (a KeyObject, which jose signs with): jose's import module would keep
  // the command bundles out of the compiled-code cache (bin/togo.cjs looks for `import(`).
  const { createPrivateKey } = process.getBuiltinModule('node:crypto');
  const { kty, crv, x, y, d } = saved.privateJwk;
  if (kty !== 'EC' || crv !== 'P-256' || !d) throw new Error('a DPoP key here is an EC P-256 private key');
  const privateKey = createPrivateKey({ key: { kty, crv, x, y, d }, format: 'jwk' });
  return fromPrivate(privateKey, saved.privateJwk);
}

/** RFC 9449 §4.2: htu is the target URI without query and fragment. */
export function dpopHtu(url: string): string {
  const u = new URL(url);
  return `${u.origin}${u.pathname}`;
}

/** SHA-256 of the access token, base64url: the proof's `ath` (RFC 9449 §4.2). */
export function accessTokenHash(accessToken: string): string {
  const { createHash } = process.getBuiltinModule('node:crypto');
  return createHash('sha256').update(accessToken).digest('base64url');
}

/** A DPoP proof for one request (RFC 9449 §4.2), signed by jose. */
export async function dpopProof(
  key: DpopKey,
  request: { method: string; url: string; nonce?: string; accessToken?: string; now: number },
): Promise<string> {
  const claims: Record<string, unknown> = {
    htm: request.method.toUpperCase(),
    htu: dpopHtu(request.url),
    ...(request.nonce ? { nonce: request.nonce } : {}),
    ...(request.accessToken ? { ath: accessTokenHash(request.accessToken) } : {}),
  };
  return new SignJWT(claims)
    .setProtectedHeader({ alg: DPOP_ALG, typ: 'dpop+jwt', jwk: key.publicJwk })
    .setJti(randomUUID())
    .setIssuedAt(Math.floor(request.now / 1000))
    .sign(key.privateKey);
}

/**
 * The nonce a server demands (RFC 9449 §8 and §9): an authorization server answers 400 with
 * `error=use_dpop_nonce`, a resource server 401 with `WWW-Authenticate: DPoP error="use_dpop_nonce"`;
 * both send the nonce in `DPoP-Nonce`. Undefined when the answer is not such a demand.
 */
export function demandedNonce(
  status: number,
  headers: Record<string, string>,
  text: string,
): string | undefined {
  const nonce = headers['dpop-nonce'];
  if (!nonce) return undefined;
  if (status === 401 && /error="?use_dpop_nonce/i.test(headers['www-authenticate'] ?? '')) return nonce;
  if (status === 400) {
    try {
      if ((JSON.parse(text) as { error?: unknown }).error === 'use_dpop_nonce') return nonce;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The access token's binding to a DPoP key (RFC 9449 §6.1): `cnf.jkt` against the key's thumbprint. */
export function checkDpopBinding(payload: Record<string, unknown>, thumbprint: string | undefined): Verdict {
  const cnf = payload.cnf as { jkt?: unknown } | undefined;
  const jkt = typeof cnf?.jkt === 'string' ? cnf.jkt : undefined;
  const name = 'cnf.jkt';
  if (jkt === undefined) {
    return thumbprint
      ? fail('the token has no cnf.jkt, so it is not bound to the DPoP key', {
          name,
          code: 'TOKEN_INVALID',
          hint: 'A DPoP-bound access token carries cnf.jkt (RFC 9449 §6.1); the provider issued a bearer token.',
        })
      : skip('no cnf.jkt: not a DPoP-bound token', { name });
  }
  if (thumbprint === undefined) {
    return info(`bound to the DPoP key with thumbprint ${jkt}; give the key to check the binding`, { name });
  }
  return jkt === thumbprint
    ? pass(`bound to the DPoP key ${jkt}`, { name })
    : fail(`cnf.jkt is ${jkt}, not the DPoP key's thumbprint ${thumbprint}`, {
        name,
        code: 'TOKEN_INVALID',
        hint: 'The token is bound to another key: it was issued to another login.',
      });
}

/** Whether a token response's token_type says the access token is DPoP-bound (RFC 9449 §5). */
export function isDpopTokenType(tokenType: string | undefined): boolean {
  return typeof tokenType === 'string' && tokenType.toLowerCase() === 'dpop';
}

/** A DPoP login's token response: its token type, the login key's thumbprint, a JWT access token's claims. */
export interface DpopGrant {
  tokenType: string | undefined;
  thumbprint: string;
  accessTokenClaims: Record<string, unknown> | undefined;
}

/**
 * A login asked for DPoP (F7): was the binding granted? The token response must say token_type DPoP
 * (RFC 9449 §5); a JWT access token must then carry the login key's thumbprint as cnf.jkt. A bearer
 * token where a binding was asked for is a warning: it works for anyone who holds it.
 */
export const DPOP_GRANT_RULES = [
  {
    id: 'F7',
    spec: 'RFC 9449 §5, §6.1',
    appliesTo: 'token response of a login with DPoP',
    run: ({ tokenType, thumbprint, accessTokenClaims }) => {
      const name = 'dpop';
      if (!isDpopTokenType(tokenType)) {
        return warn(
          `DPoP was asked for, but the provider issued a ${tokenType ?? 'untyped'} access token: it is not bound to the key`,
          {
            name,
            code: 'TOKEN_INVALID',
            hint: 'The provider ignored the DPoP proof (RFC 9449 §5: a bound token has token_type DPoP); the token works for whoever holds it, and togo does not keep the key.',
          },
        );
      }
      const cnf = accessTokenClaims?.cnf as { jkt?: unknown } | undefined;
      if (accessTokenClaims && cnf?.jkt !== undefined && cnf.jkt !== thumbprint) {
        return fail(
          `the access token's cnf.jkt is ${String(cnf.jkt)}, not this login's DPoP key ${thumbprint}`,
          {
            name,
            code: 'TOKEN_INVALID',
            hint: 'The token is bound to another key: it was issued to another login.',
          },
        );
      }
      return pass(`token_type DPoP: the access token is bound to the key ${thumbprint}`, { name });
    },
  },
] as const satisfies readonly Rule<DpopGrant>[];

export function judgeDpopGrant(
  tokenType: string | undefined,
  thumbprint: string,
  accessTokenClaims: Record<string, unknown> | undefined,
): Check[] {
  return runRules(DPOP_GRANT_RULES, { tokenType, thumbprint, accessTokenClaims });
}
