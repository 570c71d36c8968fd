/**
 * The claim checks of ID token validation (OIDC Core 1.0 §3.1.3.7, §3.2.2.11, §3.3.2.12), as a
 * straight run of small pure functions, each naming the field it judged. The signature check (D5)
 * needs keys and lives in verify.ts; this file needs nothing but the decoded token and the
 * expectations.
 */
import { createHash } from 'node:crypto';
import type { Check as BaseCheck } from '../check.js';
import type { ErrorCode } from '../errors.js';
import { inOrder, type PolicyExpectations, type Profile, policyClaimChecks } from './policy.js';
import { show } from './show.js';
import { isoDate, relativeTime } from './time.js';
import { guessTokenKind, kindFromTyp } from './token-kind.js';

export type { CheckStatus } from '../check.js';

export type CheckId =
  | 'D1'
  | 'D2'
  | 'D3'
  | 'D4'
  | 'D5'
  | 'D6'
  | 'D7'
  | 'D8'
  | 'D9'
  | 'D10'
  | 'D11'
  | 'D12'
  | 'D13'
  | 'D14'
  | 'D15'
  | 'D16';

/** An ID token check: the one check shape (src/check.ts) with a D-number and a short name. */
export type Check = BaseCheck & {
  id: CheckId;
  /** What was checked, in a word or two: "signature", "exp", "nonce". */
  name: string;
};

export interface ClaimExpectations extends PolicyExpectations {
  /** The client id: must be in `aud` (the policy's audience); `azp` must equal it. */
  audience?: string;
  nonce?: string;
  accessToken?: string;
  code?: string;
  /** max_age sent in the request, seconds. */
  maxAge?: number;
  acrValues?: string[];
  /** Algorithms the provider advertises (id_token_signing_alg_values_supported). */
  allowedAlgs?: string[];
  /** The response type of the request: makes nonce, at_hash and c_hash required where the spec does. */
  responseType?: string;
  /** Number of keys in the JWKS in use (D15). */
  jwksKeyCount?: number;
}

type Header = Record<string, unknown>;
type Payload = Record<string, unknown>;

const pass = (id: CheckId, name: string, message: string): Check => ({ id, name, status: 'pass', message });
const fail = (id: CheckId, name: string, code: ErrorCode, message: string): Check => ({
  id,
  name,
  status: 'fail',
  code,
  message,
});
const warn = (id: CheckId, name: string, message: string, code?: ErrorCode): Check => ({
  id,
  name,
  status: 'warn',
  message,
  ...(code ? { code } : {}),
});
const skip = (id: CheckId, name: string, message: string): Check => ({ id, name, status: 'skip', message });

function responseTypeHas(responseType: string | undefined, part: string): boolean {
  return responseType?.split(/\s+/).includes(part) === true;
}

/** Implicit and hybrid flows return the ID token from the authorization endpoint. */
function isFrontChannel(responseType: string | undefined): boolean {
  return responseTypeHas(responseType, 'id_token');
}

/** D4: azp, when present, equals the client id; it should be present with several audiences. */
export function checkAuthorizedParty(payload: Payload, e: ClaimExpectations): Check {
  const azp = payload.azp;
  const multiple = Array.isArray(payload.aud) && payload.aud.length > 1;
  if (azp === undefined) {
    return multiple
      ? warn('D4', 'azp', 'several audiences and no azp: OIDC Core §2 says azp should name the client')
      : skip('D4', 'azp', 'no azp claim');
  }
  if (e.audience === undefined)
    return skip('D4', 'azp', `azp is ${show(azp)}; not checked: no client id given`);
  if (azp !== e.audience) {
    return warn('D4', 'azp', `azp is ${show(azp)}, expected ${e.audience}`, 'TOKEN_AUDIENCE_MISMATCH');
  }
  return pass('D4', 'azp', `azp is ${e.audience}`);
}

/** D6: alg is one the provider advertises. */
export function checkAlgorithmAllowed(header: Header, e: ClaimExpectations): Check {
  const alg = show(header.alg);
  if (!e.allowedAlgs) return skip('D6', 'alg', 'no provider metadata to compare the algorithm with');
  if (!e.allowedAlgs.includes(alg)) {
    return fail(
      'D6',
      'alg',
      'TOKEN_ALG_NOT_ALLOWED',
      `alg ${alg} is not among the provider's ${e.allowedAlgs.join(', ') || '(none)'}`,
    );
  }
  return pass('D6', 'alg', `${alg} is advertised by the provider`);
}

function when(seconds: number, nowSeconds: number): string {
  return `${isoDate(seconds)} (${relativeTime(seconds, nowSeconds)})`;
}

/** D9: nonce equals the one sent; required for implicit and hybrid (Core §3.2.2.11). */
export function checkNonce(payload: Payload, e: ClaimExpectations): Check {
  const nonce = payload.nonce;
  if (e.nonce === undefined) {
    if (nonce === undefined && isFrontChannel(e.responseType)) {
      return fail(
        'D9',
        'nonce',
        'TOKEN_CLAIM_MISSING',
        `nonce is missing; it is required for ${e.responseType}`,
      );
    }
    return skip('D9', 'nonce', nonce === undefined ? 'no nonce claim' : 'no expected nonce was given');
  }
  if (nonce === undefined)
    return fail('D9', 'nonce', 'TOKEN_NONCE_MISMATCH', 'nonce is missing; one was sent');
  if (nonce !== e.nonce) {
    return fail('D9', 'nonce', 'TOKEN_NONCE_MISMATCH', 'nonce differs from the one sent with the request');
  }
  return pass('D9', 'nonce', 'nonce matches the request');
}

/**
 * The left-most half of the hash of the ASCII value, base64url (Core §3.1.3.6, §3.3.2.11): SHA-256
 * for …256, SHA-384 for …384, SHA-512 for …512 and EdDSA (Ed25519).
 */
export function halfHash(value: string, alg: string): string | undefined {
  let digest: string;
  if (/256$/.test(alg)) digest = 'sha256';
  else if (/384$/.test(alg)) digest = 'sha384';
  else if (/512$/.test(alg) || alg === 'EdDSA' || alg === 'Ed25519') digest = 'sha512';
  else return undefined;
  const hash = createHash(digest).update(value, 'ascii').digest();
  return hash.subarray(0, hash.length / 2).toString('base64url');
}

function checkHash(
  id: 'D10' | 'D11',
  claim: 'at_hash' | 'c_hash',
  what: string,
  value: string | undefined,
  required: boolean,
  header: Header,
  payload: Payload,
  flowKnown: boolean,
): Check {
  const code: ErrorCode = claim === 'at_hash' ? 'TOKEN_AT_HASH_MISMATCH' : 'TOKEN_C_HASH_MISMATCH';
  const claimed = payload[claim];
  if (value === undefined) {
    return skip(
      id,
      claim,
      claimed === undefined ? `no ${claim} claim` : `pass the ${what} to check ${claim}`,
    );
  }
  if (claimed === undefined) {
    if (required) {
      return fail(
        id,
        claim,
        code,
        `${claim} is missing; it is required when the ${what} comes with the ID token`,
      );
    }
    // Asked for, but not possible: say so and why, never skip in silence. OIDC Core requires at_hash
    // and c_hash only when the authorization endpoint returns them with the ID token (implicit and
    // hybrid flows, §3.2.2.10, §3.3.2.11); from the token endpoint they are optional (§3.1.3.6).
    return flowKnown
      ? skip(id, claim, `no ${claim} claim to compare the ${what} with (optional in this flow)`)
      : warn(
          id,
          claim,
          `the ${what} was given but the token has no ${claim}, so the two are not shown to belong together (${claim} is required only when the authorization endpoint returns both, as in implicit and hybrid flows; optional from the token endpoint)`,
        );
  }
  const expected = halfHash(value, show(header.alg));
  if (expected === undefined) return warn(id, claim, `cannot compute ${claim} for alg ${show(header.alg)}`);
  if (claimed !== expected) return fail(id, claim, code, `${claim} does not match the ${what}`);
  return pass(id, claim, `${claim} matches the ${what}`);
}

/**
 * D10: at_hash matches the access token; required when the authorization endpoint returns both
 * (`id_token token`, `code id_token token`: Core §3.2.2.10, §3.3.2.11).
 */
export function checkAtHash(header: Header, payload: Payload, e: ClaimExpectations): Check {
  const required = responseTypeHas(e.responseType, 'token') && isFrontChannel(e.responseType);
  return checkHash(
    'D10',
    'at_hash',
    'access token',
    e.accessToken,
    required,
    header,
    payload,
    e.responseType !== undefined,
  );
}

/** D11: c_hash matches the code; required for `code id_token` and `code id_token token` (Core §3.3.2.11). */
export function checkCHash(header: Header, payload: Payload, e: ClaimExpectations): Check {
  const required = responseTypeHas(e.responseType, 'code') && responseTypeHas(e.responseType, 'id_token');
  return checkHash('D11', 'c_hash', 'code', e.code, required, header, payload, e.responseType !== undefined);
}

/** D12: auth_time present when max_age was requested, and recent enough. */
export function checkAuthTime(payload: Payload, e: ClaimExpectations, nowSeconds: number): Check {
  const authTime = payload.auth_time;
  if (e.maxAge === undefined) {
    return typeof authTime === 'number'
      ? skip('D12', 'auth_time', `authenticated ${when(authTime, nowSeconds)}; no max_age was given`)
      : skip('D12', 'auth_time', 'no max_age requested');
  }
  if (typeof authTime !== 'number') {
    return fail(
      'D12',
      'auth_time',
      'TOKEN_AUTH_TIME',
      'auth_time is missing; it is required when max_age is sent',
    );
  }
  const skew = e.clockSkew ?? 60;
  if (nowSeconds - authTime > e.maxAge + skew) {
    return fail(
      'D12',
      'auth_time',
      'TOKEN_AUTH_TIME',
      `authenticated ${when(authTime, nowSeconds)}, longer ago than max_age ${e.maxAge} s`,
    );
  }
  return pass('D12', 'auth_time', `authenticated ${when(authTime, nowSeconds)}, within max_age`);
}

/** D13: acr is one of the requested values (a warning: the provider may choose another). */
export function checkAcr(payload: Payload, e: ClaimExpectations): Check {
  if (!e.acrValues || e.acrValues.length === 0) return skip('D13', 'acr', 'no acr_values requested');
  const acr = payload.acr;
  if (typeof acr !== 'string' || !e.acrValues.includes(acr)) {
    return warn(
      'D13',
      'acr',
      `acr is ${acr === undefined ? 'missing' : show(acr)}, requested ${e.acrValues.join(' ')}`,
    );
  }
  return pass('D13', 'acr', `acr is ${acr}`);
}

/** D14: sub present, a string of at most 255 ASCII characters (Core §2). */
export function checkSubject(payload: Payload): Check {
  const sub = payload.sub;
  if (sub === undefined) return fail('D14', 'sub', 'TOKEN_CLAIM_MISSING', 'sub is missing');
  if (typeof sub !== 'string' || sub === '')
    return fail('D14', 'sub', 'TOKEN_SUB_INVALID', 'sub is not a non-empty string');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range is the point
  if (sub.length > 255 || !/^[\x00-\x7f]*$/.test(sub)) {
    return fail('D14', 'sub', 'TOKEN_SUB_INVALID', 'sub is longer than 255 characters or not ASCII');
  }
  return pass('D14', 'sub', `sub is ${sub}`);
}

/** D15: kid present when the JWKS holds more than one key. */
export function checkKidPresent(header: Header, e: ClaimExpectations): Check {
  if (typeof header.kid === 'string') return pass('D15', 'kid', `kid is ${header.kid}`);
  if (e.jwksKeyCount !== undefined && e.jwksKeyCount > 1) {
    return warn('D15', 'kid', `no kid, and the JWKS holds ${e.jwksKeyCount} keys`);
  }
  return skip('D15', 'kid', 'no kid (the JWKS holds at most one key)');
}

/**
 * D16: explicit typing (RFC 8725 §3.11). An ID token's typ, when present, is `JWT`; a token typed
 * as another kind (an RFC 9068 access token `at+jwt`, a logout token `logout+jwt`, …) is never
 * accepted as an ID token, however valid its signature.
 */
export function checkExplicitType(header: Header, payload: Payload = {}): Check {
  const other = kindFromTyp(header.typ);
  if (other && other.kind !== 'id_token') {
    return fail(
      'D16',
      'typ',
      'TOKEN_TYPE_MISMATCH',
      `typ is ${other.typ}: this is ${other.label}, not an ID token`,
    );
  }
  // A logout token need not be typed (Back-Channel Logout §2.4), and has the claims of an ID token
  // but a logout event: it must never be accepted as one (§2.4: it MUST NOT carry a nonce either).
  const guess = guessTokenKind(header, payload);
  if (guess.kind === 'logout_token') {
    return fail(
      'D16',
      'typ',
      'TOKEN_TYPE_MISMATCH',
      `this is ${guess.label} (${guess.reason}), not an ID token`,
    );
  }
  return pass(
    'D16',
    'typ',
    header.typ === undefined ? 'no typ (allowed for ID tokens)' : `typ is ${show(header.typ)}`,
  );
}

/**
 * The ID token profile of the one policy (policy.ts): the policy's checks carry D1 (header), D2
 * (iss), D3 (aud, the client id), D5 (signature), D7 (exp, nbf) and D8 (iat, required); the profile
 * adds D4, D6 and D9–D16, in the order of docs/security-details.md's table.
 */
export const ID_TOKEN_PROFILE: Profile<ClaimExpectations> = {
  label: 'ID token, OpenID Connect Core §3.1.3.7',
  ids: { header: 'D1', iss: 'D2', aud: 'D3', signature: 'D5', time: 'D7', iat: 'D8' },
  requireExp: true,
  requireIat: true,
  audienceIs: 'client id',
  warnOtherAudiences: true,
  order: [
    'D1',
    'D2',
    'D3',
    'D4',
    'D5',
    'D6',
    'D7',
    'D8',
    'D9',
    'D10',
    'D11',
    'D12',
    'D13',
    'D14',
    'D15',
    'D16',
  ],
  rules: (header, payload, e, now) => [
    checkAuthorizedParty(payload, e),
    checkAlgorithmAllowed(header, e),
    checkNonce(payload, e),
    checkAtHash(header, payload, e),
    checkCHash(header, payload, e),
    checkAuthTime(payload, e, now),
    checkAcr(payload, e),
    checkSubject(payload),
    checkKidPresent(header, e),
    checkExplicitType(header, payload),
  ],
};

/**
 * Every claim check of an ID token (all but the signature, D5, which needs keys), in the order of
 * docs/security-details.md's table: the policy's, then the profile's.
 */
export function checkClaims(header: Header, payload: Payload, e: ClaimExpectations, nowMs: number): Check[] {
  const now = Math.floor(nowMs / 1000);
  const p = policyClaimChecks(header, payload, ID_TOKEN_PROFILE, e, now);
  return inOrder(
    [
      p.header,
      p.iss,
      p.aud,
      p.time,
      ...(p.iat ? [p.iat] : []),
      ...ID_TOKEN_PROFILE.rules(header, payload, e, now),
    ],
    ID_TOKEN_PROFILE.order,
  ) as Check[];
}
