/**
 * The rules of ID token validation (OIDC Core §3.1.3.7, §3.2.2.11, §3.3.2.12) as one table of the
 * one rule shape (src/rule.ts): D1–D16, in the order of docs/security-details.md's table. D1, D2,
 * D3, D5, D7 and D8 are the one policy's rules (policy.ts) under D-numbers; the rest are the ID
 * token's own. The signature (D5) needs keys: verify.ts establishes it before the table runs.
 */
import { createHash } from 'node:crypto';
import type { Check } from '../check.js';
import {
  expectation,
  fail,
  pass,
  type Expectation as RuleExpectation,
  runRules,
  skip,
  skipFor,
  type Verdict,
  warn,
} from '../rule.js';
import {
  audienceNames,
  audienceNotChecked,
  CLIENT_ID,
  headerUnderstood,
  issuedInThePast,
  issuerMatches,
  issuerNotPinned,
  PINNED_ISSUER,
  type PolicyExpectations,
  type Profile,
  signatureVerified,
  type TokenInput,
  type TokenRule,
  withinValidity,
} from './policy.js';
import { show } from './show.js';
import { instantWords, timeState } from './time.js';
import { guessTokenKind, kindFromTyp } from './token-kind.js';

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
  /** Number of keys in the JWKS in use (D15); by default, the JWKS the signature was checked with. */
  jwksKeyCount?: number;
}

type Input = TokenInput<ClaimExpectations>;
type Expectation = RuleExpectation<Input>;

/** The expectations of the ID token's own rules (src/expectations.ts says how each is supplied). */
export const NONCE = expectation<Input>('nonce', (i) => i.expect.nonce !== undefined);
export const ACCESS_TOKEN = expectation<Input>('accessToken', (i) => i.expect.accessToken !== undefined);
export const CODE = expectation<Input>('code', (i) => i.expect.code !== undefined);
export const MAX_AGE = expectation<Input>('maxAge', (i) => i.expect.maxAge !== undefined);
export const ACR_VALUES = expectation<Input>('acrValues', (i) => (i.expect.acrValues?.length ?? 0) > 0);
export const PROVIDER_ALGS = expectation<Input>('providerAlgs', (i) => i.expect.allowedAlgs !== undefined);

function responseTypeHas(responseType: string | undefined, part: string): boolean {
  return responseType?.split(/\s+/).includes(part) === true;
}

/** Implicit and hybrid flows return the ID token from the authorization endpoint. */
function isFrontChannel(responseType: string | undefined): boolean {
  return responseTypeHas(responseType, 'id_token');
}

/** D4: azp, when present, equals the client id; it should be present with several audiences. */
function azpNoClaim({ payload }: Input): Verdict | undefined {
  if (payload.azp !== undefined) return undefined;
  return Array.isArray(payload.aud) && payload.aud.length > 1
    ? warn('several audiences and no azp: OIDC Core §2 says azp should name the client', { name: 'azp' })
    : skip('no azp claim', { name: 'azp' });
}

export function authorizedPartyIsClient(i: Input): Verdict {
  const none = azpNoClaim(i);
  if (none) return none;
  const azp = i.payload.azp;
  if (azp !== i.expect.audience) {
    return warn(`azp is ${show(azp)}, expected ${i.expect.audience}`, {
      name: 'azp',
      code: 'TOKEN_AUDIENCE_MISMATCH',
    });
  }
  return pass(`azp is ${i.expect.audience}`, { name: 'azp' });
}

function authorizedPartyUnmet(i: Input, missing: Expectation): Verdict {
  return (
    azpNoClaim(i) ??
    skipFor(missing, `azp is ${show(i.payload.azp)}; not checked: no client id given`, { name: 'azp' })
  );
}

/** D6: alg is one the provider advertises. */
export function algorithmAdvertised({ header, expect: e }: Input): Verdict {
  const alg = show(header.alg);
  const allowed = e.allowedAlgs ?? [];
  if (!allowed.includes(alg)) {
    return fail(`alg ${alg} is not among the provider's ${allowed.join(', ') || '(none)'}`, {
      name: 'alg',
      code: 'TOKEN_ALG_NOT_ALLOWED',
    });
  }
  return pass(`${alg} is advertised by the provider`, { name: 'alg' });
}

function algorithmUnmet(_i: Input, missing: Expectation): Verdict {
  return skipFor(missing, 'no provider metadata to compare the algorithm with', { name: 'alg' });
}

/** D9: nonce equals the one sent. */
export function nonceMatches({ payload, expect: e }: Input): Verdict {
  if (payload.nonce === undefined) {
    return fail('nonce is missing; one was sent', { name: 'nonce', code: 'TOKEN_NONCE_MISMATCH' });
  }
  if (payload.nonce !== e.nonce) {
    return fail('nonce differs from the one sent with the request', {
      name: 'nonce',
      code: 'TOKEN_NONCE_MISMATCH',
    });
  }
  return pass('nonce matches the request', { name: 'nonce' });
}

/** D9 without the nonce sent: a nonce is still required for implicit and hybrid (Core §3.2.2.11). */
function nonceUnmet({ payload, expect: e }: Input, missing: Expectation): Verdict {
  if (payload.nonce !== undefined) return skipFor(missing, 'no expected nonce was given', { name: 'nonce' });
  if (isFrontChannel(e.responseType)) {
    return fail(`nonce is missing; it is required for ${e.responseType}`, {
      name: 'nonce',
      code: 'TOKEN_CLAIM_MISSING',
    });
  }
  return skip('no nonce claim', { name: 'nonce' });
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

interface HashClaim {
  claim: 'at_hash' | 'c_hash';
  /** What it is the hash of: "access token", "code". */
  what: string;
  value: (e: ClaimExpectations) => string | undefined;
  /** Whether the response type makes the claim required. */
  required: (responseType: string | undefined) => boolean;
  code: 'TOKEN_AT_HASH_MISMATCH' | 'TOKEN_C_HASH_MISMATCH';
}

const AT_HASH: HashClaim = {
  claim: 'at_hash',
  what: 'access token',
  value: (e) => e.accessToken,
  // Required when the authorization endpoint returns both (`id_token token`, `code id_token token`).
  required: (rt) => responseTypeHas(rt, 'token') && isFrontChannel(rt),
  code: 'TOKEN_AT_HASH_MISMATCH',
};

const C_HASH: HashClaim = {
  claim: 'c_hash',
  what: 'code',
  value: (e) => e.code,
  // Required for `code id_token` and `code id_token token`.
  required: (rt) => responseTypeHas(rt, 'code') && isFrontChannel(rt),
  code: 'TOKEN_C_HASH_MISMATCH',
};

function hashMatches(h: HashClaim, { header, payload, expect: e }: Input): Verdict {
  const claimed = payload[h.claim];
  const name = h.claim;
  if (claimed === undefined) {
    if (h.required(e.responseType)) {
      return fail(`${h.claim} is missing; it is required when the ${h.what} comes with the ID token`, {
        name,
        code: h.code,
      });
    }
    // Asked for, but not possible: say so and why, never skip in silence. OIDC Core requires at_hash
    // and c_hash only when the authorization endpoint returns them with the ID token (implicit and
    // hybrid flows, §3.2.2.10, §3.3.2.11); from the token endpoint they are optional (§3.1.3.6).
    return e.responseType !== undefined
      ? skip(`no ${h.claim} claim to compare the ${h.what} with (optional in this flow)`, { name })
      : warn(
          `the ${h.what} was given but the token has no ${h.claim}, so the two are not shown to belong together (${h.claim} is required only when the authorization endpoint returns both, as in implicit and hybrid flows; optional from the token endpoint)`,
          { name },
        );
  }
  const expected = halfHash(h.value(e) as string, show(header.alg));
  if (expected === undefined) return warn(`cannot compute ${h.claim} for alg ${show(header.alg)}`, { name });
  if (claimed !== expected) return fail(`${h.claim} does not match the ${h.what}`, { name, code: h.code });
  return pass(`${h.claim} matches the ${h.what}`, { name });
}

function hashUnmet(h: HashClaim, { payload }: Input, missing: Expectation): Verdict {
  return payload[h.claim] === undefined
    ? skip(`no ${h.claim} claim`, { name: h.claim })
    : skipFor(missing, `${h.claim} not checked: no ${missing.what} was given`, { name: h.claim });
}

/** D10: at_hash matches the access token (Core §3.2.2.10, §3.3.2.11). */
export const atHashMatches = (i: Input): Verdict => hashMatches(AT_HASH, i);
const atHashUnmet = (i: Input, missing: Expectation): Verdict => hashUnmet(AT_HASH, i, missing);

/** D11: c_hash matches the code (Core §3.3.2.11). */
export const cHashMatches = (i: Input): Verdict => hashMatches(C_HASH, i);
const cHashUnmet = (i: Input, missing: Expectation): Verdict => hashUnmet(C_HASH, i, missing);

/** D12: auth_time present when max_age was requested, and recent enough. */
export function authTimeWithinMaxAge({ payload, expect: e, now }: Input): Verdict {
  const authTime = timeState('auth_time', payload.auth_time, now);
  if (authTime === undefined) {
    return fail('auth_time is missing; it is required when max_age is sent', {
      name: 'auth_time',
      code: 'TOKEN_AUTH_TIME',
    });
  }
  const maxAge = e.maxAge as number;
  if (now - authTime.value > maxAge + (e.clockSkew ?? authTime.skew)) {
    return fail(`authenticated ${instantWords(authTime)}, longer ago than max_age ${maxAge} s`, {
      name: 'auth_time',
      code: 'TOKEN_AUTH_TIME',
    });
  }
  return pass(`authenticated ${instantWords(authTime)}, within max_age`, { name: 'auth_time' });
}

function authTimeUnmet({ payload, now }: Input, missing: Expectation): Verdict {
  const authTime =
    typeof payload.auth_time === 'number' ? timeState('auth_time', payload.auth_time, now) : undefined;
  return authTime
    ? skipFor(missing, `authenticated ${instantWords(authTime)}; no max_age was given`, { name: 'auth_time' })
    : skip('no max_age requested', { name: 'auth_time' });
}

/** D13: acr is one of the requested values (a warning: the provider may choose another). */
export function acrRequested({ payload, expect: e }: Input): Verdict {
  const requested = e.acrValues ?? [];
  const acr = payload.acr;
  if (typeof acr !== 'string' || !requested.includes(acr)) {
    return warn(`acr is ${acr === undefined ? 'missing' : show(acr)}, requested ${requested.join(' ')}`, {
      name: 'acr',
    });
  }
  return pass(`acr is ${acr}`, { name: 'acr' });
}

function acrUnmet(_i: Input, missing: Expectation): Verdict {
  return skipFor(missing, 'no acr_values requested', { name: 'acr' });
}

/** D14: sub present, a string of at most 255 ASCII characters (Core §2). */
export function subjectValid({ payload }: Input): Verdict {
  const sub = payload.sub;
  if (sub === undefined) return fail('sub is missing', { name: 'sub', code: 'TOKEN_CLAIM_MISSING' });
  if (typeof sub !== 'string' || sub === '') {
    return fail('sub is not a non-empty string', { name: 'sub', code: 'TOKEN_SUB_INVALID' });
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range is the point
  if (sub.length > 255 || !/^[\x00-\x7f]*$/.test(sub)) {
    return fail('sub is longer than 255 characters or not ASCII', { name: 'sub', code: 'TOKEN_SUB_INVALID' });
  }
  return pass(`sub is ${sub}`, { name: 'sub' });
}

/** D15: kid present when the JWKS holds more than one key. */
export function kidWithSeveralKeys({ header, expect: e, keyCount }: Input): Verdict {
  if (typeof header.kid === 'string') return pass(`kid is ${header.kid}`, { name: 'kid' });
  const count = e.jwksKeyCount ?? keyCount;
  if (count !== undefined && count > 1)
    return warn(`no kid, and the JWKS holds ${count} keys`, { name: 'kid' });
  return skip('no kid (the JWKS holds at most one key)', { name: 'kid' });
}

/**
 * D16: explicit typing (RFC 8725 §3.11). An ID token's typ, when present, is `JWT`; a token typed
 * as another kind (an RFC 9068 access token `at+jwt`, a logout token `logout+jwt`, …) is never
 * accepted as an ID token, however valid its signature.
 */
export function typedAsIdToken({ header, payload }: Input): Verdict {
  const other = kindFromTyp(header.typ);
  if (other && other.kind !== 'id_token') {
    return fail(`typ is ${other.typ}: this is ${other.label}, not an ID token`, {
      name: 'typ',
      code: 'TOKEN_TYPE_MISMATCH',
    });
  }
  // A logout token need not be typed (Back-Channel Logout §2.4), and has the claims of an ID token
  // but a logout event: it must never be accepted as one (§2.4: it MUST NOT carry a nonce either).
  const guess = guessTokenKind(header, payload);
  if (guess.kind === 'logout_token') {
    return fail(`this is ${guess.label} (${guess.reason}), not an ID token`, {
      name: 'typ',
      code: 'TOKEN_TYPE_MISMATCH',
    });
  }
  return pass(header.typ === undefined ? 'no typ (allowed for ID tokens)' : `typ is ${show(header.typ)}`, {
    name: 'typ',
  });
}

const CORE = 'OpenID Connect Core';
const ID_TOKEN = 'ID token';

/** Every ID token rule, in report order (docs/security-details.md's table). */
export const ID_TOKEN_RULES = [
  { id: 'D1', spec: `${CORE} §3.1.3.7; RFC 7515 §4.1.11`, appliesTo: ID_TOKEN, run: headerUnderstood },
  {
    id: 'D2',
    spec: `${CORE} §3.1.3.7 (2)`,
    appliesTo: ID_TOKEN,
    needs: [PINNED_ISSUER],
    run: issuerMatches,
    unmet: issuerNotPinned,
  },
  {
    id: 'D3',
    spec: `${CORE} §3.1.3.7 (3)`,
    appliesTo: ID_TOKEN,
    needs: [CLIENT_ID],
    run: audienceNames(true),
    unmet: audienceNotChecked,
  },
  {
    id: 'D4',
    spec: `${CORE} §2, §3.1.3.7 (4, 5)`,
    appliesTo: ID_TOKEN,
    needs: [CLIENT_ID],
    run: authorizedPartyIsClient,
    unmet: authorizedPartyUnmet,
  },
  { id: 'D5', spec: `${CORE} §3.1.3.7 (6); RFC 7515 §5.2`, appliesTo: ID_TOKEN, run: signatureVerified },
  {
    id: 'D6',
    spec: `${CORE} §3.1.3.7 (7); Discovery §3`,
    appliesTo: ID_TOKEN,
    needs: [PROVIDER_ALGS],
    run: algorithmAdvertised,
    unmet: algorithmUnmet,
  },
  {
    id: 'D7',
    spec: `${CORE} §3.1.3.7 (9); RFC 7519 §4.1.4, §4.1.5`,
    appliesTo: ID_TOKEN,
    run: withinValidity(true),
  },
  {
    id: 'D8',
    spec: `${CORE} §3.1.3.7 (10); RFC 7519 §4.1.6`,
    appliesTo: ID_TOKEN,
    run: issuedInThePast(true),
  },
  {
    id: 'D9',
    spec: `${CORE} §3.1.3.7 (11), §3.2.2.11`,
    appliesTo: ID_TOKEN,
    needs: [NONCE],
    run: nonceMatches,
    unmet: nonceUnmet,
  },
  {
    id: 'D10',
    spec: `${CORE} §3.1.3.6, §3.2.2.10, §3.3.2.11`,
    appliesTo: ID_TOKEN,
    needs: [ACCESS_TOKEN],
    run: atHashMatches,
    unmet: atHashUnmet,
  },
  {
    id: 'D11',
    spec: `${CORE} §3.3.2.11`,
    appliesTo: ID_TOKEN,
    needs: [CODE],
    run: cHashMatches,
    unmet: cHashUnmet,
  },
  {
    id: 'D12',
    spec: `${CORE} §3.1.3.7 (13)`,
    appliesTo: ID_TOKEN,
    needs: [MAX_AGE],
    run: authTimeWithinMaxAge,
    unmet: authTimeUnmet,
  },
  {
    id: 'D13',
    spec: `${CORE} §3.1.3.7 (12)`,
    appliesTo: ID_TOKEN,
    needs: [ACR_VALUES],
    run: acrRequested,
    unmet: acrUnmet,
  },
  { id: 'D14', spec: `${CORE} §2`, appliesTo: ID_TOKEN, run: subjectValid },
  { id: 'D15', spec: `${CORE} §10.1; RFC 7515 §4.1.4`, appliesTo: ID_TOKEN, run: kidWithSeveralKeys },
  { id: 'D16', spec: 'RFC 8725 §3.11; Back-Channel Logout §2.4', appliesTo: ID_TOKEN, run: typedAsIdToken },
] as const satisfies readonly TokenRule<ClaimExpectations>[];

/** The ID token profile of the one policy (policy.ts): its table and which rules play the policy's roles. */
export const ID_TOKEN_PROFILE: Profile<ClaimExpectations> = {
  label: 'ID token, OpenID Connect Core §3.1.3.7',
  ids: { header: 'D1', iss: 'D2', aud: 'D3', signature: 'D5', time: 'D7', iat: 'D8' },
  rules: ID_TOKEN_RULES,
};

/** Every claim rule of an ID token (all but the signature, D5, which needs keys), in report order. */
export function checkClaims(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  e: ClaimExpectations,
  nowMs: number,
): Check[] {
  const input: Input = { header, payload, expect: e, now: Math.floor(nowMs / 1000) };
  return runRules(
    ID_TOKEN_RULES.filter((rule) => rule.id !== 'D5'),
    input,
  );
}
