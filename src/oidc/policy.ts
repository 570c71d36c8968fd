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
 * A profile (ID token, RFC 9068, …) is a table of rules of the one shape (src/rule.ts): the
 * policy's rules below, under the profile's ids, and its own claim rules; it may require a claim
 * the policy checks only when present, and cannot remove or weaken a rule. The verdict is computed
 * from what the policy's rules established, not from the absence of failures. This file is pure:
 * no keys, no IO.
 */
import type { Check } from '../check.js';
import {
  type Expectation,
  expectation,
  fail,
  pass,
  type Rule,
  runRules,
  skip,
  type Verdict,
  warn,
} from '../rule.js';
import { show } from './show.js';
import { DEFAULT_CLOCK_SKEW, expiryWords, instantWords, timeState } from './time.js';

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

/** What every token rule judges: the decoded token, the expectations, the clock and the signature. */
export interface TokenInput<E extends PolicyExpectations = PolicyExpectations> {
  header: Header;
  payload: Payload;
  expect: E;
  /** Seconds since the epoch. */
  now: number;
  /** The signature's verdict: it needs keys, so verify.ts establishes it before the table runs. */
  signature?: Verdict;
  /** The number of keys in the JWKS the signature was checked against. */
  keyCount?: number;
}

/** A rule of a token table: the one rule shape (src/rule.ts) over a decoded token. */
export type TokenRule<E extends PolicyExpectations = PolicyExpectations> = Rule<TokenInput<E>>;

/** An expectation a token rule needs (the closed list in src/expectations.ts). */
export type TokenExpectation = Expectation<TokenInput>;

/** The issuer the user trusts: without it who issued a token is not established. */
export const PINNED_ISSUER = expectation<TokenInput>('issuer', (i) => i.expect.issuer !== undefined);

/** The client a token was issued to: the audience of an ID token or signed userinfo. */
export const CLIENT_ID = expectation<TokenInput>('clientId', (i) => i.expect.audience !== undefined);

/** The API an access token is for: its audience. */
export const RESOURCE = expectation<TokenInput>('resource', (i) => i.expect.audience !== undefined);

export interface Profile<E extends PolicyExpectations> {
  /** What the token is judged as, for the report's heading. */
  label: string;
  /** The id of the rule that plays each of the policy's roles in this profile's table. */
  ids: Readonly<Record<PolicyRole, string>>;
  /** Every rule, the policy's among them, in report order. */
  rules: readonly TokenRule<E>[];
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

export interface Verification {
  ok: boolean;
  verdict: VerdictKind;
  /** What the token was judged as: "ID token, OpenID Connect Core §3.1.3.7", … */
  profile: string;
  checks: Check[];
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

/** The audience claim as a list of strings (RFC 7519 §4.1.3: a string or an array of strings). */
export function audiences(aud: unknown): string[] {
  if (typeof aud === 'string') return [aud];
  return Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : [];
}

function skewOf(i: TokenInput): number {
  return i.expect.clockSkew ?? DEFAULT_CLOCK_SKEW;
}

/** The header: a signing alg (never "none") and no critical extension togo does not understand. */
export function headerUnderstood({ header }: TokenInput): Verdict {
  const alg = header.alg;
  if (typeof alg !== 'string' || alg === '')
    return fail('the header has no alg', { name: 'alg', code: 'TOKEN_ALG_NONE' });
  if (alg.toLowerCase() === 'none') {
    return fail('alg is "none": the token is not signed', { name: 'alg', code: 'TOKEN_ALG_NONE' });
  }
  // RFC 7515 §4.1.11: a recipient MUST reject a JWS whose crit names an extension it does not
  // understand. togo understands none for JWTs; b64 (RFC 7797) is forbidden for them (§7).
  if (header.crit !== undefined) {
    return fail(
      `the header marks ${show(header.crit)} as critical (crit); togo understands no critical extension of a JWT`,
      { name: 'crit', code: 'TOKEN_CRIT_UNSUPPORTED' },
    );
  }
  if (header.b64 !== undefined && header.b64 !== true) {
    return fail(
      `the header sets b64 to ${show(header.b64)}: an unencoded payload, which RFC 7797 §7 forbids for JWTs`,
      { name: 'b64', code: 'TOKEN_CRIT_UNSUPPORTED' },
    );
  }
  return pass(`three base64url parts, JSON header and payload, alg ${alg}`, { name: 'structure' });
}

/** The signature, as verify.ts established it with the keys; never a pass without them. */
export function signatureVerified({ signature }: TokenInput): Verdict {
  return (
    signature ?? fail('the signature was not checked', { name: 'signature', code: 'NO_VERIFICATION_KEY' })
  );
}

/** iss present and a string, whatever it is compared with. */
function issuerClaimProblem(payload: Payload): Verdict | undefined {
  const iss = payload.iss;
  if (iss === undefined) return fail('iss is missing', { name: 'iss', code: 'TOKEN_CLAIM_MISSING' });
  if (typeof iss !== 'string') {
    return fail(`iss is ${show(iss)}, not a string`, { name: 'iss', code: 'TOKEN_ISSUER_MISMATCH' });
  }
  return undefined;
}

/** iss equals the pinned issuer exactly (OIDC Core §3.1.3.7 step 2, RFC 9068 §4). */
export function issuerMatches({ payload, expect: e }: TokenInput): Verdict {
  const problem = issuerClaimProblem(payload);
  if (problem) return problem;
  const iss = payload.iss as string;
  const pinned = e.issuer as string;
  if (iss === pinned) {
    return e.issuerFromToken
      ? warn(
          `issuer taken from the token itself (${iss}): the token names its own issuer, which proves nothing`,
          { name: 'iss', code: 'ISSUER_NOT_PINNED' },
        )
      : pass(`iss is ${iss}`, { name: 'iss' });
  }
  const slashOnly = iss.replace(/\/$/, '') === pinned.replace(/\/$/, '');
  return fail(
    `iss is ${iss}, expected ${pinned}${slashOnly ? ' (they differ only by a trailing slash)' : ''}`,
    {
      name: 'iss',
      code: 'TOKEN_ISSUER_MISMATCH',
    },
  );
}

/** Without an issuer the user pinned, who issued the token is not established: never VALID. */
export function issuerNotPinned({ payload }: TokenInput, missing: Pick<TokenExpectation, 'hint'>): Verdict {
  return (
    issuerClaimProblem(payload) ??
    warn(
      `iss is ${payload.iss as string}, but no issuer was pinned: who issued the token is not established`,
      {
        name: 'iss',
        code: 'ISSUER_NOT_PINNED',
        hint: missing.hint,
      },
    )
  );
}

/**
 * aud names the expected audience (OIDC Core §3.1.3.7 step 3, RFC 9068 §4). With `warnOthers`,
 * audiences besides the expected one are untrusted: say so.
 */
export function audienceNames(warnOthers: boolean): (i: TokenInput) => Verdict {
  return ({ payload, expect: e }) => {
    const list = audiences(payload.aud);
    if (list.length === 0) return fail('aud is missing', { name: 'aud', code: 'TOKEN_CLAIM_MISSING' });
    const expected = e.audience as string;
    if (!list.includes(expected)) {
      return fail(`aud is ${list.join(', ')}, expected ${expected}`, {
        name: 'aud',
        code: 'TOKEN_AUDIENCE_MISMATCH',
      });
    }
    const others = list.filter((a) => a !== expected);
    if (warnOthers && others.length > 0) {
      return warn(`aud also names ${others.join(', ')}: make sure you trust those audiences`, {
        name: 'aud',
      });
    }
    return pass(`aud is ${list.length > 1 ? `${list.join(', ')}, with ` : ''}${expected}`, { name: 'aud' });
  };
}

/** Without an expected audience the verdict is "audience not checked": a token for another reads the same. */
export function audienceNotChecked(
  { payload }: TokenInput,
  missing: Pick<TokenExpectation, 'hint' | 'what'>,
): Verdict {
  const list = audiences(payload.aud);
  if (list.length === 0) return fail('aud is missing', { name: 'aud', code: 'TOKEN_CLAIM_MISSING' });
  return warn(`aud is ${list.join(', ')}; not checked: no expected ${missing.what} was given`, {
    name: 'aud',
    code: 'AUDIENCE_NOT_CHECKED',
    hint: missing.hint,
  });
}

/**
 * exp and nbf with the skew, as jose's clockTolerance: expired when exp <= now - skew (RFC 7519
 * §4.1.4: now must be before exp), not yet valid when nbf > now + skew. With `requireExp`, a token
 * without exp fails.
 */
export function withinValidity(requireExp: boolean): (i: TokenInput) => Verdict {
  return (i) => {
    const { exp, nbf } = i.payload;
    if (exp === undefined && requireExp)
      return fail('exp is missing', { name: 'exp', code: 'TOKEN_CLAIM_MISSING' });
    if (exp !== undefined && typeof exp !== 'number') {
      return fail(`exp is ${show(exp)}, not a number`, { name: 'exp', code: 'TOKEN_CLAIM_MISSING' });
    }
    const expiry = timeState('exp', exp, i.now, skewOf(i));
    if (expiry?.state === 'expired') return fail(expiryWords(expiry), { name: 'exp', code: 'TOKEN_EXPIRED' });
    if (nbf !== undefined) {
      const notBefore = timeState('nbf', nbf, i.now, skewOf(i));
      if (notBefore === undefined)
        return fail('nbf is not a number', { name: 'nbf', code: 'TOKEN_NOT_YET_VALID' });
      if (notBefore.state === 'not-yet-valid') {
        return fail(`not valid before ${instantWords(notBefore)}`, {
          name: 'nbf',
          code: 'TOKEN_NOT_YET_VALID',
        });
      }
      if (expiry === undefined)
        return pass(`valid since ${instantWords(notBefore)}; no exp claim`, { name: 'nbf' });
    }
    return expiry ? pass(expiryWords(expiry), { name: 'exp' }) : skip('no exp claim', { name: 'exp' });
  };
}

/** iat, when present or `requireIat`: a number, not in the future beyond the skew. */
export function issuedInThePast(requireIat: boolean): (i: TokenInput) => readonly Verdict[] {
  return (i) => {
    const iat = i.payload.iat;
    if (iat === undefined && !requireIat) return [];
    const issued = typeof iat === 'number' ? timeState('iat', iat, i.now, skewOf(i)) : undefined;
    if (issued === undefined) {
      return [fail('iat is missing or not a number', { name: 'iat', code: 'TOKEN_CLAIM_MISSING' })];
    }
    if (issued.state === 'not-yet-valid') {
      return [
        fail(`issued in the future: ${instantWords(issued)}`, {
          name: 'iat',
          code: 'TOKEN_ISSUED_IN_FUTURE',
        }),
      ];
    }
    return [pass(`issued ${instantWords(issued)}`, { name: 'iat' })];
  };
}

/**
 * Runs a profile's table and gives the verdict: `valid` only when the policy's own rules
 * established the header, the signature, the pinned issuer, the expected audience and the times,
 * and no check of the profile failed.
 */
export function judgeTable<E extends PolicyExpectations>(
  profile: Profile<E>,
  input: TokenInput<E>,
): Verification {
  const checks = runRules(profile.rules, input);
  let verdict = verdictOf(checks);
  // Each policy role gives exactly one verdict (iat none when absent and not required); anything
  // else means the table lost a policy rule, and nothing is established.
  const one = (role: PolicyRole): Check | undefined => {
    const found = checks.filter((c) => c.id === profile.ids[role]);
    return found.length === 1 ? found[0] : undefined;
  };
  const header = one('header');
  const signature = one('signature');
  const iss = one('iss');
  const aud = one('aud');
  const time = one('time');
  const iatChecks = checks.filter((c) => c.id === profile.ids.iat);
  const established =
    header?.status === 'pass' &&
    (signature?.status === 'pass' ||
      (signature?.status === 'warn' && signature.code === 'JWKS_MULTIPLE_MATCHING_KEYS')) &&
    iss?.status === 'pass' &&
    (aud?.status === 'pass' || (aud?.status === 'warn' && aud.code === undefined)) &&
    (time?.status === 'pass' || (time?.status === 'skip' && time.name === 'exp')) &&
    iatChecks.length <= 1 &&
    iatChecks.every((c) => c.status === 'pass' || c.status === 'skip');
  if (verdict === 'valid' && !established) verdict = 'invalid';
  return { ok: verdict === 'valid', verdict, profile: profile.label, checks };
}
