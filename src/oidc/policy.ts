/**
 * The one verification policy every JWT verdict goes through: ID tokens, RFC 9068 and plain JWT
 * access tokens, signed userinfo, and any kind added later. A verdict is VALID only when all of
 * these hold, whatever the profile:
 *
 * - the header is one togo understands: an alg that is not "none", and no critical extension
 *   (`crit`, RFC 7515 §4.1.11: an extension the recipient does not understand means reject;
 *   `b64: false`, RFC 7797 §7, is forbidden for JWTs);
 * - the signature verifies with a key of the pinned issuer (its JWKS, or the client secret for HS*)
 *   — checked in verify.ts, which needs keys;
 * - `iss` equals the pinned issuer, code point by code point;
 * - `aud` names the expected audience (the client id, or the resource for an API's access token);
 * - the times hold with one skew, applied as jose applies its clockTolerance: now < exp + skew,
 *   nbf <= now + skew, iat <= now + skew (RFC 7519 §4.1.4: the current time MUST be before exp).
 *
 * A profile (ID token, RFC 9068, …) adds its own claim rules and may require a claim the policy
 * checks only when present; it cannot remove or weaken a rule. The verdict is computed from what
 * the policy established, not from the absence of failures. This file is pure: no keys, no IO.
 */
import type { Check } from '../check.js';
import type { ErrorCode } from '../errors.js';
import { show } from './show.js';
import { isoDate, relativeTime } from './time.js';

/** The policy's own checks; a profile names the id each one carries in its report. */
export type PolicyRole = 'header' | 'signature' | 'iss' | 'aud' | 'time' | 'iat';

/** What the policy compares against: the pinned issuer, the expected audience, the clock. */
export interface PolicyExpectations {
  /** The issuer the user pinned; compared code point by code point. */
  issuer?: string;
  /** True when the expected issuer was taken from the token itself: never pinned. */
  issuerFromToken?: boolean;
  /** The expected audience: the client id, or the resource an access token is for. */
  audience?: string;
  /** Allowed clock difference, seconds (default 60), the same for exp, nbf and iat. */
  clockSkew?: number;
}

type Header = Record<string, unknown>;
type Payload = Record<string, unknown>;

export interface Profile<E> {
  /** What the token is judged as, for the report's heading. */
  label: string;
  /** The id each policy check carries in this profile's report (D2, at.iss, ui.iss, …). */
  ids: Readonly<Record<PolicyRole, string>>;
  /** A profile may require exp or iat; the policy checks them whenever they are present. */
  requireExp: boolean;
  requireIat: boolean;
  /** What the expected audience is called in messages: "client id", "resource". */
  audienceIs: string;
  /** OIDC Core §3.1.3.7 step 3: audiences besides the expected one are untrusted; say so. */
  warnOtherAudiences: boolean;
  /** The profile's own claim rules; they run after the policy and can only add failures. */
  rules(header: Header, payload: Payload, e: E, nowSeconds: number): Check[];
  /** The order of the report, by id; ids not listed keep their place after the listed ones. */
  order: readonly string[];
}

/**
 * - `valid`: every rule of the policy was established and no check failed.
 * - `issuer-not-pinned`: no check failed, but the issuer was not pinned (none given, or taken from
 *   the token itself): the signature shows who holds the keys, not that they are the issuer you
 *   trust. Never `ok`.
 * - `audience-not-checked`: no check failed and the issuer was pinned, but no audience was
 *   expected: a token issued to another client or API would read the same. Never `ok`.
 * - `invalid`: a check failed.
 */
export type VerdictKind = 'valid' | 'issuer-not-pinned' | 'audience-not-checked' | 'invalid';

export interface Verification<C extends Check = Check> {
  ok: boolean;
  verdict: VerdictKind;
  /** What the token was judged as: "ID token, OpenID Connect Core §3.1.3.7", … */
  profile: string;
  checks: C[];
}

/** The verdict of a list of checks: failed, else not pinned, else audience not checked, else valid. */
export function verdictOf(checks: readonly Pick<Check, 'status' | 'code'>[]): VerdictKind {
  if (checks.some((c) => c.status === 'fail')) return 'invalid';
  if (checks.some((c) => c.code === 'ISSUER_NOT_PINNED' && c.status !== 'pass')) return 'issuer-not-pinned';
  if (checks.some((c) => c.code === 'AUDIENCE_NOT_CHECKED' && c.status !== 'pass')) {
    return 'audience-not-checked';
  }
  return 'valid';
}

const make = (
  id: string,
  name: string,
  status: Check['status'],
  message: string,
  code?: ErrorCode,
): Check => ({ id, name, status, message, ...(code ? { code } : {}) });

function when(seconds: number, nowSeconds: number): string {
  return `${isoDate(seconds)} (${relativeTime(seconds, nowSeconds)})`;
}

/** The audience claim as a list of strings (RFC 7519 §4.1.3: a string or an array of strings). */
export function audiences(aud: unknown): string[] {
  if (typeof aud === 'string') return [aud];
  return Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : [];
}

/** The header: a signing alg (never "none") and no critical extension togo does not understand. */
export function headerCheck(header: Header, id: string): Check {
  const alg = header.alg;
  if (typeof alg !== 'string' || alg === '')
    return make(id, 'alg', 'fail', 'the header has no alg', 'TOKEN_ALG_NONE');
  if (alg.toLowerCase() === 'none') {
    return make(id, 'alg', 'fail', 'alg is "none": the token is not signed', 'TOKEN_ALG_NONE');
  }
  // RFC 7515 §4.1.11: a recipient MUST reject a JWS whose crit names an extension it does not
  // understand. togo understands none for JWTs; b64 (RFC 7797) is forbidden for them (§7).
  if (header.crit !== undefined) {
    return make(
      id,
      'crit',
      'fail',
      `the header marks ${show(header.crit)} as critical (crit); togo understands no critical extension of a JWT`,
      'TOKEN_CRIT_UNSUPPORTED',
    );
  }
  if (header.b64 !== undefined && header.b64 !== true) {
    return make(
      id,
      'b64',
      'fail',
      `the header sets b64 to ${show(header.b64)}: an unencoded payload, which RFC 7797 §7 forbids for JWTs`,
      'TOKEN_CRIT_UNSUPPORTED',
    );
  }
  return make(id, 'structure', 'pass', `three base64url parts, JSON header and payload, alg ${alg}`);
}

/** iss equals the pinned issuer exactly (OIDC Core §3.1.3.7 step 2, RFC 9068 §4). */
export function issuerCheck(payload: Payload, e: PolicyExpectations, id: string): Check {
  const iss = payload.iss;
  if (iss === undefined) return make(id, 'iss', 'fail', 'iss is missing', 'TOKEN_CLAIM_MISSING');
  if (typeof iss !== 'string') {
    return make(id, 'iss', 'fail', `iss is ${show(iss)}, not a string`, 'TOKEN_ISSUER_MISMATCH');
  }
  // Without an issuer the user pinned, who issued the token is not established: never VALID.
  if (e.issuer === undefined) {
    return make(
      id,
      'iss',
      'warn',
      `iss is ${iss}, but no issuer was pinned: who issued the token is not established`,
      'ISSUER_NOT_PINNED',
    );
  }
  if (iss === e.issuer) {
    return e.issuerFromToken
      ? make(
          id,
          'iss',
          'warn',
          `issuer taken from the token itself (${iss}): the token names its own issuer, which proves nothing`,
          'ISSUER_NOT_PINNED',
        )
      : make(id, 'iss', 'pass', `iss is ${iss}`);
  }
  const slashOnly = iss.replace(/\/$/, '') === e.issuer.replace(/\/$/, '');
  return make(
    id,
    'iss',
    'fail',
    `iss is ${iss}, expected ${e.issuer}${slashOnly ? ' (they differ only by a trailing slash)' : ''}`,
    'TOKEN_ISSUER_MISMATCH',
  );
}

/** aud names the expected audience; without an expectation the verdict is "audience not checked". */
export function audienceCheck(
  payload: Payload,
  e: PolicyExpectations,
  id: string,
  audienceIs: string,
  warnOthers: boolean,
): Check {
  const list = audiences(payload.aud);
  if (list.length === 0) return make(id, 'aud', 'fail', 'aud is missing', 'TOKEN_CLAIM_MISSING');
  if (e.audience === undefined) {
    return make(
      id,
      'aud',
      'warn',
      `aud is ${list.join(', ')}; not checked: no expected ${audienceIs} was given`,
      'AUDIENCE_NOT_CHECKED',
    );
  }
  if (!list.includes(e.audience)) {
    return make(
      id,
      'aud',
      'fail',
      `aud is ${list.join(', ')}, expected ${e.audience}`,
      'TOKEN_AUDIENCE_MISMATCH',
    );
  }
  const others = list.filter((a) => a !== e.audience);
  if (warnOthers && others.length > 0) {
    return make(
      id,
      'aud',
      'warn',
      `aud also names ${others.join(', ')}: make sure you trust those audiences`,
    );
  }
  return make(id, 'aud', 'pass', `aud is ${list.length > 1 ? `${list.join(', ')}, with ` : ''}${e.audience}`);
}

/**
 * exp and nbf with the skew, as jose's clockTolerance: expired when exp <= now - skew (RFC 7519
 * §4.1.4: now must be before exp), not yet valid when nbf > now + skew.
 */
export function validityCheck(
  payload: Payload,
  e: PolicyExpectations,
  id: string,
  requireExp: boolean,
  nowSeconds: number,
): Check {
  const skew = e.clockSkew ?? 60;
  const { exp, nbf } = payload;
  if (exp === undefined && requireExp)
    return make(id, 'exp', 'fail', 'exp is missing', 'TOKEN_CLAIM_MISSING');
  if (exp !== undefined && typeof exp !== 'number') {
    return make(id, 'exp', 'fail', `exp is ${show(exp)}, not a number`, 'TOKEN_CLAIM_MISSING');
  }
  if (typeof exp === 'number' && nowSeconds >= exp + skew) {
    return make(id, 'exp', 'fail', `expired ${when(exp, nowSeconds)}`, 'TOKEN_EXPIRED');
  }
  if (nbf !== undefined) {
    if (typeof nbf !== 'number') return make(id, 'nbf', 'fail', 'nbf is not a number', 'TOKEN_NOT_YET_VALID');
    if (nbf > nowSeconds + skew) {
      return make(id, 'nbf', 'fail', `not valid before ${when(nbf, nowSeconds)}`, 'TOKEN_NOT_YET_VALID');
    }
  }
  if (typeof exp === 'number') return make(id, 'exp', 'pass', `expires ${when(exp, nowSeconds)}`);
  return nbf === undefined
    ? make(id, 'exp', 'skip', 'no exp claim')
    : make(id, 'nbf', 'pass', `valid since ${when(nbf as number, nowSeconds)}; no exp claim`);
}

/** iat, when present or required: a number, not in the future beyond the skew. */
export function issuedAtCheck(
  payload: Payload,
  e: PolicyExpectations,
  id: string,
  requireIat: boolean,
  nowSeconds: number,
): Check | undefined {
  const iat = payload.iat;
  if (iat === undefined && !requireIat) return undefined;
  if (typeof iat !== 'number') {
    return make(id, 'iat', 'fail', 'iat is missing or not a number', 'TOKEN_CLAIM_MISSING');
  }
  if (iat > nowSeconds + (e.clockSkew ?? 60)) {
    return make(
      id,
      'iat',
      'fail',
      `issued in the future: ${when(iat, nowSeconds)}`,
      'TOKEN_ISSUED_IN_FUTURE',
    );
  }
  return make(id, 'iat', 'pass', `issued ${when(iat, nowSeconds)}`);
}

/** The policy's claim checks (everything but the signature), by role. */
export function policyClaimChecks<E extends PolicyExpectations>(
  header: Header,
  payload: Payload,
  profile: Profile<E>,
  e: E,
  nowSeconds: number,
): { header: Check; iss: Check; aud: Check; time: Check; iat?: Check } {
  const iat = issuedAtCheck(payload, e, profile.ids.iat, profile.requireIat, nowSeconds);
  return {
    header: headerCheck(header, profile.ids.header),
    iss: issuerCheck(payload, e, profile.ids.iss),
    aud: audienceCheck(payload, e, profile.ids.aud, profile.audienceIs, profile.warnOtherAudiences),
    time: validityCheck(payload, e, profile.ids.time, profile.requireExp, nowSeconds),
    ...(iat ? { iat } : {}),
  };
}

/** Checks in the profile's order; ids it does not list keep their relative place at the end. */
export function inOrder<C extends Check>(checks: C[], order: readonly string[]): C[] {
  const rank = (c: C) => {
    const i = order.indexOf(c.id);
    return i === -1 ? order.length : i;
  };
  return checks
    .map((c, i) => ({ c, i }))
    .sort((a, b) => rank(a.c) - rank(b.c) || a.i - b.i)
    .map(({ c }) => c);
}

/**
 * The verdict: `valid` only when the policy's own checks established the header, the signature,
 * the pinned issuer, the expected audience and the times, and no check of the profile failed.
 */
export function combine<C extends Check>(
  profile: { label: string; order: readonly string[] },
  policy: { header: Check; signature: Check; iss: Check; aud: Check; time: Check; iat?: Check },
  rules: Check[],
): Verification<C> {
  const checks = inOrder(
    [
      policy.header,
      policy.signature,
      policy.iss,
      policy.aud,
      policy.time,
      ...(policy.iat ? [policy.iat] : []),
      ...rules,
    ],
    profile.order,
  ) as C[];
  let verdict = verdictOf(checks);
  const held = (c: Check | undefined) => c === undefined || c.status === 'pass' || c.status === 'skip';
  const established =
    policy.header.status === 'pass' &&
    (policy.signature.status === 'pass' ||
      (policy.signature.status === 'warn' && policy.signature.code === 'JWKS_MULTIPLE_MATCHING_KEYS')) &&
    policy.iss.status === 'pass' &&
    (policy.aud.status === 'pass' || (policy.aud.status === 'warn' && policy.aud.code === undefined)) &&
    (policy.time.status === 'pass' || (policy.time.status === 'skip' && policy.time.name === 'exp')) &&
    held(policy.iat);
  if (verdict === 'valid' && !established) verdict = 'invalid';
  return { ok: verdict === 'valid', verdict, profile: profile.label, checks };
}
