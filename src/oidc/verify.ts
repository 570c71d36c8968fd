/**
 * Verification: the signature with jose, then the one policy of policy.ts (pinned issuer,
 * expected audience, times, header) and the rules of the token's profile. `judge` is the only way
 * to a verdict; every kind of token (ID token, access token, signed userinfo) goes through it.
 * Every check is reported, so a report can say exactly what failed; a token with any failed check
 * is never `ok`.
 */
import type { webcrypto } from 'node:crypto';
import type { JSONWebKeySet, JWK } from 'jose';
import { createLocalJWKSet } from 'jose/jwks/local';
import { compactVerify } from 'jose/jws/compact/verify';
import { type ErrorCode, TogoError } from '../errors.js';
import { fail as failed, pass, type Verdict, warn } from '../rule.js';
import { type ClaimExpectations, ID_TOKEN_PROFILE } from './id-token-checks.js';
import {
  judgeTable,
  type PolicyExpectations,
  type Profile,
  type VerdictKind,
  type Verification,
  verdictOf,
} from './policy.js';
import { show } from './show.js';
import { type DecodedToken, decodeToken } from './token.js';

export { type VerdictKind, type Verification, verdictOf };

export interface Jwks {
  keys: Record<string, unknown>[];
}

/** Where verification keys come from; `reload` fetches them again after an unknown kid. */
export interface KeySource {
  /** For messages: "the JWKS at https://…", "./jwks.json". */
  describe: string;
  load(): Promise<Jwks>;
  reload?: () => Promise<Jwks>;
}

export interface VerifyOptions extends ClaimExpectations {
  keys?: KeySource;
  /** The client secret, for HS256/384/512 tokens only; never a key from a JWKS. */
  secret?: string;
  /** Milliseconds since the epoch; defaults to the clock. */
  now?: number;
}

/** Asymmetric JWS algorithms jose verifies; HMAC only with an explicit secret, `none` never. */
const ASYMMETRIC_ALGS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
];
const HMAC_ALGS = ['HS256', 'HS384', 'HS512'];
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'];

/** Checks a JWKS's shape (RFC 7517 §5) before any key in it is used. */
export function assertJwks(value: unknown, source: string): Jwks {
  if (typeof value !== 'object' || value === null || !Array.isArray((value as Jwks).keys)) {
    throw new TogoError('JWKS_INVALID', `${source} is not a JWKS: it has no "keys" array`);
  }
  const keys = (value as Jwks).keys;
  if (!keys.every((k) => typeof k === 'object' && k !== null && !Array.isArray(k))) {
    throw new TogoError('JWKS_INVALID', `${source} has entries in "keys" that are not objects`);
  }
  return value as Jwks;
}

function joseCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

type SignatureResult = { verdict: Verdict; keyCount?: number };

/** What the signature is checked against: the token, its alg and kid, and where the keys come from. */
type Wanted = { token: string; alg: string; kid: string | undefined; source: KeySource };

/** jose found no key for the token in the JWKS: the one outcome worth fetching the JWKS again for. */
const NO_MATCHING_KEY = Symbol('no matching key');
type Attempt = SignatureResult | typeof NO_MATCHING_KEY;

function signatureFailure(code: ErrorCode, message: string, keyCount?: number): SignatureResult {
  return { verdict: failed(message, { name: 'signature', code }), keyCount };
}

/** Verifies with the JWKS, fetching it once more when no key matches (the provider may have rotated its keys). */
async function verifyWithJwks(
  token: string,
  header: DecodedToken['header'],
  source: KeySource,
): Promise<SignatureResult> {
  const want: Wanted = {
    token,
    alg: show(header.alg),
    kid: typeof header.kid === 'string' ? header.kid : undefined,
    source,
  };
  let jwks = await source.load();
  let reloaded = false;
  let attempt = await verifyWithKeys(want, jwks, reloaded);
  if (attempt === NO_MATCHING_KEY && source.reload) {
    jwks = await source.reload();
    reloaded = true;
    attempt = await verifyWithKeys(want, jwks, reloaded);
  }
  if (attempt !== NO_MATCHING_KEY) return attempt;
  const { alg, kid } = want;
  return signatureFailure(
    'JWKS_NO_MATCHING_KEY',
    `no key in ${source.describe}${reloaded ? ' (fetched twice)' : ''} matches ${kid ? `kid ${kid} and ` : ''}alg ${alg}`,
    jwks.keys.length,
  );
}

const isPublicAsymmetric = (k: Record<string, unknown>) =>
  k.kty !== 'oct' && !PRIVATE_MEMBERS.some((m) => m in k);

/** One try with one JWKS: refuses a secret key under the token's kid, then lets jose pick the key. */
async function verifyWithKeys(want: Wanted, jwks: Jwks, reloaded: boolean): Promise<Attempt> {
  const { token, kid, source } = want;
  const keyCount = jwks.keys.length;
  const withKid = kid === undefined ? [] : jwks.keys.filter((k) => k.kid === kid);
  const unusable = withKid.find((k) => !isPublicAsymmetric(k));
  if (unusable) {
    return signatureFailure(
      'JWKS_UNUSABLE_KEY',
      `${source.describe} publishes a ${unusable.kty === 'oct' ? 'symmetric' : 'private'} key for kid ${kid}; it is never used to verify`,
      keyCount,
    );
  }
  // Only public asymmetric keys take part: a symmetric key from a JWKS would let anyone who can read
  // the JWKS forge tokens (the HS256-with-public-key confusion).
  const usable = jwks.keys.filter(isPublicAsymmetric);
  try {
    // Inside the try: a JWKS jose refuses (a member nested too deep, say) is an unusable key, not a crash.
    const keySet = createLocalJWKSet({ keys: usable as JWK[] } as JSONWebKeySet);
    await compactVerify(token, keySet, { algorithms: ASYMMETRIC_ALGS });
    return {
      verdict: pass(
        `signature verified with ${kid ? `key ${kid}` : 'the only matching key'} from ${source.describe}${reloaded ? ' (fetched again after an unknown kid)' : ''}`,
        { name: 'signature' },
      ),
      keyCount,
    };
  } catch (error) {
    return explainRefusal(want, error, keyCount);
  }
}

/** What jose's refusal means for the user; an error that is not about the token or its keys is thrown on. */
async function explainRefusal(want: Wanted, error: unknown, keyCount: number): Promise<Attempt> {
  const { alg, kid, source } = want;
  const code = joseCode(error);
  if (code === 'ERR_JWKS_NO_MATCHING_KEY') return NO_MATCHING_KEY;
  if (code === 'ERR_JWKS_MULTIPLE_MATCHING_KEYS') return verifyWithSharedKid(want, error, keyCount);
  if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') {
    return signatureFailure(
      'TOKEN_SIGNATURE_INVALID',
      `the signature does not verify with key ${kid ?? '(no kid)'}`,
      keyCount,
    );
  }
  if (code === 'ERR_JOSE_ALG_NOT_ALLOWED' || code === 'ERR_JOSE_NOT_SUPPORTED') {
    return signatureFailure(
      'TOKEN_ALG_NOT_ALLOWED',
      `alg ${alg} cannot be verified with a public key`,
      keyCount,
    );
  }
  if (code === 'ERR_JWKS_INVALID' || code === 'ERR_JWK_INVALID') {
    return signatureFailure(
      'JWKS_UNUSABLE_KEY',
      `the key for this token in ${source.describe} is not usable: ${(error as Error).message}`,
      keyCount,
    );
  }
  if (error instanceof TypeError || error instanceof RangeError || code?.startsWith('ERR_J')) {
    return signatureFailure(
      'JWKS_UNUSABLE_KEY',
      `the key for this token could not be used: ${(error as Error).message}`,
      keyCount,
    );
  }
  throw error;
}

/**
 * Several keys match: with no kid togo does not guess; when several share the token's kid, the
 * token is accepted (with a warning) only if one of them verifies it.
 */
async function verifyWithSharedKid(
  { token, alg, kid, source }: Wanted,
  error: unknown,
  keyCount: number,
): Promise<SignatureResult> {
  if (kid === undefined) {
    return signatureFailure(
      'JWKS_MULTIPLE_MATCHING_KEYS',
      `the token has no kid and ${source.describe} holds several ${alg} keys; togo does not guess`,
      keyCount,
    );
  }
  for await (const key of error as AsyncIterable<webcrypto.CryptoKey>) {
    try {
      await compactVerify(token, key, { algorithms: ASYMMETRIC_ALGS });
      return {
        verdict: warn(`signature verified, but several keys in ${source.describe} share kid ${kid}`, {
          name: 'signature',
          code: 'JWKS_MULTIPLE_MATCHING_KEYS',
        }),
        keyCount,
      };
    } catch {
      // try the next key with that kid
    }
  }
  return signatureFailure(
    'TOKEN_SIGNATURE_INVALID',
    `no key with kid ${kid} verifies the signature`,
    keyCount,
  );
}

export async function verifySignature(
  token: DecodedToken,
  options: { keys?: KeySource; secret?: string },
): Promise<SignatureResult> {
  const alg = show(token.header.alg);
  const fail = (code: ErrorCode, message: string): SignatureResult => ({
    verdict: failed(message, { name: 'signature', code }),
  });
  if (alg.toLowerCase() === 'none') return fail('TOKEN_ALG_NONE', 'the token is not signed (alg "none")');
  // RFC 7515 §4.1.11: a JWS with a critical extension the verifier does not understand is invalid.
  if (token.header.crit !== undefined) {
    return fail('TOKEN_CRIT_UNSUPPORTED', 'not verified: the header names critical extensions (crit)');
  }
  if (HMAC_ALGS.includes(alg)) {
    if (options.secret === undefined) {
      return fail(
        'TOKEN_ALG_NOT_ALLOWED',
        `${alg} is signed with a shared secret, and no client secret was given; keys from a JWKS are never used for it`,
      );
    }
    try {
      await compactVerify(token.raw, new TextEncoder().encode(options.secret), { algorithms: HMAC_ALGS });
      return { verdict: pass(`${alg} signature verified with the client secret`, { name: 'signature' }) };
    } catch {
      return fail('TOKEN_SIGNATURE_INVALID', `the ${alg} signature does not verify with the client secret`);
    }
  }
  if (!ASYMMETRIC_ALGS.includes(alg)) return fail('TOKEN_ALG_NOT_ALLOWED', `alg ${alg} is not supported`);
  if (!options.keys) return fail('NO_VERIFICATION_KEY', 'no key to verify the signature with');
  return verifyWithJwks(token.raw, token.header, options.keys);
}

/** A key source over a JWKS already in hand (a file, a test). */
export function staticKeys(jwks: unknown, describe: string): KeySource {
  const checked = assertJwks(jwks, describe);
  return { describe, load: async () => checked };
}

/** What judge needs besides the profile's own expectations: the keys and the clock. */
export interface KeyOptions extends PolicyExpectations {
  keys?: KeySource;
  secret?: string;
  /** Milliseconds since the epoch; defaults to the clock. */
  now?: number;
}

/**
 * The one way to a verdict: the signature, then the profile's table (the policy's rules and the
 * profile's own). Never throws for a bad token; throws only when the keys cannot be loaded (a
 * network or input error the caller reports).
 */
export async function judge<E extends KeyOptions>(
  decoded: DecodedToken,
  profile: Profile<E>,
  e: E,
): Promise<Verification> {
  const signature = await verifySignature(decoded, e);
  return judgeTable(profile, {
    header: decoded.header,
    payload: decoded.payload,
    expect: e,
    now: Math.floor((e.now ?? Date.now()) / 1000),
    signature: signature.verdict,
    ...(signature.keyCount !== undefined ? { keyCount: signature.keyCount } : {}),
  });
}

/** Verifies an ID token and reports every check (D1–D16) by the one policy. */
export async function verifyIdToken(
  token: string | DecodedToken,
  options: VerifyOptions = {},
): Promise<Verification> {
  const decoded = typeof token === 'string' ? decodeToken(token) : token;
  return judge<VerifyOptions>(decoded, ID_TOKEN_PROFILE, options);
}
