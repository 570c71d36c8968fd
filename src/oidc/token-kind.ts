/**
 * Which kind of token a JWT is: explicit typing (RFC 8725 §3.11) by the header `typ`, and, when
 * `typ` says nothing more than "JWT", what the claims suggest. togo expects ID tokens in a login,
 * `check --id-token` and `decode --verify`; a token typed as another kind fails D16 there.
 */

export type TokenKind = 'id_token' | 'access_token' | 'logout_token' | 'security_event' | 'other';

export interface TokenKindGuess {
  kind: TokenKind;
  /** "an ID token", "an access token (RFC 9068)", … */
  label: string;
  /** Why togo thinks so, in a few words: "typ at+jwt", "no typ; claims of an ID token". */
  reason: string;
  /** True when the header's typ says it (explicit typing), not a guess from the claims. */
  explicit: boolean;
}

const LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

/** The media type of `typ` without the optional "application/" prefix, lowercased (RFC 7515 §4.1.9). */
export function normalTyp(typ: unknown): string | undefined {
  if (typeof typ !== 'string') return undefined;
  // Not trimmed: a typ of " at+jwt" is not at+jwt (RFC 9068 §4: reject any other value).
  const t = typ.toLowerCase();
  return t.startsWith('application/') ? t.slice('application/'.length) : t;
}

const BY_TYP: Record<string, { kind: TokenKind; label: string }> = {
  'at+jwt': { kind: 'access_token', label: 'an access token (RFC 9068)' },
  'logout+jwt': { kind: 'logout_token', label: 'a back-channel logout token' },
  'secevent+jwt': { kind: 'security_event', label: 'a security event token (RFC 8417)' },
  'token-introspection+jwt': { kind: 'other', label: 'a signed introspection response (RFC 9701)' },
  'dpop+jwt': { kind: 'other', label: 'a DPoP proof (RFC 9449)' },
  'oauth-authz-req+jwt': { kind: 'other', label: 'a signed authorization request (RFC 9101)' },
  'jwt-idtoken': { kind: 'id_token', label: 'an ID token' },
};

/** What the header's typ says, when it names a kind: undefined for no typ, `JWT` or `JOSE`. */
export function kindFromTyp(typ: unknown): { kind: TokenKind; label: string; typ: string } | undefined {
  const t = normalTyp(typ);
  if (t === undefined || t === '' || t === 'jwt' || t === 'jose') return undefined;
  // Own properties only: a typ of "constructor" is no known kind.
  if (Object.hasOwn(BY_TYP, t)) return { ...BY_TYP[t]!, typ: String(typ) };
  if (t.endsWith('+jwt')) return { kind: 'other', label: `a ${t.slice(0, -4)} token`, typ: String(typ) };
  return { kind: 'other', label: `a token of type ${String(typ)}`, typ: String(typ) };
}

/** The kind of token, from the header's typ first and the claims second. */
export function guessTokenKind(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
): TokenKindGuess {
  const fromTyp = kindFromTyp(header.typ);
  if (fromTyp)
    return { kind: fromTyp.kind, label: fromTyp.label, reason: `typ ${fromTyp.typ}`, explicit: true };
  const typ = typeof header.typ === 'string' ? `typ ${header.typ}` : 'no typ';
  const events = payload.events;
  if (typeof events === 'object' && events !== null && Object.hasOwn(events, LOGOUT_EVENT)) {
    return {
      kind: 'logout_token',
      label: 'a back-channel logout token',
      reason: `${typ}; a logout event`,
      explicit: false,
    };
  }
  const idTokenClaims = ['nonce', 'at_hash', 'c_hash', 'auth_time', 'azp'].filter((c) =>
    Object.hasOwn(payload, c),
  );
  const accessClaims = ['scope', 'scp', 'client_id'].filter((c) => Object.hasOwn(payload, c));
  if (accessClaims.length > 0 && idTokenClaims.length === 0) {
    return {
      kind: 'access_token',
      label: 'an access token',
      reason: `${typ}; claims ${accessClaims.join(', ')} and none of an ID token's`,
      explicit: false,
    };
  }
  return {
    kind: 'id_token',
    label: 'an ID token',
    reason:
      idTokenClaims.length > 0
        ? `${typ}; claims ${idTokenClaims.join(', ')}`
        : `${typ}; nothing says otherwise`,
    explicit: false,
  };
}
