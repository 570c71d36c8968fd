/**
 * Access tokens that are JWTs: which profile applies, and the checks of that profile. Both go
 * through the one policy (policy.ts): signature with the pinned issuer's keys, iss equal to the
 * pinned issuer, aud naming the expected resource, the times, the header.
 *
 * - RFC 9068 (JWT profile for OAuth 2.0 access tokens), recognised by `typ: at+jwt` (§2.1, §4):
 *   the policy, plus sub, client_id, iat and jti required; no nonce or at_hash, which belong to ID
 *   tokens.
 * - Any other JWT access token follows no standard profile: the policy only, and the heading says
 *   so.
 *
 * A DPoP-bound token's `cnf.jkt` (RFC 9449 §6.1) is checked against the key when it is given.
 */
import { fail, pass, type Verdict } from '../rule.js';
import { checkDpopBinding } from './dpop.js';
import {
  audienceNames,
  audienceNotChecked,
  headerUnderstood,
  issuedInThePast,
  issuerMatches,
  issuerNotPinned,
  PINNED_ISSUER,
  type Profile,
  RESOURCE,
  signatureVerified,
  type TokenInput,
  type TokenRule,
  withinValidity,
} from './policy.js';
import type { DecodedToken } from './token.js';
import { guessTokenKind, type TokenKindGuess } from './token-kind.js';
import { judge, type KeyOptions, type Verification } from './verify.js';

export type TokenProfile = 'id_token' | 'rfc9068' | 'jwt';

export const PROFILE_LABEL: Record<TokenProfile, string> = {
  id_token: 'ID token, OpenID Connect Core §3.1.3.7',
  rfc9068: 'access token, RFC 9068 JWT profile',
  jwt: 'JWT access token without a standard profile: signature, iss, aud and times',
};

/**
 * The profile to verify by, read from the token's kind (token-kind.ts), so that what decode says a
 * token is and the profile it is verified by never disagree: RFC 9068 when the header types it
 * `at+jwt` (§2.1, §4); a JWT access token without a standard profile when it was picked as an
 * access token or its claims are an access token's; otherwise an ID token, whose typing check
 * (D16) then fails a token typed as another kind.
 */
export function profileOf(kind: TokenKindGuess, pickedAs?: string): TokenProfile {
  if (kind.kind === 'access_token' && kind.explicit) return 'rfc9068';
  if (pickedAs === 'access_token' || kind.kind === 'access_token') return 'jwt';
  return 'id_token';
}

/** The profile of a decoded token: profileOf its guessed kind. */
export function tokenProfile(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  pickedAs?: string,
): TokenProfile {
  return profileOf(guessTokenKind(header, payload), pickedAs);
}

export interface AccessTokenExpectations extends KeyOptions {
  /** The resource this token is meant for (`--audience`); the policy's expected audience. */
  resource?: string;
  /** The DPoP key's thumbprint, to check `cnf.jkt` against. */
  dpopThumbprint?: string;
}

export type AccessTokenVerification = Verification;

type Input = TokenInput<AccessTokenExpectations>;

/** RFC 9068 §2.1: the profile is chosen by typ at+jwt, so the rule records that it holds. */
export function typedAtJwt(): Verdict {
  return pass('typ is at+jwt (RFC 9068 §2.1)', { name: 'typ' });
}

function requiredClaim(claim: 'sub' | 'client_id' | 'jti'): (i: Input) => Verdict {
  return ({ payload }) => {
    const v = payload[claim];
    return typeof v === 'string' && v !== ''
      ? pass(`${claim} is ${v}`, { name: claim })
      : fail(`${claim} is missing (RFC 9068 §2.2 requires it)`, { name: claim, code: 'TOKEN_CLAIM_MISSING' });
  };
}

/** RFC 9068 §2.2: sub is required. */
export const subjectPresent = requiredClaim('sub');
/** RFC 9068 §2.2: client_id is required. */
export const clientIdPresent = requiredClaim('client_id');
/** RFC 9068 §2.2: jti is required. */
export const tokenIdPresent = requiredClaim('jti');

/** RFC 9449 §6.1: a DPoP-bound token's cnf.jkt names the key's thumbprint; nothing to say for a bearer token. */
export function boundToDpopKey({ payload, expect: e }: Input): readonly Verdict[] {
  const binding = checkDpopBinding(payload, e.dpopThumbprint);
  return binding.status === 'skip' ? [] : [binding];
}

const AT = 'JWT access token';
const RFC9068_SPEC = 'RFC 9068 §4';

const HEADER = {
  id: 'at.header',
  spec: 'RFC 7515 §4.1.11; RFC 8725 §3.1',
  appliesTo: AT,
  run: headerUnderstood,
};
const SIGNATURE = { id: 'at.signature', spec: RFC9068_SPEC, appliesTo: AT, run: signatureVerified };
const ISSUER = {
  id: 'at.iss',
  spec: RFC9068_SPEC,
  appliesTo: AT,
  needs: [PINNED_ISSUER],
  run: issuerMatches,
  unmet: issuerNotPinned,
};
const AUDIENCE = {
  id: 'at.aud',
  spec: RFC9068_SPEC,
  appliesTo: AT,
  needs: [RESOURCE],
  run: audienceNames(false),
  unmet: audienceNotChecked,
};
const DPOP = { id: 'dpop.jkt', spec: 'RFC 9449 §6.1', appliesTo: AT, run: boundToDpopKey };

/** RFC 9068 §2.2 and §4: the policy, plus typ, sub, client_id, jti, exp and iat required. */
export const RFC9068_RULES = [
  HEADER,
  SIGNATURE,
  { id: 'at.typ', spec: 'RFC 9068 §2.1', appliesTo: AT, run: typedAtJwt },
  ISSUER,
  AUDIENCE,
  { id: 'at.sub', spec: 'RFC 9068 §2.2', appliesTo: AT, run: subjectPresent },
  { id: 'at.client_id', spec: 'RFC 9068 §2.2', appliesTo: AT, run: clientIdPresent },
  { id: 'at.jti', spec: 'RFC 9068 §2.2', appliesTo: AT, run: tokenIdPresent },
  { id: 'at.exp', spec: 'RFC 9068 §2.2; RFC 7519 §4.1.4', appliesTo: AT, run: withinValidity(true) },
  { id: 'at.iat', spec: 'RFC 9068 §2.2; RFC 7519 §4.1.6', appliesTo: AT, run: issuedInThePast(true) },
  DPOP,
] as const satisfies readonly TokenRule<AccessTokenExpectations>[];

/** A JWT access token of no standard profile: the policy alone (exp required, iat when present). */
export const PLAIN_JWT_RULES = [
  HEADER,
  SIGNATURE,
  ISSUER,
  AUDIENCE,
  { id: 'at.exp', spec: 'RFC 7519 §4.1.4', appliesTo: AT, run: withinValidity(true) },
  { id: 'at.iat', spec: 'RFC 7519 §4.1.6', appliesTo: AT, run: issuedInThePast(false) },
  DPOP,
] as const satisfies readonly TokenRule<AccessTokenExpectations>[];

const IDS = {
  header: 'at.header',
  signature: 'at.signature',
  iss: 'at.iss',
  aud: 'at.aud',
  time: 'at.exp',
  iat: 'at.iat',
};

export const RFC9068_PROFILE: Profile<AccessTokenExpectations> = {
  label: PROFILE_LABEL.rfc9068,
  ids: IDS,
  rules: RFC9068_RULES,
};
export const PLAIN_JWT_PROFILE: Profile<AccessTokenExpectations> = {
  label: PROFILE_LABEL.jwt,
  ids: IDS,
  rules: PLAIN_JWT_RULES,
};

/** Verifies a JWT access token by its profile through the one policy; never throws for a bad token. */
export async function verifyAccessToken(
  decoded: DecodedToken,
  profile: Exclude<TokenProfile, 'id_token'>,
  e: AccessTokenExpectations,
): Promise<AccessTokenVerification> {
  const { resource, ...rest } = e;
  // The expected audience of an access token is the resource it is for; nothing else stands in.
  const expectations: AccessTokenExpectations = {
    ...rest,
    ...(resource !== undefined ? { audience: resource } : {}),
  };
  if (resource === undefined) delete expectations.audience;
  return judge<AccessTokenExpectations>(
    decoded,
    profile === 'rfc9068' ? RFC9068_PROFILE : PLAIN_JWT_PROFILE,
    expectations,
  );
}
