/**
 * Every ID token leaves the emulator through here, on its way out (redirect, form_post page or
 * token response).
 *
 * Shape: oidc-provider signs with a header of `alg` and `kid` only; IdentityServer, and so Togo ID,
 * also sends `typ: "JWT"` and the certificate thumbprint `x5t`, which no provider hook can add, so
 * the header is rewritten and the token signed again with the same key. An ID token from the token
 * endpoint gets the `at_hash` of the access token beside it, as IdentityServer issues it.
 *
 * Faults: each makes the token wrong in one way, so an application's token handling can be tested
 * against each failure it must catch (OpenID Connect Core §3.1.3.7, §3.2.2.11, §3.3.2.12).
 *
 * The token as the provider issued it is kept, so the emulator still recognises its own token when
 * it comes back as a logout `id_token_hint`, whatever fault was applied to it.
 */
import { createHash } from 'node:crypto';
import { CompactSign, decodeJwt, decodeProtectedHeader, UnsecuredJWT } from 'jose';
import type { SigningKey, TamperKeys } from './keys.js';
import type { FaultName } from './types.js';

export type { SigningKey, TamperKeys } from './keys.js';

/** The issuer `wrong-issuer` puts in tokens: a real one, as when a token from production meets a test set-up. */
export const WRONG_ISSUER = 'https://id2.runswithtogo.com/identity';
export const WRONG_AUDIENCE = 'some-other-client';
export const WRONG_NONCE = 'not-the-nonce-you-sent';

/** How many issued tokens are remembered for logout hints. */
const REMEMBERED = 1000;

/** at_hash for RS256: the left half of SHA-256 of the access token, base64url (Core §3.2.2.9). */
export function halfHash(value: string): string {
  return createHash('sha256').update(value).digest().subarray(0, 16).toString('base64url');
}

export interface IdTokenContext {
  /** The access token returned with the ID token by the token endpoint, if any. */
  accessToken?: string;
}

export class IdTokenRewriter {
  private faults: ReadonlySet<FaultName>;
  private readonly keys: TamperKeys;
  private readonly originals = new Map<string, string>();
  private issued = 0;

  constructor(faults: readonly FaultName[], keys: TamperKeys) {
    this.faults = new Set(faults);
    this.keys = keys;
  }

  /**
   * Switches the faults while the emulator runs (`setFaults`). The keys stay: a token issued
   * before the switch still verifies, and `rotate-keys` rotates from the next token on.
   */
  setFaults(faults: readonly FaultName[]): void {
    this.faults = new Set(faults);
  }

  /** With `rotate-keys`, the JWKS gains the next key once the first token has gone out. */
  get rotated(): boolean {
    return this.faults.has('rotate-keys') && this.issued >= 1;
  }

  /** Keys to add to the published JWKS. */
  extraPublicKeys(): Record<string, unknown>[] {
    return this.rotated && this.keys.next ? [this.keys.next.publicJwk] : [];
  }

  /** The token as the provider issued it, for a token the emulator handed out; undefined otherwise. */
  original(token: string): string | undefined {
    return this.originals.get(token);
  }

  /** Returns the token in Togo ID's shape with every active fault applied, and the faults applied. */
  async rewrite(
    token: string,
    context: IdTokenContext = {},
  ): Promise<{ token: string; applied: FaultName[] }> {
    let header: Record<string, unknown>;
    let payload: Record<string, unknown>;
    try {
      header = decodeProtectedHeader(token) as Record<string, unknown>;
      payload = { ...decodeJwt(token) };
    } catch {
      return { token, applied: [] };
    }
    if (this.originals.has(token)) return { token, applied: [] };
    this.issued += 1;
    const applied: FaultName[] = [];
    const has = (f: FaultName, when = true) => {
      const on = this.faults.has(f) && when;
      if (on) applied.push(f);
      return on;
    };
    const now = Math.floor(Date.now() / 1000);

    if (context.accessToken !== undefined && payload.at_hash === undefined) {
      payload.at_hash = halfHash(context.accessToken);
    }
    if (has('expired-id-token')) {
      // Issued fifteen minutes ago, expired ten minutes ago: far beyond any usual clock skew.
      payload.iat = now - 900;
      payload.exp = now - 600;
      if (typeof payload.nbf === 'number') payload.nbf = now - 900;
      if (typeof payload.auth_time === 'number') payload.auth_time = Math.min(payload.auth_time, now - 900);
    }
    if (has('wrong-audience')) payload.aud = WRONG_AUDIENCE;
    if (has('wrong-issuer')) payload.iss = WRONG_ISSUER;
    if (has('wrong-nonce', payload.nonce !== undefined)) payload.nonce = WRONG_NONCE;
    // The at_hash faults act wherever an access token goes with the ID token.
    if (has('missing-at-hash', payload.at_hash !== undefined)) delete payload.at_hash;
    if (has('bad-at-hash', payload.at_hash !== undefined)) {
      // The hash of another access token: well-formed, and wrong.
      payload.at_hash = halfHash('not-the-access-token');
    }

    let out: string;
    if (has('alg-none')) {
      out = new UnsecuredJWT(payload).encode();
    } else {
      let published: SigningKey = this.keys.primary;
      let signer: SigningKey = this.keys.primary;
      if (this.faults.has('unknown-kid') && this.keys.stranger) {
        applied.push('unknown-kid');
        published = signer = this.keys.stranger;
      } else if (this.faults.has('bad-signature') && this.keys.stranger) {
        applied.push('bad-signature');
        signer = this.keys.stranger;
      } else if (this.faults.has('rotate-keys') && this.keys.next && this.issued > 1) {
        applied.push('rotate-keys');
        published = signer = this.keys.next;
      }
      // IdentityServer's header: alg, kid (thumbprint, hex), typ, x5t (thumbprint, base64url).
      const shaped = {
        alg: String(header.alg ?? 'RS256'),
        kid: published.kid,
        typ: 'JWT',
        x5t: published.x5t,
      };
      out = await new CompactSign(Buffer.from(JSON.stringify(payload)))
        .setProtectedHeader(shaped)
        .sign(signer.privateKey);
    }
    this.originals.set(out, token);
    if (this.originals.size > REMEMBERED) {
      const oldest = this.originals.keys().next().value;
      if (oldest !== undefined) this.originals.delete(oldest);
    }
    return { token: out, applied };
  }
}
