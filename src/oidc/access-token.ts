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
import type { Check } from '../check.js';
import { checkDpopBinding } from './dpop.js';
import type { Profile } from './policy.js';
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

export type AccessTokenVerification = Verification<Check>;

const pass = (id: string, name: string, message: string): Check => ({ id, name, status: 'pass', message });
const fail = (id: string, name: string, message: string, code: Check['code'] = 'TOKEN_INVALID'): Check => ({
  id,
  name,
  status: 'fail',
  message,
  code,
});

const IDS = {
  header: 'at.header',
  signature: 'at.signature',
  iss: 'at.iss',
  aud: 'at.aud',
  time: 'at.exp',
  iat: 'at.iat',
};

function dpop(payload: Record<string, unknown>, e: AccessTokenExpectations): Check[] {
  const binding = checkDpopBinding(payload, e.dpopThumbprint);
  return binding.status === 'skip' ? [] : [binding];
}

/** RFC 9068 §2.2 and §4: the policy, plus typ, sub, client_id, jti and iat required. */
const RFC9068: Profile<AccessTokenExpectations> = {
  label: PROFILE_LABEL.rfc9068,
  ids: IDS,
  requireExp: true,
  requireIat: true,
  audienceIs: 'resource',
  warnOtherAudiences: false,
  order: [
    'at.header',
    'at.signature',
    'at.typ',
    'at.iss',
    'at.aud',
    'at.sub',
    'at.client_id',
    'at.jti',
    'at.exp',
    'at.iat',
  ],
  rules: (_header, payload, e) => [
    pass('at.typ', 'typ', 'typ is at+jwt (RFC 9068 §2.1)'),
    ...(['sub', 'client_id', 'jti'] as const).map((claim) => {
      const v = payload[claim];
      return typeof v === 'string' && v !== ''
        ? pass(`at.${claim}`, claim, `${claim} is ${v}`)
        : fail(
            `at.${claim}`,
            claim,
            `${claim} is missing (RFC 9068 §2.2 requires it)`,
            'TOKEN_CLAIM_MISSING',
          );
    }),
    ...dpop(payload, e),
  ],
};

/** A JWT access token of no standard profile: the policy alone (exp required, iat when present). */
const PLAIN_JWT: Profile<AccessTokenExpectations> = {
  ...RFC9068,
  label: PROFILE_LABEL.jwt,
  requireIat: false,
  rules: (_header, payload, e) => dpop(payload, e),
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
  return judge<AccessTokenExpectations, Check>(
    decoded,
    profile === 'rfc9068' ? RFC9068 : PLAIN_JWT,
    expectations,
  );
}
