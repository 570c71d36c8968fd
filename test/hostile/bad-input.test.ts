/**
 * Bad input everywhere: property-based tests (fast-check) of the parsers a user or a provider can
 * feed anything. Any input gives a result or a TogoError with a code from the closed list (never
 * INTERNAL, never another exception), and through the CLI one error line, one hint line, the
 * documented exit code and no stack trace. Each pure target runs 10,000 generated cases; the seed
 * is printed on a failure, so `fc.assert(…, { seed })` replays it.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { ERROR_CODES, TogoError } from '../../src/errors.js';
import { judgeCallback, parseResponseParams, responseFromUrl } from '../../src/oidc/callback.js';
import { expandClaims } from '../../src/oidc/claims.js';
import { lintDiscovery } from '../../src/oidc/discovery-lint.js';
import { inspectUrl } from '../../src/oidc/inspect-url.js';
import { describeKey, lintJwks, thumbprint } from '../../src/oidc/jwks-lint.js';
import { decodeToken, extractToken } from '../../src/oidc/token.js';
import { staticKeys, verifyIdToken } from '../../src/oidc/verify.js';
import { PLAIN } from '../../src/ui/color.js';
import { renderDecode } from '../../src/ui/decode.js';
import { sharedKeyPair } from '../helpers/keys.js';
import { runCli } from '../helpers/run-cli.js';

const RUNS = 10_000;
/**
 * Every case runs, however long a busy machine takes: no time limit on a property (one failed the
 * suite when the machine was busy), and a test timeout that only a hang reaches.
 */
vi.setConfig({ testTimeout: 300_000 });
const params = (numRuns = RUNS) => ({ numRuns });

/** Returns normally, or throws a TogoError with a code of the closed list (not INTERNAL) and a hint. */
function togoOrNothing<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch (error) {
    expectTogoError(error);
    return undefined;
  }
}

function expectTogoError(error: unknown): void {
  if (!(error instanceof TogoError)) throw error;
  expect(Object.keys(ERROR_CODES)).toContain(error.code);
  expect(error.code).not.toBe('INTERNAL');
  expect(error.hint).not.toBe('');
}

// ── arbitraries ──

const b64url = (s: string | Uint8Array) => Buffer.from(s).toString('base64url');
const encodeSome = (v: string, how: number) =>
  how === 0 ? v : how === 1 ? encodeURIComponent(v) : encodeURIComponent(encodeURIComponent(v));

const oddString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom(
    '',
    ' ',
    '\n',
    '\u0000',
    '\uFEFF',
    '%',
    '%zz',
    '%E0%A4%A',
    '+',
    '/',
    '=',
    '.',
    '#',
    '?',
    '&',
  ),
);

/** JSON that breaks careless code: String() and template literals throw on the first two. */
const trapObject = fc.constantFrom<unknown>(
  JSON.parse('{"toString":null}'),
  JSON.parse('{"toString":null,"valueOf":null}'),
  JSON.parse('{"__proto__":{"polluted":true}}'),
  JSON.parse('{"constructor":{"prototype":{"polluted":true}}}'),
  JSON.parse('{"length":-1}'),
  [JSON.parse('{"toString":null}')],
);
const json = fc.oneof({ weight: 5, arbitrary: fc.jsonValue() }, { weight: 1, arbitrary: trapObject });

/** Claims a decoder, checker or expander looks at, with values of any type. */
const claimValue = fc.oneof(
  json,
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.constantFrom(1e308, -1e308, 2 ** 53, 8.64e12, -1),
  json.map((v) => JSON.stringify(v)),
);
const headerObject = fc.record(
  {
    alg: fc.oneof(
      fc.constantFrom('RS256', 'ES256', 'PS256', 'EdDSA', 'HS256', 'none', 'NONE', ''),
      claimValue,
    ),
    kid: fc.oneof(fc.string(), claimValue),
    typ: claimValue,
    enc: claimValue,
    crit: claimValue,
    jwk: claimValue,
  },
  { requiredKeys: [] },
);
const payloadObject = fc.record(
  {
    iss: claimValue,
    sub: claimValue,
    aud: fc.oneof(claimValue, fc.array(claimValue)),
    azp: claimValue,
    exp: claimValue,
    iat: claimValue,
    nbf: claimValue,
    auth_time: claimValue,
    nonce: claimValue,
    at_hash: claimValue,
    c_hash: claimValue,
    acr: claimValue,
    user: fc.oneof(
      claimValue,
      fc
        .record({ id: claimValue, organizations: fc.oneof(claimValue, fc.array(fc.jsonValue())) })
        .map((u) => JSON.stringify(u)),
    ),
    organizations: claimValue,
    organization_data: claimValue,
    organization_roles: claimValue,
    roles: claimValue,
    custom_data: claimValue,
    tenant_name: claimValue,
  },
  { requiredKeys: [] },
);
/** One segment of a compact JWS: JSON objects, any JSON, random bytes, base64url-ish text, anything. */
const segment = fc.oneof(
  { weight: 3, arbitrary: headerObject.map((h) => b64url(JSON.stringify(h))) },
  { weight: 3, arbitrary: payloadObject.map((p) => b64url(JSON.stringify(p))) },
  { weight: 1, arbitrary: fc.jsonValue().map((v) => b64url(JSON.stringify(v) ?? '')) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map(b64url) },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{0,40}$/) },
  { weight: 1, arbitrary: oddString },
);
const jwtLike = fc.oneof(
  // header.payload.signature with JSON objects in the first two: reaches the claim checks.
  {
    weight: 3,
    arbitrary: fc
      .tuple(headerObject, payloadObject, fc.oneof(fc.uint8Array({ maxLength: 256 }).map(b64url), segment))
      .map(([h, p, sig]) => `${b64url(JSON.stringify(h))}.${b64url(JSON.stringify(p))}.${sig}`),
  },
  { weight: 2, arbitrary: fc.array(segment, { minLength: 1, maxLength: 6 }).map((parts) => parts.join('.')) },
);
/** What people paste: the token, `Bearer …`, a header line, a redirect URL or a fragment. */
const pasted = fc.oneof(
  jwtLike,
  oddString,
  fc
    .tuple(fc.constantFrom('Bearer ', 'DPoP ', 'Authorization: Bearer ', 'authorization:', '"', "'"), jwtLike)
    .map(([prefix, t]) => `${prefix}${t}`),
  fc
    .tuple(
      fc.constantFrom(
        'https://app.example/cb#',
        'http://127.0.0.1:8765/callback?',
        '#',
        '?',
        'myapp://x#',
        'https://[::1/#',
      ),
      fc.array(
        fc.tuple(
          fc.constantFrom('id_token', 'access_token', 'state', 'error', 'error_description', '_', 'code'),
          fc.oneof(jwtLike, oddString),
          fc.integer({ min: 0, max: 1 }),
        ),
        { maxLength: 5 },
      ),
    )
    .map(([base, kv]) => base + kv.map(([k, v, how]) => `${k}=${encodeSome(v, how)}`).join('&')),
);

// URLs with nested, percent-encoded (once, twice, not at all) ReturnUrls and fragments.
const AUTH_KEYS = [
  'client_id',
  'redirect_uri',
  'response_type',
  'scope',
  'state',
  'nonce',
  'response_mode',
  'code_challenge',
  'code_challenge_method',
  'max_age',
  'prompt',
  'ReturnUrl',
  'returnUrl',
  'profile',
  'behaviourProfile',
  'behaviorProfile',
];
const BASES = [
  'https://id2.runswithtogo.com/identity/login',
  'https://id2-staging.runswithtogo.com/login',
  'https://id2.runswithtogo.com/identity/connect/authorize',
  'http://127.0.0.1:4444/identity/connect/authorize',
  'https://tenant.logto.app/oidc/auth',
  'http://evil.example/connect/authorize/callback',
  '/identity/connect/authorize',
  'myapp://callback',
  'https://user:pass@[::1]:8443/a b',
];
const paramValue = fc.oneof(
  fc.constantFrom(
    'code',
    'id_token token',
    'code id_token',
    'openid email',
    'togo',
    'form_post',
    'http://127.0.0.1/callback',
    'https://app.example/cb#frag',
    'S256',
    'plain',
    '-1',
    'abc123DEF456ghi789',
  ),
  oddString,
);
const urlArb: fc.Arbitrary<string> = fc.letrec<{ url: string }>((tie) => ({
  url: fc
    .tuple(
      fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom(...BASES.slice(0, 6)) },
        fc.constantFrom(...BASES.slice(6)),
      ),
      fc.array(
        fc.tuple(
          fc.oneof(fc.constantFrom(...AUTH_KEYS), fc.string()),
          fc.oneof({ depthSize: 'small', withCrossShrink: true }, paramValue, tie('url')),
          fc.integer({ min: 0, max: 2 }),
        ),
        { maxLength: 8 },
      ),
      fc.option(oddString),
    )
    .map(
      ([base, kv, fragment]) =>
        `${base}${kv.length ? '?' : ''}${kv.map(([k, v, how]) => `${k}=${encodeSome(v, how)}`).join('&')}${fragment === null ? '' : `#${fragment}`}`,
    ),
})).url;

const discoveryField = fc.constantFrom(
  'issuer',
  'authorization_endpoint',
  'token_endpoint',
  'userinfo_endpoint',
  'jwks_uri',
  'registration_endpoint',
  'end_session_endpoint',
  'check_session_iframe',
  'revocation_endpoint',
  'introspection_endpoint',
  'device_authorization_endpoint',
  'response_types_supported',
  'response_modes_supported',
  'subject_types_supported',
  'id_token_signing_alg_values_supported',
  'scopes_supported',
  'claims_supported',
  'grant_types_supported',
  'token_endpoint_auth_methods_supported',
  'code_challenge_methods_supported',
  'frontchannel_logout_supported',
  'frontchannel_logout_session_supported',
  'backchannel_logout_supported',
  'backchannel_logout_session_supported',
  'authorization_response_iss_parameter_supported',
  'request_parameter_supported',
  'ui_locales_supported',
);
const fieldValue = fc.oneof(
  json,
  fc.constantFrom(
    'https://id.example/x',
    'http://127.0.0.1:4444/identity',
    'http://evil.example/',
    'not a url',
  ),
  fc.array(
    fc.oneof(
      fc.constantFrom('code', 'id_token', 'openid', 'RS256', 'S256', 'public', 'none'),
      fc.jsonValue(),
    ),
  ),
);
const metadataArb = fc.dictionary(fc.oneof(discoveryField, fc.string()), fieldValue, { maxKeys: 30 });

/** Real keys, public and private, so some generated JWKS hold keys jose can use (made on first use). */
let REAL_JWKS: Record<string, unknown>[] | undefined;
const realJwks = (): Record<string, unknown>[] => {
  if (REAL_JWKS) return REAL_JWKS;
  const rsaPair = sharedKeyPair('RSA');
  const ecPair = sharedKeyPair('EC P-256');
  REAL_JWKS = [
    { ...rsaPair.publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256' },
    { ...rsaPair.publicKey.export({ format: 'jwk' }) },
    { ...ecPair.publicKey.export({ format: 'jwk' }), kid: 'k1' },
    { ...rsaPair.privateKey.export({ format: 'jwk' }), kid: 'k1' },
    { kty: 'oct', kid: 'k1', k: 'c2VjcmV0' },
  ];
  return REAL_JWKS;
};
const randomJwk = fc.dictionary(
  fc.oneof(
    fc.constantFrom(
      'kty',
      'kid',
      'alg',
      'use',
      'key_ops',
      'n',
      'e',
      'crv',
      'x',
      'y',
      'd',
      'p',
      'q',
      'k',
      'x5c',
      'x5t',
    ),
    fc.string(),
  ),
  fc.oneof(
    fc.constantFrom(
      'RSA',
      'EC',
      'OKP',
      'oct',
      'sig',
      'enc',
      'RS256',
      'ES256',
      'EdDSA',
      'P-256',
      'P-384',
      'Ed25519',
      'AQAB',
    ),
    fc.uint8Array({ maxLength: 300 }).map(b64url),
    json,
  ),
  { maxKeys: 10 },
);
const jwkArb = fc.oneof(
  randomJwk,
  fc
    .tuple(
      fc.integer({ min: 0, max: 4 }).map((i) => realJwks()[i] as Record<string, unknown>),
      fc.dictionary(fc.constantFrom('kid', 'alg', 'use', 'key_ops'), fc.jsonValue(), { maxKeys: 2 }),
    )
    .map(([k, extra]) => ({ ...k, ...extra })),
);

/** Authorization responses: the parameters a redirect URI receives, the state often the expected one. */
const EXPECTED_STATE = 'abc123DEF456ghi789';
const responseArb = fc
  .tuple(
    fc.constantFrom('http://127.0.0.1:8765/callback', 'https://app.example/cb', ''),
    fc.constantFrom('#', '?', ''),
    fc.array(
      fc.tuple(
        fc.constantFrom(
          'code',
          'id_token',
          'access_token',
          'token_type',
          'error',
          'error_description',
          'state',
          'iss',
          '_',
          'session_state',
        ),
        fc.oneof(fc.constant(EXPECTED_STATE), fc.constant('_'), jwtLike, oddString),
        fc.integer({ min: 0, max: 1 }),
      ),
      { maxLength: 6 },
    ),
  )
  .map(
    ([base, sep, kv]) => `${base}${sep}${kv.map(([k, v, how]) => `${k}=${encodeSome(v, how)}`).join('&')}`,
  );

// ── the pure targets, 10,000 cases each ──

describe('any input to a parser ends in a result or a togo error with a code', () => {
  it('the token decoder: extractToken, decodeToken and the claim expansion', () => {
    const style = PLAIN;
    fc.assert(
      fc.property(pasted, (input) => {
        const extracted = togoOrNothing(() => extractToken(input));
        if (!extracted) return;
        const decoded = togoOrNothing(() => decodeToken(extracted.token));
        if (!decoded) return;
        const { expanded } = expandClaims(decoded.payload);
        expect(
          typeof renderDecode({ decoded, expanded, now: 1_700_000_000, clockSkew: 60 }, style).text,
        ).toBe('string');
      }),
      params(),
    );
  });

  it('the URL inspector', () => {
    fc.assert(
      fc.property(
        fc.oneof({ weight: 4, arbitrary: urlArb }, { weight: 1, arbitrary: oddString }),
        fc.boolean(),
        (url, togo) => {
          const inspection = togoOrNothing(() => inspectUrl(url, { togo }));
          if (!inspection) return;
          expect(inspection.ok).toBe(!inspection.findings.some((f) => f.status === 'fail'));
          for (const f of inspection.findings) expect(f.id).toMatch(/^[a-z]+\.[a-z0-9-]+$/);
        },
      ),
      params(),
    );
  });

  it('the callback parser and judge', () => {
    fc.assert(
      fc.property(
        fc.oneof({ weight: 3, arbitrary: responseArb }, urlArb, pasted),
        fc.oneof(fc.constant(EXPECTED_STATE), fc.string()),
        (text, state) => {
          const fromText = parseResponseParams(text);
          const verdict = judgeCallback(fromText, state);
          expect(['success', 'error', 'ignored']).toContain(verdict.kind);
          if (verdict.kind === 'success') expect(verdict.response.state).toBe(state);
          if (URL.canParse(text)) {
            const fromUrl = responseFromUrl(new URL(text));
            expect(['success', 'error', 'ignored']).toContain(judgeCallback(fromUrl, state).kind);
          }
        },
      ),
      params(),
    );
  });

  it('the discovery linter', () => {
    fc.assert(
      fc.property(
        metadataArb,
        fc.option(fc.constantFrom('https://id.example/x', 'http://127.0.0.1:4444/identity', '')),
        fc.constantFrom('oidc', 'rfc8414', 'given'),
        fc.integer({ min: 100, max: 599 }),
        fc.oneof(
          fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/html'),
          fc.string(),
        ),
        fc.boolean(),
        (metadata, expectedIssuer, location, status, contentType, strict) => {
          const findings = togoOrNothing(() =>
            lintDiscovery({
              url: 'https://id.example/x/.well-known/openid-configuration',
              expectedIssuer: expectedIssuer ?? undefined,
              location,
              status,
              contentType,
              metadata,
              strict,
            }),
          );
          for (const f of findings ?? []) expect(['fail', 'warn', 'info']).toContain(f.status);
        },
      ),
      params(),
    );
  });

  it('the JWKS linter', () => {
    fc.assert(
      fc.property(
        fc.array(jwkArb, { maxLength: 5 }),
        fc.option(fc.array(fc.oneof(fc.constantFrom('RS256', 'ES256', 'EdDSA', 'HS256'), fc.string()))),
        (keys, signingAlgs) => {
          togoOrNothing(() => lintJwks({ keys, ...(signingAlgs ? { signingAlgs } : {}) }));
          for (const k of keys) {
            togoOrNothing(() => describeKey(k));
            togoOrNothing(() => thumbprint(k));
          }
        },
      ),
      params(),
    );
  });

  it('ID token verification reports checks for any token and any JWKS, never throws otherwise', async () => {
    // Async and cryptographic: fewer cases, same property.
    await fc.assert(
      fc.asyncProperty(jwtLike, fc.array(jwkArb, { maxLength: 3 }), async (token, keys) => {
        const decoded = togoOrNothing(() => decodeToken(token));
        if (!decoded) return;
        try {
          const v = await verifyIdToken(decoded, {
            keys: staticKeys({ keys }, 'a generated JWKS'),
            issuer: 'https://id.example/x',
            audience: 'client',
            nonce: 'n',
            now: 1_700_000_000_000,
          });
          expect(v.checks.map((c) => c.id)[0]).toBe('D1');
          if (v.ok) expect(v.checks.some((c) => c.id === 'D5' && c.status !== 'fail')).toBe(true);
        } catch (error) {
          expectTogoError(error);
        }
      }),
      params(2_000),
    );
  });
});

// ── through the CLI: one error line, one hint, the documented exit code, no stack ──

const EXIT_OF: Record<string, number> = Object.fromEntries(
  Object.entries(ERROR_CODES).map(([code, spec]) => [code, spec.exit]),
);

function expectCleanEnd(r: { code: number; stdout: string; stderr: string }): void {
  expect(r.stderr, 'no stack trace').not.toMatch(/^ {4}at /m);
  if (r.code === 0) return;
  const lines = r.stderr.split('\n');
  const i = lines.findIndex((l) => /^error \[[A-Z_]+\] /.test(l));
  if (i === -1) {
    // A check failed (exit 1): the report is on stdout, no error line.
    expect(r.code).toBe(1);
    return;
  }
  expect(lines.filter((l) => /^error \[/.test(l))).toHaveLength(1);
  expect(lines[i + 1], 'the hint follows the error line').toMatch(/^hint: \S/);
  const code = /^error \[([A-Z_]+)\]/.exec(lines[i]!)![1]!;
  expect(code).not.toBe('INTERNAL');
  expect(r.code).toBe(EXIT_OF[code]);
}

describe('generated bad input through the CLI', () => {
  it('togo decode: one error line and a hint, the documented exit code, no stack trace', async () => {
    await fc.assert(
      fc.asyncProperty(pasted, async (input) => {
        // A leading "-" would be read as a flag: pass the input on standard input instead.
        const r = await runCli(['decode', '-', '--no-color'], { stdin: input });
        expectCleanEnd(r);
      }),
      params(200),
    );
  });

  it('togo inspect-url: the same, with exit 0, 1 or 2', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(urlArb, oddString), async (url) => {
        const r = await runCli(['inspect-url', '--no-color', '--', url]);
        expectCleanEnd(r);
        expect([0, 1, 2]).toContain(r.code);
      }),
      params(200),
    );
  });

  it('togo decode --verify with a generated JWKS file: a verdict or a clean error', async () => {
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'togo-fuzz-'));
    try {
      await fc.assert(
        fc.asyncProperty(
          jwtLike,
          fc.oneof(
            fc.array(jwkArb, { maxLength: 3 }).map((keys) => ({ keys })),
            fc.jsonValue(),
          ),
          async (token, jwks) => {
            const file = join(dir, 'jwks.json');
            await writeFile(file, JSON.stringify(jwks) ?? 'null');
            const r = await runCli(['decode', '-', '--verify', '--jwks', file, '--json'], { stdin: token });
            expectCleanEnd(r);
            expect(() => JSON.parse(r.stdout)).not.toThrow();
          },
        ),
        params(200),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
