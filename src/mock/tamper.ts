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
import { type FaultName, faultsWith, SIGNING_FAULTS, type SigningFault } from './faults.js';
import type { SigningKey, TamperKeys } from './keys.js';

export { WRONG_AUDIENCE, WRONG_ISSUER, WRONG_NONCE } from './faults.js';
export type { SigningKey, TamperKeys } from './keys.js';

/** How many issued tokens are remembered for logout hints. */
const REMEMBERED = 1000;

/** at_hash for RS256: the left half of SHA-256 of the access token, base64url (Core §3.2.2.9). */
export function halfHash(value: string): string {
  return createHash('sha256').update(value).digest().subarray(0, 16).toString('base64url');
}

export interface IdTokenContext {
  /** The access token returned with the ID token by the token endpoint, if any. */
  accessToken?: string;
  /** The grant of the token endpoint request (`refresh_token` for a refresh); none in the authorize response. */
  grantType?: string;
}

/** A subject for `refresh-other-sub` when the emulator has no other user. */
const STRANGER_SUB = '00000000-0000-4000-8000-000000000000';

export class IdTokenRewriter {
  private faults: ReadonlySet<FaultName>;
  private readonly keys: TamperKeys;
  private readonly subs: readonly string[];
  private readonly originals = new Map<string, string>();
  private issued = 0;
  /** Whether the next key has signed a token: only then does the JWKS publish it. */
  private nextKeyUsed = false;

  constructor(faults: readonly FaultName[], keys: TamperKeys, subs: readonly string[] = []) {
    this.faults = new Set(faults);
    this.keys = keys;
    this.subs = subs;
  }

  /**
   * Switches the faults while the emulator runs (`setFaults`). The keys stay: a token issued
   * before the switch still verifies, and `rotate-keys` rotates from the next token on.
   */
  setFaults(faults: readonly FaultName[]): void {
    this.faults = new Set(faults);
  }

  /**
   * Keys to add to the published JWKS: the next key once it has signed a token (`rotate-keys`), so
   * a relying party that fetched the key set before then meets an unknown kid and must refetch.
   */
  extraPublicKeys(): Record<string, unknown>[] {
    return this.nextKeyUsed && this.keys.next ? [this.keys.next.publicJwk] : [];
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

    if (context.accessToken !== undefined && payload.at_hash === undefined) {
      payload.at_hash = halfHash(context.accessToken);
    }
    const scene = {
      now: Math.floor(Date.now() / 1000),
      ...(context.grantType !== undefined ? { grantType: context.grantType } : {}),
      otherSub: this.subs.find((s) => s !== payload.sub) ?? STRANGER_SUB,
      atHash: halfHash,
    };
    for (const { name, hook } of faultsWith(this.faults, 'idToken')) {
      if (hook(payload, scene)) applied.push(name);
    }

    const signing = this.signing();
    if (signing) applied.push(signing.name);
    let out: string;
    if (signing?.how === 'unsigned') {
      out = new UnsecuredJWT(payload).encode();
    } else {
      const { published, signer } = this.signingKeys(signing?.how);
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

  /** The key fault that signs this token, if any: the first kind in SIGNING_FAULTS that can act. */
  private signing(): { name: FaultName; how: SigningFault } | undefined {
    const active = faultsWith(this.faults, 'signing');
    for (const how of SIGNING_FAULTS) {
      const found = active.find((f) => f.hook === how);
      if (!found) continue;
      if (how === 'stranger-kid' || how === 'stranger-under-published-kid') {
        if (this.keys.stranger) return { name: found.name, how };
      } else if (how === 'next-key') {
        // The first token is signed with the published key; the next key signs from the second on.
        if (this.keys.next && this.issued > 1) return { name: found.name, how };
      } else return { name: found.name, how };
    }
    return undefined;
  }

  private signingKeys(how: SigningFault | undefined): { published: SigningKey; signer: SigningKey } {
    const { primary, stranger, next } = this.keys;
    if (how === 'stranger-kid' && stranger) return { published: stranger, signer: stranger };
    if (how === 'stranger-under-published-kid' && stranger) return { published: primary, signer: stranger };
    if (how === 'next-key' && next) {
      this.nextKeyUsed = true;
      return { published: next, signer: next };
    }
    return { published: primary, signer: primary };
  }
}
