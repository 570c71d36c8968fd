import { describe, expect, it } from 'vitest';
import type { Check } from '../../src/check.js';
import { type DiscoveryLintInput, lintDiscovery } from '../../src/oidc/discovery-lint.js';
import { describeKey, type Jwk, jwksFetchCheck, lintJwks, thumbprint } from '../../src/oidc/jwks-lint.js';
import { sharedJwk } from '../helpers/keys.js';
import { logtoDocument, togoDocument } from '../helpers/providers.js';

const ISSUER = 'https://id2.runswithtogo.com/identity';

function input(
  change: (m: Record<string, unknown>) => void = () => {},
  over: Partial<DiscoveryLintInput> = {},
) {
  const metadata = togoDocument(ISSUER);
  change(metadata);
  return {
    url: `${ISSUER}/.well-known/openid-configuration`,
    expectedIssuer: ISSUER,
    location: 'oidc' as const,
    status: 200,
    contentType: 'application/json; charset=UTF-8',
    metadata,
    ...over,
  };
}

const ids = (fs: Check[]) => fs.map((f) => `${f.status}:${f.id}`);

describe('the discovery linter on real shapes', () => {
  it('warns about a Togo ID-shaped document only that it offers PKCE "plain"', () => {
    const findings = lintDiscovery(input());
    expect(ids(findings.filter((f) => f.status !== 'info'))).toEqual(['warn:disc.pkce-plain']);
  });

  it('only warns about RS256 for Logto (ES384), and fails in strict mode', () => {
    const issuer = 'https://tenant.logto.app/oidc';
    const base = { ...input(), url: `${issuer}/.well-known/openid-configuration`, expectedIssuer: issuer };
    const findings = lintDiscovery({ ...base, metadata: logtoDocument(issuer) });
    expect(ids(findings).filter((i) => !i.startsWith('info'))).toEqual(['warn:disc.rs256']);
    expect(ids(lintDiscovery({ ...base, metadata: logtoDocument(issuer), strict: true }))).toContain(
      'fail:disc.rs256',
    );
  });

  it('accepts a local http provider with warnings only', () => {
    const local = 'http://127.0.0.1:4000/identity';
    const findings = lintDiscovery({
      ...input(),
      url: `${local}/.well-known/openid-configuration`,
      expectedIssuer: local,
      metadata: togoDocument(local),
    });
    expect(findings.filter((f) => f.status === 'fail')).toEqual([]);
    expect(ids(findings)).toEqual(
      expect.arrayContaining(['warn:disc.url-https', 'warn:disc.issuer-syntax', 'warn:disc.endpoints-https']),
    );
    expect(findings.filter((f) => f.id === 'disc.endpoints-https')).toHaveLength(1);
  });
});

// Each id: a document that makes it fire (with the expected severity), while the base stays quiet.
const cases: [string, string, DiscoveryLintInput][] = [
  ['disc.http-200', 'fail', input(undefined, { status: 203 })],
  ['disc.content-type', 'fail', input(undefined, { contentType: 'text/plain' })],
  ['disc.url-https', 'fail', input(undefined, { url: 'http://id.example/.well-known/openid-configuration' })],
  [
    'disc.url-https',
    'warn',
    input(undefined, { url: 'http://localhost:3000/.well-known/openid-configuration' }),
  ],
  ['disc.issuer-match', 'fail', input((m) => (m.issuer = 'https://other.example/identity'))],
  ['disc.issuer-match', 'fail', input((m) => (m.issuer = `${ISSUER}/`))],
  ['disc.issuer-match', 'warn', input((m) => (m.issuer = `${ISSUER}/`), { location: 'given' })],
  [
    'disc.issuer-syntax',
    'fail',
    input((m) => (m.issuer = `${ISSUER}?tenant=1`), { expectedIssuer: undefined }),
  ],
  [
    'disc.issuer-syntax',
    'fail',
    input((m) => (m.issuer = 'http://id.example'), { expectedIssuer: undefined }),
  ],
  ['disc.unknown-keys', 'info', input((m) => (m.scope_supported = ['openid']))],
  ['disc.required-fields', 'fail', input((m) => delete m.jwks_uri)],
  ['disc.required-fields', 'fail', input((m) => delete m.token_endpoint)],
  ['disc.required-fields', 'fail', input((m) => (m.subject_types_supported = 'public'))],
  ['disc.empty-arrays', 'fail', input((m) => (m.claims_supported = []))],
  ['disc.response-types', 'fail', input((m) => (m.response_types_supported = ['code', 'code_token']))],
  ['disc.subject-types', 'fail', input((m) => (m.subject_types_supported = ['public', 'secret']))],
  ['disc.rs256', 'warn', input((m) => (m.id_token_signing_alg_values_supported = ['ES256']))],
  [
    'disc.rs256',
    'fail',
    input((m) => (m.id_token_signing_alg_values_supported = ['ES256']), { strict: true }),
  ],
  ['disc.endpoints-https', 'fail', input((m) => (m.token_endpoint = 'http://id.example/token'))],
  ['disc.endpoints-https', 'warn', input((m) => (m.token_endpoint = 'http://127.0.0.1:5000/token'))],
  ['disc.userinfo-present', 'warn', input((m) => delete m.userinfo_endpoint)],
  ['disc.scopes', 'fail', input((m) => (m.scopes_supported = ['email', 'profile']))],
  ['disc.scopes', 'fail', input((m) => (m.scopes_supported = ['openid', 'bad scope']))],
  ['disc.grant-types', 'fail', input((m) => (m.grant_types_supported = ['authorization_code']))],
  ['disc.grant-types', 'fail', input((m) => (m.grant_types_supported = 'authorization_code'))],
  ['disc.claims-supported', 'warn', input((m) => delete m.claims_supported)],
  // Discovery §3: RECOMMENDED and non-exhaustive, so a list without sub is a remark, not a warning.
  ['disc.claims-supported', 'info', input((m) => (m.claims_supported = ['email']))],
  ['disc.pkce-plain', 'warn', input((m) => (m.code_challenge_methods_supported = ['plain', 'S256']))],
  ['disc.token-auth-none', 'warn', input(() => {}, { publicClient: true })],
  ['disc.token-auth-none', 'info', input()],
  ['disc.pkce', 'warn', input((m) => delete m.code_challenge_methods_supported)],
  ['disc.pkce', 'warn', input((m) => (m.code_challenge_methods_supported = ['plain']))],
  ['disc.pkce', 'fail', input((m) => (m.code_challenge_methods_supported = 'S256'))],
  ['disc.logout.end-session', 'fail', input((m) => (m.end_session_endpoint = true))],
  ['disc.logout.frontchannel', 'fail', input((m) => (m.frontchannel_logout_supported = 'true'))],
  ['disc.logout.backchannel', 'fail', input((m) => (m.backchannel_logout_session_supported = 1))],
  ['disc.logout.check-session', 'fail', input((m) => (m.check_session_iframe = 'not a url'))],
  ['disc.iss-param', 'info', input()],
  ['disc.iss-param', 'fail', input((m) => (m.authorization_response_iss_parameter_supported = 'yes'))],
];

describe('lints a provider found wrongly or missed', () => {
  it('says nothing about claims_supported without sub beyond a remark', () => {
    const f = lintDiscovery(input((m) => (m.claims_supported = ['email', 'name'])));
    expect(f.filter((x) => x.id === 'disc.claims-supported').map((x) => x.status)).toEqual(['info']);
  });

  it('does not flag PKCE when only S256 is offered', () => {
    const f = lintDiscovery(input((m) => (m.code_challenge_methods_supported = ['S256'])));
    expect(f.filter((x) => x.id.startsWith('disc.pkce'))).toEqual([]);
  });

  it('does not ask for "none" from a provider without the code flow, or one that lists it', () => {
    const implicitOnly = lintDiscovery(
      input((m) => (m.response_types_supported = ['id_token', 'id_token token']), { publicClient: true }),
    );
    expect(implicitOnly.filter((x) => x.id === 'disc.token-auth-none')).toEqual([]);
    const listed = lintDiscovery(
      input((m) => (m.token_endpoint_auth_methods_supported = ['none']), { publicClient: true }),
    );
    expect(listed.filter((x) => x.id === 'disc.token-auth-none')).toEqual([]);
  });
});

describe('each discovery check', () => {
  it.each(cases)('%s fires (%s)', (id, severity, lintInput) => {
    const findings = lintDiscovery(lintInput);
    const hit = findings.find((f) => f.id === id && f.status === severity);
    expect(hit, JSON.stringify(findings)).toBeDefined();
    expect(hit?.hint?.length).toBeGreaterThan(0);
  });

  const quiet = lintDiscovery({
    ...input((m) => {
      m.authorization_response_iss_parameter_supported = true;
      m.code_challenge_methods_supported = ['S256'];
      m.token_endpoint_auth_methods_supported = ['client_secret_basic', 'none'];
    }),
    publicClient: true,
  });
  it.each([...new Set(cases.map(([id]) => id))])('%s stays quiet for a conforming document', (id) => {
    expect(quiet.filter((f) => f.id === id)).toEqual([]);
  });

  it('names a trailing-slash-only issuer difference in the message', () => {
    const f = lintDiscovery(input((m) => (m.issuer = `${ISSUER}/`))).find(
      (x) => x.id === 'disc.issuer-match',
    );
    expect(f?.message).toContain('differs only by a trailing slash');
  });

  it('needs no token endpoint from an implicit-only provider', () => {
    const findings = lintDiscovery(
      input((m) => {
        delete m.token_endpoint;
        m.response_types_supported = ['id_token', 'id_token token'];
      }),
    );
    expect(findings.filter((f) => f.id === 'disc.required-fields')).toEqual([]);
  });
});

// The keys are made on first use, not while the tests are collected.
const rsa = () => sharedJwk('RSA', { kid: 'rsa-1', alg: 'RS256' });
const ec = () => sharedJwk('EC P-384', { kid: 'ec-1', alg: 'ES384' });

const jwksCases: [string, string, () => Jwk[], string[]?][] = [
  ['jwks.no-private', 'fail', () => [rsa().privateJwk]],
  ['jwks.no-private', 'fail', () => [rsa().publicJwk, { kty: 'oct', k: 'c2VjcmV0', kid: 'hs' }]],
  ['jwks.structure', 'fail', () => [{ kid: 'x', n: 'abc', e: 'AQAB' }]],
  ['jwks.structure', 'fail', () => [{ ...rsa().publicJwk, use: 'signing' }]],
  ['jwks.parse', 'fail', () => [{ ...ec().publicJwk, crv: 'P-999' }]],
  ['jwks.parse', 'fail', () => [{ ...ec().publicJwk, x: 'AAAA' }]],
  ['jwks.unusable', 'warn', () => [ec().publicJwk], ['RS256']],
  ['jwks.unusable', 'warn', () => [{ ...rsa().publicJwk, use: 'enc' }], ['RS256']],
  ['jwks.unusable', 'warn', () => []],
  [
    'jwks.use-when-mixed',
    'fail',
    () => [
      { ...rsa().publicJwk, use: undefined },
      { ...ec().publicJwk, use: 'enc' },
    ],
  ],
  ['jwks.kid-unique', 'warn', () => [rsa().publicJwk, { ...ec().publicJwk, kid: 'rsa-1', alg: undefined }]],
  ['jwks.kid-unique', 'warn', () => [rsa().publicJwk, { ...ec().publicJwk, kid: undefined }]],
];

describe('each JWKS check', () => {
  it.each(jwksCases)('%s fires (%s)', (id, severity, keys, algs = ['RS256', 'ES384']) => {
    const findings = lintJwks({ keys: JSON.parse(JSON.stringify(keys())), signingAlgs: algs });
    expect(
      findings.find((f) => f.id === id && f.status === severity),
      JSON.stringify(findings),
    ).toBeDefined();
  });

  it('finds nothing wrong with RSA and EC signing keys that match the algorithms', () => {
    expect(lintJwks({ keys: [rsa().publicJwk, ec().publicJwk], signingAlgs: ['RS256', 'ES384'] })).toEqual(
      [],
    );
  });

  it('reports a JWKS that could not be fetched as jwks.fetch', () => {
    const f = jwksFetchCheck({
      code: 'NET_TIMEOUT',
      message: 'no response within 1 s',
      hint: 'raise --timeout',
    });
    expect(f).toMatchObject({ id: 'jwks.fetch', status: 'fail' });
    expect(jwksFetchCheck({ code: 'JWKS_FETCH_INVALID', message: 'x', hint: 'y' }).id).toBe('jwks.structure');
  });
});

describe('key summaries', () => {
  it('gives the RSA size and the EC curve', () => {
    expect(describeKey(rsa().publicJwk)).toMatchObject({
      kid: 'rsa-1',
      kty: 'RSA',
      alg: 'RS256',
      use: 'sig',
      size: 2048,
    });
    expect(describeKey(ec().publicJwk)).toMatchObject({ kty: 'EC', crv: 'P-384' });
  });

  it('computes the RFC 7638 thumbprint', () => {
    // RFC 7638 §3.1's example key and thumbprint.
    const key = {
      kty: 'RSA',
      n: '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw',
      e: 'AQAB',
      alg: 'RS256',
      kid: '2011-04-29',
    };
    expect(thumbprint(key)).toBe('NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
  });

  it('describes a key whose kty names an Object method (valueOf, constructor) without crashing', () => {
    for (const kty of ['valueOf', 'constructor', 'toString', '__proto__']) {
      expect(describeKey({ kty, kid: 'k' })).toMatchObject({ kty, thumbprint: undefined });
    }
  });
});
