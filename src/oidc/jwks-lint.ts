import { createHash, createPublicKey } from 'node:crypto';
import type { Finding, Severity } from './findings.js';

/**
 * Judges a JWKS (RFC 7517, RFC 7518, OIDC Core §10.1) against the discovery document that points at
 * it. Pure: no network; node:crypto only parses keys.
 */

export type Jwk = Record<string, unknown>;

export const JWKS_CHECKS = [
  'jwks.fetch',
  'jwks.no-private',
  'jwks.structure',
  'jwks.parse',
  'jwks.unusable',
  'jwks.use-when-mixed',
  'jwks.kid-unique',
] as const;

/** Members that only a private or symmetric key has (RFC 7518 §6.2.2, §6.3.2, §6.4, RFC 8037 §2). */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

const REQUIRED_MEMBERS: Record<string, string[]> = {
  RSA: ['n', 'e'],
  EC: ['crv', 'x', 'y'],
  OKP: ['crv', 'x'],
  oct: ['k'],
};

export interface KeySummary {
  kid: string | undefined;
  kty: string;
  alg: string | undefined;
  use: string | undefined;
  /** RSA modulus bits. */
  size: number | undefined;
  crv: string | undefined;
  /** RFC 7638 SHA-256 thumbprint of the public members; undefined when they are missing. */
  thumbprint: string | undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function base64urlBytes(v: unknown): Buffer | undefined {
  if (typeof v !== 'string' || !/^[A-Za-z0-9_-]*$/.test(v)) return undefined;
  return Buffer.from(v, 'base64url');
}

/** RFC 7638 §3.2: the required public members, sorted, no whitespace, hashed with SHA-256. */
export function thumbprint(jwk: Jwk): string | undefined {
  const kty = str(jwk.kty);
  // Own properties only: a kty such as "valueOf" must not find an Object method.
  const members =
    kty && kty !== 'oct' && Object.hasOwn(REQUIRED_MEMBERS, kty) ? REQUIRED_MEMBERS[kty] : undefined;
  if (!members?.every((m) => typeof jwk[m] === 'string')) return undefined;
  const canonical = JSON.stringify(Object.fromEntries([...members, 'kty'].sort().map((m) => [m, jwk[m]])));
  return createHash('sha256').update(canonical).digest('base64url');
}

export function describeKey(jwk: Jwk): KeySummary {
  const kty = str(jwk.kty) ?? '?';
  let size: number | undefined;
  if (kty === 'RSA') {
    const n = base64urlBytes(jwk.n);
    if (n && n.length > 0) size = (n[0] === 0 ? n.length - 1 : n.length) * 8;
  }
  return {
    kid: str(jwk.kid),
    kty,
    alg: str(jwk.alg),
    use: str(jwk.use),
    size,
    crv: str(jwk.crv),
    thumbprint: thumbprint(jwk),
  };
}

function keyName(jwk: Jwk, index: number): string {
  return typeof jwk.kid === 'string' ? `key ${JSON.stringify(jwk.kid)}` : `key #${index + 1}`;
}

/** Which key types and curves each JWS algorithm needs (RFC 7518 §3.1, RFC 8037 §3.1). */
function fitsAlg(jwk: Jwk, alg: string): boolean {
  const kty = jwk.kty;
  if (/^(RS|PS)(256|384|512)$/.test(alg)) return kty === 'RSA';
  const ec: Record<string, string> = { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521', ES256K: 'secp256k1' };
  if (ec[alg]) return kty === 'EC' && jwk.crv === ec[alg];
  if (alg === 'EdDSA' || alg === 'Ed25519')
    return kty === 'OKP' && (jwk.crv === 'Ed25519' || jwk.crv === 'Ed448');
  return false;
}

export interface JwksLintInput {
  keys: Jwk[];
  /** The document's id_token_signing_alg_values_supported, when it is an array of strings. */
  signingAlgs?: string[];
}

export function lintJwks(input: JwksLintInput): Finding[] {
  const out: Finding[] = [];
  const add = (id: string, severity: Severity, message: string, hint: string) =>
    out.push({ id, status: severity, message, hint });
  const parsable: boolean[] = [];

  input.keys.forEach((jwk, i) => {
    const name = keyName(jwk, i);
    // A JWKS is public: a private or symmetric key in it is a leaked secret.
    const privateMembers = PRIVATE_MEMBERS.filter((m) => jwk[m] !== undefined);
    if (jwk.kty === 'oct' || privateMembers.length > 0) {
      add(
        'jwks.no-private',
        'fail',
        jwk.kty === 'oct'
          ? `${name} is a symmetric key (kty "oct"): its secret is public`
          : `${name} contains private key material (${privateMembers.join(', ')})`,
        'Remove it from the JWKS now and rotate the key: anyone can sign tokens with it.',
      );
    }

    const problems: string[] = [];
    const kty = str(jwk.kty);
    if (!kty) problems.push('no "kty"');
    else if (!REQUIRED_MEMBERS[kty]) problems.push(`unknown kty ${JSON.stringify(kty)}`);
    else {
      const absent = REQUIRED_MEMBERS[kty]!.filter((m) => typeof jwk[m] !== 'string');
      if (absent.length > 0) problems.push(`missing ${absent.join(', ')}`);
    }
    if (jwk.kid !== undefined && typeof jwk.kid !== 'string') problems.push('"kid" is not a string');
    if (jwk.alg !== undefined && typeof jwk.alg !== 'string') problems.push('"alg" is not a string');
    if (jwk.use !== undefined && jwk.use !== 'sig' && jwk.use !== 'enc') {
      problems.push(`"use" is ${JSON.stringify(jwk.use)}, not "sig" or "enc"`);
    }
    if (
      jwk.key_ops !== undefined &&
      !(Array.isArray(jwk.key_ops) && jwk.key_ops.every((o) => typeof o === 'string'))
    ) {
      problems.push('"key_ops" is not an array of strings');
    }
    if (jwk.x5c !== undefined && !(Array.isArray(jwk.x5c) && jwk.x5c.every((c) => typeof c === 'string'))) {
      problems.push('"x5c" is not an array of strings');
    }
    if (problems.length > 0) {
      add(
        'jwks.structure',
        'fail',
        `${name}: ${problems.join('; ')}`,
        'See RFC 7517 §4 and RFC 7518 §6 for the members.',
      );
    }

    // The key must load as a public key, as a verifier would load it.
    let ok = false;
    if (problems.length === 0 && kty !== 'oct') {
      try {
        const publicOnly = Object.fromEntries(
          Object.entries(jwk).filter(([k]) => !PRIVATE_MEMBERS.includes(k)),
        );
        createPublicKey({ key: publicOnly as import('node:crypto').JsonWebKey, format: 'jwk' });
        ok = true;
      } catch (error) {
        add(
          'jwks.parse',
          'fail',
          `${name} cannot be loaded as a public key: ${(error as Error).message}`,
          'Check the base64url encoding of its members and the curve name.',
        );
      }
    }
    parsable.push(ok);
  });

  // Can any key verify the ID tokens the document says it signs?
  const isSigning = (jwk: Jwk) =>
    jwk.use !== 'enc' && (!Array.isArray(jwk.key_ops) || (jwk.key_ops as unknown[]).includes('verify'));
  const algs = input.signingAlgs?.filter((a) => a !== 'none' && !a.startsWith('HS'));
  if (input.keys.length === 0) {
    add(
      'jwks.unusable',
      'warn',
      'the JWKS has no keys',
      'Clients cannot verify any ID token signed with a public key.',
    );
  } else if (algs && algs.length > 0) {
    for (const alg of algs) {
      const usable = input.keys.some(
        (jwk, i) =>
          parsable[i] && isSigning(jwk) && fitsAlg(jwk, alg) && (jwk.alg === undefined || jwk.alg === alg),
      );
      if (!usable) {
        add(
          'jwks.unusable',
          'warn',
          `no key can verify ${alg}, which id_token_signing_alg_values_supported lists`,
          `Publish a ${alg} signing key, or stop advertising ${alg}.`,
        );
      }
    }
    input.keys.forEach((jwk, i) => {
      if (
        typeof jwk.alg === 'string' &&
        isSigning(jwk) &&
        !algs.includes(jwk.alg) &&
        !jwk.alg.startsWith('HS')
      ) {
        add(
          'jwks.unusable',
          'warn',
          `${keyName(jwk, i)} is for ${jwk.alg}, which id_token_signing_alg_values_supported does not list`,
          'A key nobody may use is noise; remove it or list its algorithm.',
        );
      }
    });
  }

  // Core §10.1.1: when signing and encryption keys are both published, every key needs "use".
  const hasEnc = input.keys.some((k) => k.use === 'enc');
  if (hasEnc) {
    const without = input.keys.map((k, i) => ({ k, i })).filter(({ k }) => k.use === undefined);
    if (without.length > 0) {
      add(
        'jwks.use-when-mixed',
        'fail',
        `the JWKS mixes signing and encryption keys, but ${without.map(({ k, i }) => keyName(k, i)).join(', ')} ${without.length > 1 ? 'have' : 'has'} no "use"`,
        'OIDC Core §10.1.1: with both kinds present, every key MUST say "use": "sig" or "enc".',
      );
    }
  }

  // Clients pick the key by kid (Core §10.1): it must be unique, and present when there are several.
  const seen = new Map<string, number>();
  for (const k of input.keys) if (typeof k.kid === 'string') seen.set(k.kid, (seen.get(k.kid) ?? 0) + 1);
  const dup = [...seen].filter(([, n]) => n > 1).map(([kid]) => kid);
  if (dup.length > 0) {
    add(
      'jwks.kid-unique',
      'warn',
      `duplicate kid: ${dup.map((d) => JSON.stringify(d)).join(', ')}`,
      'Clients pick the key by kid; give each key its own (OIDC Core §10.1).',
    );
  }
  if (input.keys.length > 1 && input.keys.some((k) => k.kid === undefined)) {
    add(
      'jwks.kid-unique',
      'warn',
      'several keys, not all with a kid',
      'With more than one key, clients need the kid to pick the right one (OIDC Core §10.1).',
    );
  }
  return out;
}

/** The JWKS could not be fetched or is not a JWKS: one finding that carries the network error's words. */
export function jwksFetchFinding(error: { code: string; message: string; hint: string }): Finding {
  return {
    id: error.code === 'JWKS_FETCH_INVALID' ? 'jwks.structure' : 'jwks.fetch',
    status: 'fail',
    message: `${error.message} [${error.code}]`,
    hint: error.hint,
  };
}
