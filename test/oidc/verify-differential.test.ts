/**
 * A differential test of the verifier: fast-check generates tokens — valid ones and mutations of
 * the header, the claims, the signing key and the times — and togo's verdict is compared with
 * jose's `jwtVerify` given the same keys, issuer, audience, algorithms and clock tolerance, plus
 * the rules OpenID Connect Core §3.1.3.7 adds for ID tokens. togo may be stricter; it must never
 * say VALID where that reference rejects. Pure and in-process: a local key set, no network.
 */
import fc from 'fast-check';
import { createLocalJWKSet, FlattenedSign, jwtVerify, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { profileOf, verifyAccessToken } from '../../src/oidc/access-token.js';
import { decodeToken } from '../../src/oidc/token.js';
import { guessTokenKind } from '../../src/oidc/token-kind.js';
import { verifySignedUserinfo } from '../../src/oidc/userinfo-jwt.js';
import { staticKeys, type Verification, verifyIdToken } from '../../src/oidc/verify.js';
import { CLIENT, ISSUER, makeKey, NOW, NOW_S, type TestKey } from '../helpers/tokens.js';

const ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'];
const ABSENT = Symbol('absent');

let es: TestKey;
let rs: TestKey;
let stranger: TestKey;
beforeAll(async () => {
  es = await makeKey('ES256', 'es-key');
  rs = await makeKey('RS256', 'rs-key');
  // Same kid as the provider's ES256 key, other material: a key the provider never published.
  stranger = await makeKey('ES256', 'es-key');
});

/** Mostly the right value, sometimes one of the wrong ones: valid tokens stay common. */
function mostly<T>(good: T, ...bad: T[]): fc.Arbitrary<T> {
  return fc.oneof(
    { arbitrary: fc.constant(good), weight: 12 },
    { arbitrary: fc.constantFrom(...bad), weight: 1 },
  );
}

/** Each field: the value of a valid token first, then the mutations. */
const FIELDS = {
  signer: ['es', 'rs', 'stranger', 'hmac-public-key'],
  kid: ['right', 'absent', 'other'],
  typ: ['JWT', ABSENT, 'at+jwt', ' at+jwt', 'application/at+jwt', 'AT+JWT', 'logout+jwt', 'jwt '],
  crit: ['none', 'b64', 'unknown', 'b64-without-crit'],
  iss: [ISSUER, `${ISSUER}/`, 'https://evil.example', ABSENT, 42, ISSUER.toUpperCase()],
  aud: [CLIENT, [CLIENT, 'other'], ['other'], 'other', ABSENT, [], [42, CLIENT], `${CLIENT} `],
  exp: [
    NOW_S + 300,
    ABSENT,
    NOW_S,
    NOW_S - 1,
    NOW_S + 1,
    NOW_S - 60,
    NOW_S - 59,
    NOW_S - 61,
    NOW_S + 0.5,
    NOW_S - 59.5,
    `${NOW_S + 300}`,
  ],
  nbf: [ABSENT, NOW_S + 60, NOW_S + 61, NOW_S + 1, NOW_S - 10, 'soon'],
  iat: [NOW_S - 10, ABSENT, NOW_S + 60, NOW_S + 61, NOW_S + 1, 'x'],
  sub: ['user-1', ABSENT, 5, ''],
  nonce: [ABSENT, 'n-1', 'n-2'],
  scope: [ABSENT, 'read', 'openid email'],
  atClaims: [false, true],
  logoutEvent: [false, true],
  tamper: [false, true],
} as const;

type TokenSpec = { -readonly [K in keyof typeof FIELDS]: (typeof FIELDS)[K][number] };

/** A valid token most of the time; each field sometimes one of its mutations. */
const tokenSpec = fc.record(
  Object.fromEntries(
    Object.entries(FIELDS).map(([name, [good, ...bad]]) => [name, mostly<unknown>(good, ...bad)]),
  ),
) as unknown as fc.Arbitrary<TokenSpec>;

/** The valid token, and every token that differs from it in exactly one field. */
function singleMutations(): TokenSpec[] {
  const valid = Object.fromEntries(
    Object.entries(FIELDS).map(([name, values]) => [name, values[0]]),
  ) as TokenSpec;
  const out: TokenSpec[] = [valid];
  for (const [name, values] of Object.entries(FIELDS)) {
    for (const value of values.slice(1)) out.push({ ...valid, [name]: value });
  }
  return out;
}

const expectationsSpec = fc.record({
  issuer: mostly<string | undefined>(ISSUER, undefined),
  audience: mostly<string | undefined>(CLIENT, undefined),
  skew: fc.constantFrom<number>(0, 60, 5),
  nonce: mostly<string | undefined>(undefined, 'n-1'),
  asUserinfo: mostly(false, true),
});

function claimsOf(spec: TokenSpec): Record<string, unknown> {
  const claims: Record<string, unknown> = {
    iss: spec.iss,
    aud: spec.aud,
    exp: spec.exp,
    nbf: spec.nbf,
    iat: spec.iat,
    sub: spec.sub,
    nonce: spec.nonce,
    scope: spec.scope,
    ...(spec.atClaims ? { client_id: 'app', jti: 'j-1' } : {}),
    ...(spec.logoutEvent ? { events: { 'http://schemas.openid.net/event/backchannel-logout': {} } } : {}),
  };
  for (const [k, v] of Object.entries(claims)) if (v === ABSENT) delete claims[k];
  return claims;
}

async function mint(spec: TokenSpec): Promise<string> {
  const claims = claimsOf(spec);
  const signer = spec.signer === 'rs' ? rs : spec.signer === 'stranger' ? stranger : es;
  const header: Record<string, unknown> = { alg: signer.alg };
  if (spec.kid === 'right') header.kid = signer.kid;
  if (spec.kid === 'other') header.kid = 'no-such-key';
  if (spec.typ !== ABSENT) header.typ = spec.typ;
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  let token: string;
  if (spec.signer === 'hmac-public-key') {
    // The classic confusion: HS256 with the provider's public key as the shared secret.
    const secret = new TextEncoder().encode(JSON.stringify(es.publicJwk));
    token = await new SignJWT(claims).setProtectedHeader({ ...header, alg: 'HS256' } as never).sign(secret);
  } else {
    if (spec.crit === 'b64') Object.assign(header, { b64: false, crit: ['b64'] });
    if (spec.crit === 'unknown')
      Object.assign(header, { crit: ['urn:example:policy'], 'urn:example:policy': 1 });
    if (spec.crit === 'b64-without-crit') header.b64 = false;
    const critical = Object.fromEntries(((header.crit as string[]) ?? []).map((n) => [n, true]));
    // With b64: false the payload part is signed as it stands: the base64url of the claims, so a
    // decoder that ignores crit reads the same claims.
    const unencoded = header.b64 === false && spec.crit === 'b64';
    const jws = await new FlattenedSign(
      new TextEncoder().encode(unencoded ? payload : JSON.stringify(claims)),
    )
      .setProtectedHeader(header as never)
      .sign(signer.privateKey, { crit: critical });
    token = `${jws.protected}.${unencoded ? payload : jws.payload}.${jws.signature}`;
  }
  if (spec.tamper) {
    // Another audience put in after signing: the signature no longer covers the claims.
    const [h, , s] = token.split('.');
    token = `${h}.${Buffer.from(JSON.stringify({ ...claims, aud: CLIENT, iss: ISSUER })).toString('base64url')}.${s}`;
  }
  return token;
}

type Expect = typeof expectationsSpec extends fc.Arbitrary<infer T> ? T : never;

/** jose's verdict with the same keys, issuer, audience, algorithms and tolerance, plus OIDC Core's rules. */
async function reference(
  token: string,
  e: Expect,
  idTokenRules: boolean,
  requireExp: boolean,
): Promise<string | true> {
  if (e.issuer === undefined) return 'no issuer to verify against';
  if (e.audience === undefined) return 'no audience to verify against';
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, createLocalJWKSet({ keys: [es.publicJwk, rs.publicJwk] }), {
      issuer: e.issuer,
      audience: e.audience,
      algorithms: ALGORITHMS,
      clockTolerance: e.skew,
      currentDate: new Date(NOW),
      requiredClaims: requireExp ? ['exp'] : [],
    }));
  } catch (error) {
    return `jose: ${(error as Error).message}`;
  }
  if (!idTokenRules) return true;
  // OIDC Core §2 and §3.1.3.7: sub, iat and exp are required; nonce equals the one sent.
  if (typeof payload.sub !== 'string' || payload.sub === '') return 'OIDC: sub';
  if (typeof payload.iat !== 'number') return 'OIDC: iat';
  if (e.nonce !== undefined && payload.nonce !== e.nonce) return 'OIDC: nonce';
  return true;
}

async function togo(
  token: string,
  e: Expect,
): Promise<{ v: Verification; idToken: boolean; requireExp: boolean }> {
  const decoded = decodeToken(token);
  const keys = staticKeys({ keys: [es.publicJwk, rs.publicJwk] }, 'the test JWKS');
  const common = { keys, now: NOW, clockSkew: e.skew, ...(e.issuer ? { issuer: e.issuer } : {}) };
  if (e.asUserinfo) {
    if (!e.issuer)
      return {
        v: { ok: false, verdict: 'issuer-not-pinned', profile: '', checks: [] },
        idToken: false,
        requireExp: false,
      };
    const v = await verifySignedUserinfo(decoded, {
      ...common,
      issuer: e.issuer,
      ...(e.audience ? { clientId: e.audience } : {}),
    });
    return { v, idToken: false, requireExp: false };
  }
  // The profile decode would pick, from the token's kind (an expected nonce means an ID token).
  const profile =
    e.nonce !== undefined ? 'id_token' : profileOf(guessTokenKind(decoded.header, decoded.payload));
  if (profile === 'id_token') {
    const v = await verifyIdToken(decoded, {
      ...common,
      ...(e.audience ? { audience: e.audience } : {}),
      ...(e.nonce ? { nonce: e.nonce } : {}),
    });
    return { v, idToken: true, requireExp: true };
  }
  const v = await verifyAccessToken(decoded, profile, {
    ...common,
    ...(e.audience ? { resource: e.audience } : {}),
  });
  return { v, idToken: false, requireExp: true };
}

const describe_ = (spec: TokenSpec, e: Expect) =>
  JSON.stringify({ spec, e }, (_k, x) => (x === ABSENT ? '<absent>' : x));

describe('togo never says VALID where jose (with OIDC Core §3.1.3.7) rejects', () => {
  it('holds for generated tokens, valid ones and mutations of header, claims, keys and times', async () => {
    let valid = 0;
    let rejected = 0;
    await fc.assert(
      fc.asyncProperty(tokenSpec, expectationsSpec, async (spec, e) => {
        const token = await mint(spec);
        const { v, idToken, requireExp } = await togo(token, e);
        if (v.ok) valid++;
        else rejected++;
        // ok and verdict never disagree.
        expect(v.ok).toBe(v.verdict === 'valid');
        if (!v.ok) return;
        const ref = await reference(token, e, idToken, requireExp);
        expect(
          ref,
          `togo: VALID (${v.profile}); reference: ${ref}\n${JSON.stringify({ spec, e }, (_k, x) => (x === ABSENT ? '<absent>' : x))}`,
        ).toBe(true);
      }),
      { numRuns: 200, seed: Number(process.env.TOGO_FC_SEED ?? Date.now() % 2 ** 31) },
    );
    // Not vacuous: both verdicts occur.
    expect(valid).toBeGreaterThan(0);
    expect(rejected).toBeGreaterThan(0);
  });

  it('holds for a valid token and each single mutation of it, under each expectation', async () => {
    const expectations: Expect[] = [
      { issuer: ISSUER, audience: CLIENT, skew: 60, nonce: undefined, asUserinfo: false },
      { issuer: ISSUER, audience: CLIENT, skew: 0, nonce: 'n-1', asUserinfo: false },
      { issuer: ISSUER, audience: CLIENT, skew: 60, nonce: undefined, asUserinfo: true },
    ];
    let valid = 0;
    for (const spec of singleMutations()) {
      const token = await mint(spec);
      for (const e of expectations) {
        const { v, idToken, requireExp } = await togo(token, e);
        if (!v.ok) continue;
        valid++;
        const ref = await reference(token, e, idToken, requireExp);
        expect(ref, `togo: VALID (${v.profile}); reference: ${ref}\n${describe_(spec, e)}`).toBe(true);
      }
    }
    expect(valid).toBeGreaterThan(0);
  });

  it('agrees with jose on the boundaries of time: expired at exp - skew, not yet valid after nbf + skew', async () => {
    for (const skew of [0, 60]) {
      for (const delta of [-1, 0, 1]) {
        const spec = {
          signer: 'es',
          kid: 'right',
          typ: 'JWT',
          crit: 'none',
          iss: ISSUER,
          aud: CLIENT,
          exp: NOW_S - skew + delta,
          nbf: ABSENT,
          iat: NOW_S - 3600,
          sub: 'user-1',
          nonce: ABSENT,
          scope: ABSENT,
          atClaims: false,
          logoutEvent: false,
          tamper: false,
        } as TokenSpec;
        const token = await mint(spec);
        const e = { issuer: ISSUER, audience: CLIENT, skew, nonce: undefined, asUserinfo: false };
        const { v } = await togo(token, e);
        const ref = await reference(token, e, true, true);
        expect(v.ok, `skew ${skew}, exp = now - skew ${delta >= 0 ? '+' : ''}${delta}`).toBe(ref === true);
      }
    }
  });
});
