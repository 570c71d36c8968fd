import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  advertisedWarnings,
  composeLoginUrl,
  encodeParam,
  type LoginRequest,
  pendingLogin,
} from '../../src/oidc/login-url.js';
import { codeChallengeS256, newCodeVerifier, newNonce, newState } from '../../src/oidc/pkce.js';
import { togoDocument } from '../helpers/providers.js';

const SEED_URL = readFileSync(new URL('../fixtures/seed-login-url.txt', import.meta.url), 'utf8').trim();

/** The inputs of the example in the Togo ID implicit-flow guide (seed 001). */
const SEED: LoginRequest = {
  flavor: 'togo',
  loginBase: 'https://id2.runswithtogo.com/identity',
  authorizationEndpoint: 'https://id2.runswithtogo.com/identity/connect/authorize',
  clientId: 'sample-production',
  nonce: 'c7709929297c0f47645cd4e270049fd0',
  redirectUri: 'https://sample.togogroup.com/togo-callback',
  responseType: 'id_token',
  scope: 'openid email profile',
  state: 'ac65007cf9729c9168b475452439e9fa',
};

describe('composing a Togo ID login URL', () => {
  it("reproduces the Togo ID guide's example URL byte for byte", () => {
    expect(composeLoginUrl(SEED).url).toBe(SEED_URL);
  });

  it('nests the authorize URL with client_id, nonce, redirect_uri, response_type, scope, state in that order', () => {
    const composed = composeLoginUrl(SEED);
    expect(composed.authorizeUrl).toBe(
      'https://id2.runswithtogo.com/identity/connect/authorize?client_id=sample-production&nonce=c7709929297c0f47645cd4e270049fd0&redirect_uri=https%3A%2F%2Fsample.togogroup.com%2Ftogo-callback&response_type=id_token&scope=openid%20email%20profile&state=ac65007cf9729c9168b475452439e9fa',
    );
    expect(composed.params.map((p) => `${p.in}:${p.name}`)).toEqual([
      'login:profile',
      'login:behaviourProfile',
      'login:client_id',
      'login:ReturnUrl',
      'authorize:client_id',
      'authorize:nonce',
      'authorize:redirect_uri',
      'authorize:response_type',
      'authorize:scope',
      'authorize:state',
    ]);
  });

  it('gives the relative ReturnUrl form IdentityServer accepts', () => {
    const { url } = composeLoginUrl({ ...SEED, relativeReturnUrl: true });
    const returnUrl = new URL(url).searchParams.get('ReturnUrl');
    expect(returnUrl).toMatch(/^\/identity\/connect\/authorize\?client_id=sample-production&nonce=/);
  });

  it('adds PKCE S256 whenever the response type contains code', () => {
    for (const responseType of ['code', 'code id_token', 'code token', 'code id_token token']) {
      const composed = composeLoginUrl({ ...SEED, responseType });
      expect(composed.codeVerifier).toMatch(/^[A-Za-z0-9._~-]{43,128}$/);
      const inner = new URL(composed.authorizeUrl).searchParams;
      expect(inner.get('code_challenge')).toBe(codeChallengeS256(composed.codeVerifier!));
      expect(inner.get('code_challenge_method')).toBe('S256');
    }
    for (const responseType of ['id_token', 'id_token token']) {
      expect(composeLoginUrl({ ...SEED, responseType }).codeVerifier).toBeUndefined();
    }
    expect(composeLoginUrl({ ...SEED, responseType: 'code', pkce: false }).codeVerifier).toBeUndefined();
  });

  it('refuses a state Togo ID would refuse', () => {
    expect(() => composeLoginUrl({ ...SEED, state: 'short' })).toThrow(/16 to 32/);
    expect(() => composeLoginUrl({ ...SEED, state: 'a'.repeat(33) })).toThrow(/33 characters/);
    expect(() => composeLoginUrl({ ...SEED, state: 'abcdefghijklmnop-' })).toThrow(/not all letters/);
    expect(() => composeLoginUrl({ ...SEED, state: 'a'.repeat(16) })).not.toThrow();
    // Standard providers take any visible ASCII.
    expect(() => composeLoginUrl({ ...SEED, flavor: 'standard', state: 'any-state_value.1' })).not.toThrow();
  });

  it('refuses --param for a parameter togo sets itself', () => {
    expect(() => composeLoginUrl({ ...SEED, extraParams: [['scope', 'x']] })).toThrow(/would repeat/);
  });

  it('encodes spaces as %20 and reserved characters for nesting', () => {
    expect(encodeParam("a b&c=d/e?f#g+h!'()*")).toBe('a%20b%26c%3Dd%2Fe%3Ff%23g%2Bh%21%27%28%29%2A');
  });
});

describe('composing a standard authorization URL', () => {
  it('puts the parameters directly on the authorization endpoint', () => {
    const composed = composeLoginUrl({
      ...SEED,
      flavor: 'standard',
      authorizationEndpoint: 'https://tenant.logto.app/oidc/auth',
      responseType: 'code',
      codeVerifier: 'x'.repeat(43),
      responseMode: 'query',
      prompt: 'login',
      loginHint: 'joe@m.test',
      maxAge: 300,
      acrValues: 'urn:mace:incommon:iap:silver',
      uiLocales: 'en-GB fr',
      audience: 'https://api.example',
      resource: ['https://api.example/a', 'https://api.example/b'],
      extraParams: [['organization_id', 'org 1']],
    });
    expect(composed.url).toBe(composed.authorizeUrl);
    expect(composed.url.startsWith('https://tenant.logto.app/oidc/auth?client_id=sample-production&')).toBe(
      true,
    );
    const q = new URL(composed.url).searchParams;
    expect(q.get('response_mode')).toBe('query');
    expect(q.get('code_challenge')).toBe(codeChallengeS256('x'.repeat(43)));
    expect(q.get('prompt')).toBe('login');
    expect(q.get('login_hint')).toBe('joe@m.test');
    expect(q.get('max_age')).toBe('300');
    expect(q.get('acr_values')).toBe('urn:mace:incommon:iap:silver');
    expect(q.get('ui_locales')).toBe('en-GB fr');
    expect(q.get('audience')).toBe('https://api.example');
    expect(q.getAll('resource')).toEqual(['https://api.example/a', 'https://api.example/b']);
    expect(q.get('organization_id')).toBe('org 1');
    expect(composed.url).toContain('organization_id=org%201');
  });

  it('keeps a query the authorization endpoint already has', () => {
    const { url } = composeLoginUrl({
      ...SEED,
      flavor: 'standard',
      authorizationEndpoint: 'https://idp.example/authorize?tenant=a',
    });
    expect(url.startsWith('https://idp.example/authorize?tenant=a&client_id=')).toBe(true);
  });
});

describe('random values', () => {
  it('makes 32-character alphanumeric state and nonce, different every time', () => {
    const states = new Set(Array.from({ length: 50 }, () => newState()));
    expect(states.size).toBe(50);
    for (const s of states) expect(s).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(newNonce()).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(newCodeVerifier()).toMatch(/^[A-Za-z0-9._~-]{64}$/);
  });

  it('computes the RFC 7636 Appendix B example challenge', () => {
    expect(codeChallengeS256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });
});

describe('comparing a request with what discovery advertises', () => {
  const togoMetadata = togoDocument('https://id2.runswithtogo.com/identity');

  it('is silent when everything is advertised, in any order of response type values', () => {
    expect(
      advertisedWarnings(togoMetadata, {
        responseType: 'id_token code',
        responseMode: 'form_post',
        scope: 'openid email',
        codeChallengeMethod: 'S256',
      }),
    ).toEqual([]);
  });

  it('warns about an unadvertised response type, mode, scope and PKCE method', () => {
    const warnings = advertisedWarnings(
      { response_types_supported: ['code'], scopes_supported: ['openid'] },
      {
        responseType: 'id_token',
        responseMode: 'form_post',
        scope: 'openid tenant',
        codeChallengeMethod: 'S256',
      },
    );
    expect(warnings.map((w) => w.id)).toEqual([
      'advertised.response-type',
      'advertised.response-mode',
      'advertised.scope',
      'advertised.pkce',
    ]);
    expect(warnings[2]!.message).toContain('tenant');
    expect(warnings[3]!.hint).toMatch(/RFC 8414/);
  });

  it('treats absent response modes as query and fragment (Discovery §3)', () => {
    expect(
      advertisedWarnings({}, { responseType: 'code', responseMode: 'fragment', scope: 'openid' }),
    ).toEqual([]);
  });

  it('warns when S256 is missing from the advertised methods', () => {
    const [w] = advertisedWarnings(
      { code_challenge_methods_supported: ['plain'] },
      { responseType: 'code', scope: 'openid', codeChallengeMethod: 'S256' },
    );
    expect(w?.id).toBe('advertised.pkce');
  });
});

describe('the pending login saved for a split login', () => {
  it('records state, nonce, verifier, issuer, client, redirect URI, response type and time', () => {
    const composed = composeLoginUrl({ ...SEED, responseType: 'code id_token' });
    const saved = pendingLogin(composed, { ...SEED, responseType: 'code id_token', issuer: 'https://i' }, 0);
    expect(saved).toMatchObject({
      kind: 'togo-pending-login',
      createdAt: '1970-01-01T00:00:00.000Z',
      issuer: 'https://i',
      clientId: 'sample-production',
      redirectUri: SEED.redirectUri,
      responseType: 'code id_token',
      state: SEED.state,
      nonce: SEED.nonce,
      codeVerifier: composed.codeVerifier,
    });
  });
});
