/**
 * Makes ID tokens wrong on purpose, one way per fault, so an application's token handling can be
 * tested against each failure it must catch (OpenID Connect Core §3.1.3.7, §3.2.2.11).
 *
 * The provider issues a correct token; this rewrites it on its way out (redirect, form_post page
 * or token response) and signs it again, with the provider's own key unless the fault is about
 * the key.
 */
import { createHash, type KeyObject, sign } from 'node:crypto';
import type { FaultName } from './types.js';

/** Faults that change ID tokens; the others act elsewhere (discovery, authorization). */
const TOKEN_FAULTS: ReadonlySet<FaultName> = new Set<FaultName>([
  'expired-id-token',
  'wrong-audience',
  'wrong-issuer',
  'wrong-nonce',
  'bad-signature',
  'unknown-kid',
  'alg-none',
  'missing-at-hash',
  'bad-at-hash',
  'rotate-keys',
]);

/** The issuer `wrong-issuer` puts in tokens: a real one, as when a token from production meets a test set-up. */
export const WRONG_ISSUER = 'https://id2.runswithtogo.com/identity';
export const WRONG_AUDIENCE = 'some-other-client';
export const WRONG_NONCE = 'not-the-nonce-you-sent';

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicJwk: Record<string, unknown>;
}

export interface TamperKeys {
  /** The key the provider signs with and publishes. */
  primary: SigningKey;
  /** A key nobody publishes: `bad-signature` signs with it under the primary kid, `unknown-kid` under its own. */
  stranger?: SigningKey;
  /** The key `rotate-keys` publishes and signs with after the first token. */
  next?: SigningKey;
}

function b64json(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function parseJson(segment: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as Record<string, unknown>;
}

function signRs256(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  key: KeyObject,
): string {
  const input = `${b64json(header)}.${b64json(payload)}`;
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}

export class IdTokenTamperer {
  private readonly faults: ReadonlySet<FaultName>;
  private readonly keys: TamperKeys;
  private issued = 0;

  constructor(faults: readonly FaultName[], keys: TamperKeys) {
    this.faults = new Set(faults);
    this.keys = keys;
  }

  /** True when some fault changes ID tokens. */
  get active(): boolean {
    return [...this.faults].some((f) => TOKEN_FAULTS.has(f));
  }

  /** With `rotate-keys`, the JWKS gains the next key once the first token has gone out. */
  get rotated(): boolean {
    return this.faults.has('rotate-keys') && this.issued >= 1;
  }

  /** Keys to add to the published JWKS. */
  extraPublicKeys(): Record<string, unknown>[] {
    return this.rotated && this.keys.next ? [this.keys.next.publicJwk] : [];
  }

  /** Returns the token with every active fault applied, and the names of the faults applied. */
  tamper(token: string): { token: string; applied: FaultName[] } {
    this.issued += 1;
    const [h, p] = token.split('.');
    if (h === undefined || p === undefined) return { token, applied: [] };
    const header = parseJson(h);
    const payload = parseJson(p);
    const applied: FaultName[] = [];
    const has = (f: FaultName) => {
      const on = this.faults.has(f);
      if (on) applied.push(f);
      return on;
    };
    const now = Math.floor(Date.now() / 1000);

    if (has('expired-id-token')) {
      // Issued fifteen minutes ago, expired ten minutes ago: far beyond any usual clock skew.
      payload.iat = now - 900;
      payload.exp = now - 600;
      if (typeof payload.auth_time === 'number') payload.auth_time = Math.min(payload.auth_time, now - 900);
    }
    if (has('wrong-audience')) payload.aud = WRONG_AUDIENCE;
    if (has('wrong-issuer')) payload.iss = WRONG_ISSUER;
    if (has('wrong-nonce')) payload.nonce = WRONG_NONCE;
    if (has('missing-at-hash')) delete payload.at_hash;
    if (has('bad-at-hash')) {
      // The left half of SHA-256 of another access token: well-formed, and wrong (Core §3.2.2.9).
      payload.at_hash = createHash('sha256')
        .update('not-the-access-token')
        .digest()
        .subarray(0, 16)
        .toString('base64url');
    }

    if (has('alg-none')) {
      return { token: `${b64json({ alg: 'none', typ: 'JWT' })}.${b64json(payload)}.`, applied };
    }
    let key = this.keys.primary;
    let kid = String(header.kid ?? key.kid);
    if (this.faults.has('unknown-kid') && this.keys.stranger) {
      applied.push('unknown-kid');
      key = this.keys.stranger;
      kid = this.keys.stranger.kid;
    } else if (this.faults.has('bad-signature') && this.keys.stranger) {
      applied.push('bad-signature');
      key = this.keys.stranger;
    } else if (this.faults.has('rotate-keys') && this.keys.next && this.issued > 1) {
      applied.push('rotate-keys');
      key = this.keys.next;
      kid = this.keys.next.kid;
    }
    if (applied.length === 0) return { token, applied };
    return { token: signRs256({ ...header, alg: 'RS256', kid }, payload, key.privateKey), applied };
  }
}
