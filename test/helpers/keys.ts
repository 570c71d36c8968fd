/**
 * Signing keys for tests that only need some real key: made on first use and kept for the rest of
 * the worker's run. Key generation is slow, so it never happens while the tests are collected (at
 * import time), and a file that asks twice pays once.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';

export type KeyKind = 'RSA' | 'EC P-256' | 'EC P-384';

const made = new Map<KeyKind, { publicKey: KeyObject; privateKey: KeyObject }>();

/** The worker's key pair of that kind: the same pair on every call. */
export function sharedKeyPair(kind: KeyKind): { publicKey: KeyObject; privateKey: KeyObject } {
  let pair = made.get(kind);
  if (!pair) {
    pair =
      kind === 'RSA'
        ? generateKeyPairSync('rsa', { modulusLength: 2048 })
        : generateKeyPairSync('ec', { namedCurve: kind === 'EC P-256' ? 'P-256' : 'P-384' });
    made.set(kind, pair);
  }
  return pair;
}

/** The worker's key of that kind as JWKs, public (with `use: 'sig'`) and private, with `extra` on both. */
export function sharedJwk(
  kind: KeyKind,
  extra: Record<string, unknown> = {},
): { publicJwk: Record<string, unknown>; privateJwk: Record<string, unknown> } {
  const { publicKey, privateKey } = sharedKeyPair(kind);
  return {
    publicJwk: { ...publicKey.export({ format: 'jwk' }), use: 'sig', ...extra },
    privateJwk: { ...privateKey.export({ format: 'jwk' }), ...extra },
  };
}
