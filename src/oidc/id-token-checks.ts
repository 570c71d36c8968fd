/**
 * The claim checks of ID token validation (OIDC Core 1.0 §3.1.3.7, §3.2.2.11, §3.3.2.12), as a
 * straight run of small pure functions, each naming the field it judged. The signature check (D5)
 * needs keys and lives in verify.ts; this file needs nothing but the decoded token and the
 * expectations.
 */
import { createHash } from 'node:crypto';
import type { Check as BaseCheck } from '../check.js';
import type { ErrorCode } from '../errors.js';
import { show } from './show.js';
import { isoDate, relativeTime } from './time.js';
import { kindFromTyp } from './token-kind.js';

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

export interface ClaimExpectations {
  /** Expected `iss`; compared code point by code point. */
  issuer?: string;
  /** True when the expected issuer was taken from the token itself (D2 can then only warn). */
  issuerFromToken?: boolean;
  /** The client id: must be in `aud`; `azp` must equal it. */
  audience?: string;
  nonce?: string;
  accessToken?: string;
  code?: string;
  /** max_age sent in the request, seconds. */
  maxAge?: number;
  acrValues?: string[];
  /** Allowed clock difference, seconds (default 60). */
  clockSkew?: number;
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

/** D1: structure and algorithm. Malformed tokens never get here: decoding refuses them first. */
export function checkStructure(header: Header): Check {
  const alg = header.alg;
  if (typeof alg !== 'string' || alg === '')
    return fail('D1', 'alg', 'TOKEN_ALG_NONE', 'the header has no alg');
  if (alg.toLowerCase() === 'none') {
    return fail('D1', 'alg', 'TOKEN_ALG_NONE', 'alg is "none": the token is not signed');
  }
  return pass('D1', 'structure', `three base64url parts, JSON header and payload, alg ${alg}`);
}

/** D2: iss equals the issuer exactly (Core §3.1.3.7 step 2). */
export function checkIssuer(payload: Payload, e: ClaimExpectations): Check {
  const iss = payload.iss;
  if (typeof iss !== 'string') return fail('D2', 'iss', 'TOKEN_CLAIM_MISSING', 'iss is missing');
  // Without an issuer the user pinned, who issued the token is not established: never VALID (the
  // verdict reads ISSUER_NOT_PINNED, and verification is not ok).
  if (e.issuer === undefined) {
    return warn(
      'D2',
      'iss',
      `iss is ${iss}, but no issuer was pinned: who issued the token is not established`,
      'ISSUER_NOT_PINNED',
    );
  }
  if (iss === e.issuer) {
    return e.issuerFromToken
      ? warn(
          'D2',
          'iss',
          `issuer taken from the token itself (${iss}): the token names its own issuer, which proves nothing`,
          'ISSUER_NOT_PINNED',
        )
      : pass('D2', 'iss', `iss is ${iss}`);
  }
  const slashOnly = iss.replace(/\/$/, '') === e.issuer.replace(/\/$/, '');
  return fail(
    'D2',
    'iss',
    'TOKEN_ISSUER_MISMATCH',
    `iss is ${iss}, expected ${e.issuer}${slashOnly ? ' (they differ only by a trailing slash)' : ''}`,
  );
}

/** D3: aud contains the client id; other audiences are untrusted (Core §3.1.3.7 steps 3–4). */
export function checkAudience(payload: Payload, e: ClaimExpectations): Check {
  const aud = payload.aud;
  const list =
    typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud.filter((a) => typeof a === 'string') : [];
  if (list.length === 0) return fail('D3', 'aud', 'TOKEN_CLAIM_MISSING', 'aud is missing');
  if (e.audience === undefined) {
    return skip('D3', 'aud', `aud is ${list.join(', ')}; not checked: no client id given`);
  }
  if (!list.includes(e.audience)) {
    return fail('D3', 'aud', 'TOKEN_AUDIENCE_MISMATCH', `aud is ${list.join(', ')}, expected ${e.audience}`);
  }
  const others = list.filter((a) => a !== e.audience);
  if (others.length > 0) {
    return warn('D3', 'aud', `aud also names ${others.join(', ')}: make sure you trust those audiences`);
  }
  return pass('D3', 'aud', `aud is ${e.audience}`);
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

/** D7: exp in the future and nbf in the past, within the allowed skew. */
export function checkValidityWindow(payload: Payload, e: ClaimExpectations, nowSeconds: number): Check {
  const skew = e.clockSkew ?? 60;
  const { exp, nbf } = payload;
  if (typeof exp !== 'number')
    return fail('D7', 'exp', 'TOKEN_CLAIM_MISSING', 'exp is missing or not a number');
  if (nowSeconds > exp + skew) return fail('D7', 'exp', 'TOKEN_EXPIRED', `expired ${when(exp, nowSeconds)}`);
  if (nbf !== undefined) {
    if (typeof nbf !== 'number') return fail('D7', 'nbf', 'TOKEN_NOT_YET_VALID', 'nbf is not a number');
    if (nbf > nowSeconds + skew) {
      return fail('D7', 'nbf', 'TOKEN_NOT_YET_VALID', `not valid before ${when(nbf, nowSeconds)}`);
    }
  }
  return pass('D7', 'exp', `expires ${when(exp, nowSeconds)}`);
}

/** D8: iat present and not in the future beyond the skew. */
export function checkIssuedAt(payload: Payload, e: ClaimExpectations, nowSeconds: number): Check {
  const skew = e.clockSkew ?? 60;
  const iat = payload.iat;
  if (typeof iat !== 'number')
    return fail('D8', 'iat', 'TOKEN_CLAIM_MISSING', 'iat is missing or not a number');
  if (iat > nowSeconds + skew) {
    return fail('D8', 'iat', 'TOKEN_ISSUED_IN_FUTURE', `issued in the future: ${when(iat, nowSeconds)}`);
  }
  return pass('D8', 'iat', `issued ${when(iat, nowSeconds)}`);
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
export function checkExplicitType(header: Header): Check {
  const other = kindFromTyp(header.typ);
  if (other && other.kind !== 'id_token') {
    return fail(
      'D16',
      'typ',
      'TOKEN_TYPE_MISMATCH',
      `typ is ${other.typ}: this is ${other.label}, not an ID token`,
    );
  }
  return pass(
    'D16',
    'typ',
    header.typ === undefined ? 'no typ (allowed for ID tokens)' : `typ is ${show(header.typ)}`,
  );
}

/** Every claim check, in the order of docs/security-details.md's table; D5 (signature) is added by verify.ts. */
export function checkClaims(header: Header, payload: Payload, e: ClaimExpectations, nowMs: number): Check[] {
  const now = Math.floor(nowMs / 1000);
  return [
    checkStructure(header),
    checkIssuer(payload, e),
    checkAudience(payload, e),
    checkAuthorizedParty(payload, e),
    checkAlgorithmAllowed(header, e),
    checkValidityWindow(payload, e, now),
    checkIssuedAt(payload, e, now),
    checkNonce(payload, e),
    checkAtHash(header, payload, e),
    checkCHash(header, payload, e),
    checkAuthTime(payload, e, now),
    checkAcr(payload, e),
    checkSubject(payload),
    checkKidPresent(header, e),
    checkExplicitType(header),
  ];
}
