/**
 * Access tokens that are JWTs: which profile applies, and the checks of that profile.
 *
 * - RFC 9068 (JWT profile for OAuth 2.0 access tokens), recognised by `typ: at+jwt` (§2.1, §4):
 *   the signature, iss, exp, aud (the resource), sub, client_id, iat and jti; no nonce or at_hash,
 *   which belong to ID tokens.
 * - Any other JWT access token follows no standard profile: only its signature and times are
 *   checked, and the verdict says so.
 *
 * A DPoP-bound token's `cnf.jkt` (RFC 9449 §6.1) is checked against the key when it is given.
 */
import type { Check } from '../check.js';
import { checkDpopBinding } from './dpop.js';
import { show } from './show.js';
import { isoDate, relativeTime } from './time.js';
import type { DecodedToken } from './token.js';
import { guessTokenKind, type TokenKindGuess } from './token-kind.js';
import { type VerifyOptions, verifySignature } from './verify.js';

export type TokenProfile = 'id_token' | 'rfc9068' | 'jwt';

export const PROFILE_LABEL: Record<TokenProfile, string> = {
  id_token: 'ID token, OpenID Connect Core §3.1.3.7',
  rfc9068: 'access token, RFC 9068 JWT profile',
  jwt: 'JWT access token without a standard profile: signature and times only',
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

export interface AccessTokenExpectations extends VerifyOptions {
  /** RFC 9068: the resource this token is meant for (`--audience`). */
  resource?: string;
  /** The DPoP key's thumbprint, to check `cnf.jkt` against. */
  dpopThumbprint?: string;
}

export interface AccessTokenVerification {
  ok: boolean;
  profile: string;
  checks: Check[];
}

const pass = (id: string, name: string, message: string): Check => ({ id, name, status: 'pass', message });
const fail = (id: string, name: string, message: string, code: Check['code'] = 'TOKEN_INVALID'): Check => ({
  id,
  name,
  status: 'fail',
  message,
  code,
});

function timeChecks(
  payload: Record<string, unknown>,
  e: AccessTokenExpectations,
  requireIat: boolean,
): Check[] {
  const now = Math.floor((e.now ?? Date.now()) / 1000);
  const skew = e.clockSkew ?? 60;
  const when = (t: number) => `${isoDate(t)} (${relativeTime(t, now)})`;
  const out: Check[] = [];
  const { exp, nbf, iat } = payload;
  if (typeof exp !== 'number')
    out.push(fail('at.exp', 'exp', 'exp is missing or not a number', 'TOKEN_CLAIM_MISSING'));
  else if (now > exp + skew) out.push(fail('at.exp', 'exp', `expired ${when(exp)}`, 'TOKEN_EXPIRED'));
  else out.push(pass('at.exp', 'exp', `expires ${when(exp)}`));
  if (nbf !== undefined) {
    if (typeof nbf !== 'number' || nbf > now + skew) {
      out.push(fail('at.nbf', 'nbf', `not valid before ${show(nbf)}`, 'TOKEN_NOT_YET_VALID'));
    } else out.push(pass('at.nbf', 'nbf', `valid since ${when(nbf)}`));
  }
  if (iat === undefined && !requireIat) return out;
  if (typeof iat !== 'number')
    out.push(fail('at.iat', 'iat', 'iat is missing or not a number', 'TOKEN_CLAIM_MISSING'));
  else if (iat > now + skew)
    out.push(fail('at.iat', 'iat', `issued in the future: ${when(iat)}`, 'TOKEN_ISSUED_IN_FUTURE'));
  else out.push(pass('at.iat', 'iat', `issued ${when(iat)}`));
  return out;
}

/** RFC 9068 §4 claim checks, in the order §4 lists them. */
function rfc9068Checks(payload: Record<string, unknown>, e: AccessTokenExpectations): Check[] {
  const out: Check[] = [pass('at.typ', 'typ', 'typ is at+jwt (RFC 9068 §2.1)')];
  if (typeof payload.iss !== 'string')
    out.push(fail('at.iss', 'iss', 'iss is missing', 'TOKEN_CLAIM_MISSING'));
  else if (e.issuer === undefined)
    out.push({
      id: 'at.iss',
      name: 'iss',
      status: 'skip',
      message: `iss is ${payload.iss}; no expected issuer was given`,
    });
  else if (payload.iss !== e.issuer)
    out.push(fail('at.iss', 'iss', `iss is ${payload.iss}, expected ${e.issuer}`, 'TOKEN_ISSUER_MISMATCH'));
  else out.push(pass('at.iss', 'iss', `iss is ${payload.iss}`));
  const aud = payload.aud;
  const list =
    typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud.filter((a) => typeof a === 'string') : [];
  if (list.length === 0)
    out.push(fail('at.aud', 'aud', 'aud is missing (RFC 9068 §2.2 requires it)', 'TOKEN_CLAIM_MISSING'));
  else if (e.resource === undefined)
    out.push({
      id: 'at.aud',
      name: 'aud',
      status: 'skip',
      message: `aud is ${list.join(', ')}; no expected resource was given`,
    });
  else if (!list.includes(e.resource))
    out.push(
      fail(
        'at.aud',
        'aud',
        `aud is ${list.join(', ')}, not the resource ${e.resource}`,
        'TOKEN_AUDIENCE_MISMATCH',
      ),
    );
  else out.push(pass('at.aud', 'aud', `aud names the resource ${e.resource}`));
  for (const claim of ['sub', 'client_id', 'jti'] as const) {
    const v = payload[claim];
    out.push(
      typeof v === 'string' && v !== ''
        ? pass(`at.${claim}`, claim, `${claim} is ${v}`)
        : fail(
            `at.${claim}`,
            claim,
            `${claim} is missing (RFC 9068 §2.2 requires it)`,
            'TOKEN_CLAIM_MISSING',
          ),
    );
  }
  return out;
}

/** Verifies a JWT access token by its profile; never throws for a bad token. */
export async function verifyAccessToken(
  decoded: DecodedToken,
  profile: Exclude<TokenProfile, 'id_token'>,
  e: AccessTokenExpectations,
): Promise<AccessTokenVerification> {
  const signature = (await verifySignature(decoded, e)).check;
  const checks: Check[] = [{ ...signature, id: 'at.signature' }];
  const payload = decoded.payload;
  if (profile === 'rfc9068') checks.push(...rfc9068Checks(payload, e), ...timeChecks(payload, e, true));
  else checks.push(...timeChecks(payload, e, false));
  const binding = checkDpopBinding(payload, e.dpopThumbprint);
  if (binding.status !== 'skip') checks.push(binding);
  return { ok: !checks.some((c) => c.status === 'fail'), profile: PROFILE_LABEL[profile], checks };
}
