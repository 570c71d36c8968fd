import { createHash, createPublicKey } from 'node:crypto';
import type { Check } from '../check.js';
import { fail, type Rule, runRule, runRules, type Verdict, warn } from '../rule.js';

/**
 * Judges a JWKS (RFC 7517, RFC 7518, OIDC Core §10.1) against the discovery document that points at
 * it. Pure: no network; node:crypto only parses keys.
 */

export type Jwk = Record<string, unknown>;

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

/** A key as the rules see it: checked and loaded once, then judged by each rule. */
interface KeyView {
  jwk: Jwk;
  /** `key "kid"`, or `key #n` without a kid. */
  name: string;
  /** What is malformed (RFC 7517 §4, RFC 7518 §6); empty when the key is well-formed. */
  problems: string[];
  /** Why the key does not load as a public key; undefined when it loads or was not tried. */
  loadError: string | undefined;
  /** It loads as a public key, as a verifier would load it. */
  loads: boolean;
}

interface JwksView {
  keys: KeyView[];
  signingAlgs?: string[];
}

/** Why the JWKS could not be fetched or read, in the network error's words. */
interface FetchFailure {
  code: string;
  message: string;
  hint: string;
}

/** Judged while fetching: jwksFetchCheck reports it. */
const FETCH_RULE = {
  id: 'jwks.fetch',
  spec: 'RFC 7517 §5; OpenID Connect Discovery §3 (jwks_uri)',
  appliesTo: 'the JWKS at jwks_uri',
  run: ({ code, message, hint }) => fail(`${message} [${code}]`, { hint }),
} as const satisfies Rule<FetchFailure>;

/** Run on each key in turn, so the findings of one key stay together. */
const KEY_RULES = [
  {
    id: 'jwks.no-private',
    spec: 'RFC 7517 §5; RFC 7518 §6',
    appliesTo: 'each key of the JWKS',
    run: noPrivate,
  },
  {
    id: 'jwks.structure',
    spec: 'RFC 7517 §4; RFC 7518 §6',
    appliesTo: 'each key of the JWKS',
    run: structure,
  },
  { id: 'jwks.parse', spec: 'RFC 7518 §6', appliesTo: 'each key of the JWKS', run: parses },
] as const satisfies readonly Rule<KeyView>[];

/** Run on the whole set, after every key. */
const SET_RULES = [
  {
    id: 'jwks.unusable',
    spec: 'RFC 7518 §3.1; OpenID Connect Core §10.1',
    appliesTo: 'the JWKS, against the signing algorithms advertised',
    run: unusable,
  },
  {
    id: 'jwks.use-when-mixed',
    spec: 'OpenID Connect Core §10.1.1',
    appliesTo: 'the JWKS',
    run: useWhenMixed,
  },
  { id: 'jwks.kid-unique', spec: 'OpenID Connect Core §10.1', appliesTo: 'the JWKS', run: kidUnique },
] as const satisfies readonly Rule<JwksView>[];

/** Every rule, in the order it runs; the list of ids and `togo check`'s table are read from here. */
export const JWKS_RULES = [FETCH_RULE, ...KEY_RULES, ...SET_RULES] as const;

export type JwksCheckId = (typeof JWKS_RULES)[number]['id'];

/** Every check id this linter can report, in the order it runs them (for `togo check`'s table). */
export const JWKS_CHECKS: readonly JwksCheckId[] = JWKS_RULES.map((rule) => rule.id);

export function lintJwks(input: JwksLintInput): Check[] {
  const keys = input.keys.map(viewKey);
  return [
    ...keys.flatMap((key) => runRules(KEY_RULES, key)),
    ...runRules(SET_RULES, { keys, ...(input.signingAlgs ? { signingAlgs: input.signingAlgs } : {}) }),
  ];
}

function viewKey(jwk: Jwk, index: number): KeyView {
  const problems = structureProblems(jwk);
  const tried = problems.length === 0 && jwk.kty !== 'oct';
  const loadError = tried ? publicKeyError(jwk) : undefined;
  return { jwk, name: keyName(jwk, index), problems, loadError, loads: tried && loadError === undefined };
}

/** What is malformed in the members of a key. */
function structureProblems(jwk: Jwk): string[] {
  const problems: string[] = [];
  const kty = str(jwk.kty);
  if (!kty) problems.push('no "kty"');
  // Own properties only: a kty such as "valueOf" must not find an Object method.
  else if (!Object.hasOwn(REQUIRED_MEMBERS, kty)) problems.push(`unknown kty ${JSON.stringify(kty)}`);
  else {
    const absent = REQUIRED_MEMBERS[kty]!.filter((m) => typeof jwk[m] !== 'string');
    if (absent.length > 0) problems.push(`missing ${absent.join(', ')}`);
  }
  if (jwk.kid !== undefined && typeof jwk.kid !== 'string') problems.push('"kid" is not a string');
  if (jwk.alg !== undefined && typeof jwk.alg !== 'string') problems.push('"alg" is not a string');
  if (jwk.use !== undefined && jwk.use !== 'sig' && jwk.use !== 'enc') {
    problems.push(`"use" is ${JSON.stringify(jwk.use)}, not "sig" or "enc"`);
  }
  if (jwk.key_ops !== undefined && !isStringArray(jwk.key_ops)) {
    problems.push('"key_ops" is not an array of strings');
  }
  if (jwk.x5c !== undefined && !isStringArray(jwk.x5c)) {
    problems.push('"x5c" is not an array of strings');
  }
  return problems;
}

function isStringArray(v: unknown): boolean {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

/** Loads the public members as a verifier would; the error's words when that fails. */
function publicKeyError(jwk: Jwk): string | undefined {
  try {
    const publicOnly = Object.fromEntries(Object.entries(jwk).filter(([k]) => !PRIVATE_MEMBERS.includes(k)));
    createPublicKey({ key: publicOnly as import('node:crypto').JsonWebKey, format: 'jwk' });
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

// A JWKS is public: a private or symmetric key in it is a leaked secret.
function noPrivate({ jwk, name }: KeyView): Verdict[] {
  const privateMembers = PRIVATE_MEMBERS.filter((m) => jwk[m] !== undefined);
  if (jwk.kty !== 'oct' && privateMembers.length === 0) return [];
  return [
    fail(
      jwk.kty === 'oct'
        ? `${name} is a symmetric key (kty "oct"): its secret is public`
        : `${name} contains private key material (${privateMembers.join(', ')})`,
      { hint: 'Remove it from the JWKS now and rotate the key: anyone can sign tokens with it.' },
    ),
  ];
}

function structure({ name, problems }: KeyView): Verdict[] {
  if (problems.length === 0) return [];
  return [
    fail(`${name}: ${problems.join('; ')}`, { hint: 'See RFC 7517 §4 and RFC 7518 §6 for the members.' }),
  ];
}

// The key must load as a public key, as a verifier would load it.
function parses({ name, loadError }: KeyView): Verdict[] {
  if (loadError === undefined) return [];
  return [
    fail(`${name} cannot be loaded as a public key: ${loadError}`, {
      hint: 'Check the base64url encoding of its members and the curve name.',
    }),
  ];
}

function isSigning(jwk: Jwk): boolean {
  return jwk.use !== 'enc' && (!Array.isArray(jwk.key_ops) || (jwk.key_ops as unknown[]).includes('verify'));
}

// Can any key verify the ID tokens the document says it signs?
function unusable({ keys, signingAlgs }: JwksView): Verdict[] {
  if (keys.length === 0) {
    return [
      warn('the JWKS has no keys', { hint: 'Clients cannot verify any ID token signed with a public key.' }),
    ];
  }
  const algs = signingAlgs?.filter((a) => a !== 'none' && !a.startsWith('HS'));
  if (!algs || algs.length === 0) return [];
  return [...unverifiable(keys, algs), ...unadvertised(keys, algs)];
}

/** An advertised algorithm no key can verify. */
function unverifiable(keys: readonly KeyView[], algs: readonly string[]): Verdict[] {
  const usable = (alg: string) =>
    keys.some(
      ({ jwk, loads }) =>
        loads && isSigning(jwk) && fitsAlg(jwk, alg) && (jwk.alg === undefined || jwk.alg === alg),
    );
  return algs
    .filter((alg) => !usable(alg))
    .map((alg) =>
      warn(`no key can verify ${alg}, which id_token_signing_alg_values_supported lists`, {
        hint: `Publish a ${alg} signing key, or stop advertising ${alg}.`,
      }),
    );
}

/** A signing key for an algorithm the document does not advertise. */
function unadvertised(keys: readonly KeyView[], algs: readonly string[]): Verdict[] {
  return keys.flatMap(({ jwk, name }) => {
    const alg = jwk.alg;
    if (typeof alg !== 'string' || !isSigning(jwk) || algs.includes(alg) || alg.startsWith('HS')) return [];
    return [
      warn(`${name} is for ${alg}, which id_token_signing_alg_values_supported does not list`, {
        hint: 'A key nobody may use is noise; remove it or list its algorithm.',
      }),
    ];
  });
}

// Core §10.1.1: when signing and encryption keys are both published, every key needs "use".
function useWhenMixed({ keys }: JwksView): Verdict[] {
  if (!keys.some(({ jwk }) => jwk.use === 'enc')) return [];
  const without = keys.filter(({ jwk }) => jwk.use === undefined);
  if (without.length === 0) return [];
  return [
    fail(
      `the JWKS mixes signing and encryption keys, but ${without.map(({ name }) => name).join(', ')} ${without.length > 1 ? 'have' : 'has'} no "use"`,
      { hint: 'OIDC Core §10.1.1: with both kinds present, every key MUST say "use": "sig" or "enc".' },
    ),
  ];
}

// Clients pick the key by kid (Core §10.1): it must be unique, and present when there are several.
function kidUnique({ keys }: JwksView): Verdict[] {
  const seen = new Map<string, number>();
  for (const { jwk } of keys)
    if (typeof jwk.kid === 'string') seen.set(jwk.kid, (seen.get(jwk.kid) ?? 0) + 1);
  const dup = [...seen].filter(([, n]) => n > 1).map(([kid]) => kid);
  const out: Verdict[] = [];
  if (dup.length > 0) {
    out.push(
      warn(`duplicate kid: ${dup.map((d) => JSON.stringify(d)).join(', ')}`, {
        hint: 'Clients pick the key by kid; give each key its own (OIDC Core §10.1).',
      }),
    );
  }
  if (keys.length > 1 && keys.some(({ jwk }) => jwk.kid === undefined)) {
    out.push(
      warn('several keys, not all with a kid', {
        hint: 'With more than one key, clients need the kid to pick the right one (OIDC Core §10.1).',
      }),
    );
  }
  return out;
}

/** The JWKS could not be fetched or is not a JWKS: one check that carries the network error's words. */
export function jwksFetchCheck(error: FetchFailure): Check {
  const [check] = runRule(FETCH_RULE, error);
  // A document that is not a JWKS is reported where a malformed key would be.
  return {
    ...check!,
    id: (error.code === 'JWKS_FETCH_INVALID' ? 'jwks.structure' : FETCH_RULE.id) satisfies JwksCheckId,
  };
}
