import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Check } from '../../src/check.js';
import { RESPONSE_TYPES } from '../../src/config/settings.js';
import { inspectUrl } from '../../src/oidc/inspect-url.js';
import { composeLoginUrl, type LoginRequest } from '../../src/oidc/login-url.js';

const SEED_URL = readFileSync(new URL('../fixtures/seed-login-url.txt', import.meta.url), 'utf8').trim();
const LOGIN =
  'https://id2.runswithtogo.com/identity/login?profile=togo&behaviourProfile=togo&client_id=sample-production';
const AUTHORIZE = 'https://id2.runswithtogo.com/identity/connect/authorize';
const INNER =
  'client_id=sample-production&nonce=c7709929297c0f47645cd4e270049fd0&redirect_uri=https%3A%2F%2Fsample.togogroup.com%2Ftogo-callback&response_type=id_token&scope=openid%20email%20profile&state=ac65007cf9729c9168b475452439e9fa';

const ids = (findings: Check[], severity?: Check['status']) =>
  findings.filter((f) => !severity || f.status === severity).map((f) => f.id);

describe("inspecting the Togo ID guide's example login URL", () => {
  const result = inspectUrl(SEED_URL);

  it('finds nothing wrong', () => {
    expect(result.ok).toBe(true);
    expect(result.findings).toEqual([]);
    expect(result.kind).toBe('togo-login');
  });

  it('lists the login parameters and the decoded parameters of the nested authorize URL', () => {
    expect(result.params.map((p) => [p.name, p.value])).toEqual([
      ['profile', 'togo'],
      ['behaviourProfile', 'togo'],
      ['client_id', 'sample-production'],
      ['ReturnUrl', `${AUTHORIZE}?${INNER}`],
    ]);
    expect(result.returnUrl?.relative).toBe(false);
    expect(Object.fromEntries(result.returnUrl!.params.map((p) => [p.name, p.value]))).toEqual({
      client_id: 'sample-production',
      nonce: 'c7709929297c0f47645cd4e270049fd0',
      redirect_uri: 'https://sample.togogroup.com/togo-callback',
      response_type: 'id_token',
      scope: 'openid email profile',
      state: 'ac65007cf9729c9168b475452439e9fa',
    });
  });
});

describe('the classic ReturnUrl mistakes', () => {
  it('flags a ReturnUrl left unencoded, whose & separators leak into the login URL', () => {
    const result = inspectUrl(`${LOGIN}&ReturnUrl=${AUTHORIZE}?${INNER}`);
    expect(result.ok).toBe(false);
    expect(ids(result.findings, 'fail')).toEqual(['url.return-url-unencoded']);
    // It still recovers the authorize request for the listing.
    expect(result.returnUrl?.params.find((p) => p.name === 'state')?.value).toBe(
      'ac65007cf9729c9168b475452439e9fa',
    );
    expect(result.params.map((p) => p.name)).toEqual([
      'profile',
      'behaviourProfile',
      'client_id',
      'ReturnUrl',
    ]);
  });

  it('reports a ReturnUrl that only looks like a local path ("/\\" reads as "//") instead of crashing', () => {
    for (const raw of ['/%5C', '/%5C%5Cevil.example', '/%5Cevil.example%2Fconnect%2Fauthorize']) {
      const result = inspectUrl(`${LOGIN}&ReturnUrl=${raw}`);
      expect(ids(result.findings, 'fail'), raw).toContain('login.return-url-invalid');
    }
  });

  it('reads a ReturnUrl as a browser does: a tab, CR or LF it drops turns "/\t/evil" into another host', () => {
    for (const raw of [
      '/%09/evil.example/x',
      '/%0D%0A/evil.example/x',
      '/%0A/evil.example',
      '%09//evil.example/x',
    ]) {
      const result = inspectUrl(`${LOGIN}&ReturnUrl=${raw}`);
      expect(result.ok, raw).toBe(false);
      expect(result.returnUrl?.relative ?? false, raw).toBe(false);
      expect(ids(result.findings, 'fail'), raw).toEqual(
        expect.arrayContaining(['login.return-url-dropped-characters', 'login.return-url-invalid']),
      );
      expect(result.findings.find((f) => f.id === 'login.return-url-invalid')?.message, raw).toContain(
        'another host (evil.example)',
      );
    }
  });

  it('flags a double-encoded ReturnUrl', () => {
    const twice = encodeURIComponent(encodeURIComponent(`${AUTHORIZE}?${INNER}`));
    const result = inspectUrl(`${LOGIN}&ReturnUrl=${twice}`);
    expect(ids(result.findings, 'fail')).toEqual(['url.return-url-double-encoded']);
    expect(result.returnUrl?.params.find((p) => p.name === 'scope')?.value).toBe('openid email profile');
  });

  it('flags a raw redirect_uri inside ReturnUrl', () => {
    const inner = INNER.replace(
      'https%3A%2F%2Fsample.togogroup.com%2Ftogo-callback',
      'https://sample.togogroup.com/togo-callback',
    );
    const result = inspectUrl(`${LOGIN}&ReturnUrl=${encodeURIComponent(`${AUTHORIZE}?${inner}`)}`);
    expect(ids(result.findings)).toEqual(['authorize.redirect-uri-unencoded']);
    expect(result.findings[0]!.status).toBe('warn');
    // With a query of its own, the raw redirect URI breaks the authorize URL.
    const broken = inner.replace('togo-callback', 'togo-callback?x=1');
    expect(
      ids(inspectUrl(`${LOGIN}&ReturnUrl=${encodeURIComponent(`${AUTHORIZE}?${broken}`)}`).findings, 'fail'),
    ).toContain('authorize.redirect-uri-unencoded');
  });

  it('flags values left with spaces inside ReturnUrl', () => {
    const inner = INNER.replace('openid%20email%20profile', 'openid email profile');
    const url = `${LOGIN}&ReturnUrl=${encodeURIComponent(`${AUTHORIZE}?${inner}`).replace(/%20/g, '%20')}`;
    const result = inspectUrl(url);
    expect(ids(result.findings)).toEqual(['authorize.value-unencoded']);
  });
});

describe('login page parameters', () => {
  const returnUrl = encodeURIComponent(`${AUTHORIZE}?${INNER}`);

  it('requires profile, behaviourProfile and client_id', () => {
    const result = inspectUrl(`https://id2.runswithtogo.com/identity/login?ReturnUrl=${returnUrl}`);
    expect(ids(result.findings, 'fail')).toEqual([
      'login.profile-missing',
      'login.behaviour-profile-missing',
      'login.client-id-missing',
    ]);
  });

  it('explains the American spelling of behaviourProfile', () => {
    const result = inspectUrl(
      `https://id2.runswithtogo.com/identity/login?profile=togo&behaviorProfile=togo&client_id=sample-production&ReturnUrl=${returnUrl}`,
    );
    expect(result.findings[0]!.message).toMatch(/American/);
  });

  it('flags a client_id that differs between the login URL and ReturnUrl', () => {
    const result = inspectUrl(
      `${LOGIN.replace('client_id=sample-production', 'client_id=other')}&ReturnUrl=${returnUrl}`,
    );
    expect(ids(result.findings, 'fail')).toEqual(['login.client-id-mismatch']);
  });

  it('accepts a relative ReturnUrl and flags one that is not an authorize endpoint', () => {
    const ok = inspectUrl(`${LOGIN}&ReturnUrl=${encodeURIComponent(`/identity/connect/authorize?${INNER}`)}`);
    expect(ok.findings).toEqual([]);
    expect(ok.returnUrl?.relative).toBe(true);
    const elsewhere = inspectUrl(
      `${LOGIN}&ReturnUrl=${encodeURIComponent(`https://evil.example/cb?${INNER}`)}`,
    );
    expect(ids(elsewhere.findings)).toEqual([
      'login.return-url-other-origin',
      'login.return-url-not-authorize',
    ]);
  });

  it('warns when there is no ReturnUrl', () => {
    expect(ids(inspectUrl(LOGIN).findings)).toEqual(['login.return-url-missing']);
  });
});

describe('authorization request checks', () => {
  const authorize = (q: Record<string, string>, host = 'https://idp.example/authorize') =>
    `${host}?${new URLSearchParams(q).toString().replace(/\+/g, '%20')}`;
  const base = {
    client_id: 'app',
    redirect_uri: 'https://app.example/cb',
    response_type: 'code',
    scope: 'openid',
    state: 'abc',
    nonce: 'n',
    code_challenge: 'x',
    code_challenge_method: 'S256',
  };
  const check = (q: Record<string, string>, host?: string) => inspectUrl(authorize(q, host));

  it('accepts a plain code + PKCE request from any provider', () => {
    const result = check(base);
    expect(result.kind).toBe('authorize');
    expect(result.findings).toEqual([]);
  });

  it.each([
    [
      'nonce missing for implicit',
      { response_type: 'id_token', nonce: '' },
      'authorize.nonce-missing',
      'fail',
    ],
    [
      'nonce missing for hybrid',
      { response_type: 'code token', nonce: '' },
      'authorize.nonce-missing',
      'fail',
    ],
    [
      'query mode with a token',
      { response_type: 'id_token token', response_mode: 'query' },
      'authorize.response-mode-query-with-token',
      'fail',
    ],
    [
      'http redirect on a public host',
      { redirect_uri: 'http://app.example/cb' },
      'authorize.redirect-uri-insecure',
      'fail',
    ],
    [
      'localhost redirect',
      { redirect_uri: 'http://localhost:8080/cb' },
      'authorize.redirect-uri-localhost',
      'warn',
    ],
    [
      'redirect with a fragment',
      { redirect_uri: 'https://app.example/cb#x' },
      'authorize.redirect-uri-fragment',
      'fail',
    ],
    ['relative redirect', { redirect_uri: '/cb' }, 'authorize.redirect-uri-invalid', 'fail'],
    [
      'custom scheme redirect',
      { redirect_uri: 'com.example.app:/cb' },
      'authorize.redirect-uri-custom-scheme',
      'info',
    ],
    ['scope without openid', { scope: 'email' }, 'authorize.scope-no-openid', 'warn'],
    [
      'scope without openid for id_token',
      { scope: 'email', response_type: 'id_token' },
      'authorize.scope-no-openid',
      'fail',
    ],
    ['nonce too long', { nonce: 'n'.repeat(301) }, 'authorize.nonce-too-long', 'fail'],
    ['scope too long', { scope: `openid ${'s'.repeat(300)}` }, 'authorize.scope-too-long', 'fail'],
    [
      'redirect_uri too long',
      { redirect_uri: `https://app.example/${'p'.repeat(400)}` },
      'authorize.redirect-uri-too-long',
      'fail',
    ],
    ['client_id too long', { client_id: 'c'.repeat(101) }, 'authorize.client-id-too-long', 'fail'],
    ['no PKCE for code', { code_challenge: '', code_challenge_method: '' }, 'authorize.pkce-missing', 'warn'],
    ['plain PKCE', { code_challenge_method: 'plain' }, 'authorize.pkce-plain', 'warn'],
    ['unknown response type', { response_type: 'code banana' }, 'authorize.response-type-unknown', 'fail'],
    [
      'access token in the browser',
      { response_type: 'code token' },
      'authorize.token-in-front-channel',
      'info',
    ],
    ['no state', { state: '' }, 'authorize.state-missing', 'warn'],
  ])('flags %s', (_name, change, id, severity) => {
    const q: Record<string, string> = { ...base, ...change };
    for (const k of Object.keys(q)) if (q[k] === '') delete q[k];
    const found = check(q).findings.find((f) => f.id === id);
    expect(found, JSON.stringify(check(q).findings)).toBeDefined();
    expect(found!.status).toBe(severity);
    expect(found!.hint!.length).toBeGreaterThan(0);
  });

  it("applies Togo ID's state rule on Togo hosts", () => {
    const host = AUTHORIZE;
    expect(ids(check({ ...base, state: 'short' }, host).findings)).toEqual(['authorize.state-length']);
    expect(ids(check({ ...base, state: 'abcdefghijklmnop-q' }, host).findings)).toEqual([
      'authorize.state-alphabet',
    ]);
    expect(ids(check({ ...base, state: 'short' }).findings)).toEqual([]);
  });

  it('flags a repeated parameter', () => {
    expect(ids(inspectUrl(`${authorize(base)}&scope=email`).findings)).toContain('authorize.duplicate-param');
  });

  it('flags an http provider that is not on loopback', () => {
    expect(ids(check(base, 'http://idp.example/authorize').findings)).toEqual(['url.not-https']);
    expect(ids(check(base, 'http://127.0.0.1:4444/identity/connect/authorize').findings)).toEqual([]);
  });
});

describe('broken input', () => {
  it.each([['not a url'], ['https://'], ['ftp://example.com/x']])('refuses %s as malformed', (input) => {
    expect(() => inspectUrl(input)).toThrow(expect.objectContaining({ code: 'URL_MALFORMED' }));
  });

  it('refuses bad percent-encoding', () => {
    expect(() => inspectUrl('https://idp.example/authorize?client_id=%ZZ')).toThrow(
      expect.objectContaining({ code: 'URL_MALFORMED', exitCode: 2 }),
    );
  });

  it('says when a URL is neither a login nor an authorization URL', () => {
    const result = inspectUrl('https://example.com/page?x=1');
    expect(result.kind).toBe('other');
    expect(result.ok).toBe(true);
  });
});

describe('round trip: inspecting a composed URL gives back its inputs', () => {
  const cases: LoginRequest[] = [];
  for (const flavor of ['togo', 'standard'] as const) {
    for (const responseType of RESPONSE_TYPES.filter((t) => t !== 'token' && t !== 'none')) {
      for (const responseMode of [
        undefined,
        'fragment',
        'form_post',
        ...(responseType === 'code' ? ['query'] : []),
      ]) {
        for (const relativeReturnUrl of flavor === 'togo' ? [false, true] : [false]) {
          cases.push({
            flavor,
            loginBase: 'https://id2.runswithtogo.com/identity',
            authorizationEndpoint: flavor === 'togo' ? AUTHORIZE : 'https://tenant.logto.app/oidc/auth',
            relativeReturnUrl,
            clientId: 'sample-production',
            redirectUri: 'https://app.example/cb?from=togo&x=a b',
            responseType,
            scope: 'openid email profile urn:logto:scope:organizations',
            ...(responseMode ? { responseMode } : {}),
            prompt: 'login consent',
            uiLocales: 'en-GB',
            extraParams: [['tenant', 'a&b=c%d+e']],
          });
        }
      }
    }
  }

  it.each(
    cases.map((c) => [
      `${c.flavor} ${c.responseType} ${c.responseMode ?? '(default mode)'}${c.relativeReturnUrl ? ' relative' : ''}`,
      c,
    ]),
  )('%s', (_name, request) => {
    const composed = composeLoginUrl(request);
    const result = inspectUrl(composed.url);
    expect(result.kind).toBe(request.flavor === 'togo' ? 'togo-login' : 'authorize');
    const params = request.flavor === 'togo' ? result.returnUrl!.params : result.params;
    const got = Object.fromEntries(params.map((p) => [p.name, p.value]));
    expect(got).toEqual({
      client_id: request.clientId,
      nonce: composed.nonce,
      redirect_uri: request.redirectUri,
      response_type: request.responseType,
      scope: request.scope,
      state: composed.state,
      ...(request.responseMode ? { response_mode: request.responseMode } : {}),
      ...(composed.codeChallenge
        ? { code_challenge: composed.codeChallenge, code_challenge_method: 'S256' }
        : {}),
      prompt: 'login consent',
      ui_locales: 'en-GB',
      tenant: 'a&b=c%d+e',
    });
    expect(ids(result.findings, 'fail')).toEqual([]);
    expect(composed.params.filter((p) => p.in === 'authorize').map((p) => [p.name, p.value])).toEqual(
      params.map((p) => [p.name, p.value]),
    );
  });
});
