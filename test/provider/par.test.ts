import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient, type HttpClient } from '../../src/http/client.js';
import { composeLoginUrl } from '../../src/oidc/login-url.js';
import { clientRequiresPar, parReason, pushAuthorizationRequest } from '../../src/provider/par.js';
import type { BackChannel } from '../../src/provider/token-endpoint.js';
import { type CannedHttp, useCannedHttp } from '../helpers/canned-http.js';

const ISSUER = 'https://op.example';
const REDIRECT = 'http://127.0.0.1:8400/callback';
const METADATA = {
  issuer: ISSUER,
  authorization_endpoint: `${ISSUER}/authorize`,
  token_endpoint: `${ISSUER}/token`,
  pushed_authorization_request_endpoint: `${ISSUER}/par`,
  token_endpoint_auth_methods_supported: ['none'],
};

const composed = composeLoginUrl({
  flavor: 'standard',
  authorizationEndpoint: `${ISSUER}/authorize`,
  clientId: 'my-app',
  nonce: 'c7709929297c0f47645cd4e270049fd0',
  redirectUri: REDIRECT,
  responseType: 'code',
  scope: 'openid',
  state: 'ac65007cf9729c9168b475452439e9fa',
  codeVerifier: 'v'.repeat(43),
});

const canned = useCannedHttp();
let http: HttpClient | undefined;
afterEach(() => {
  http?.close();
  http = undefined;
});

function setup(metadata: Record<string, unknown> = METADATA): { c: CannedHttp; p: BackChannel } {
  const c = canned();
  http = createHttpClient({ timeoutMs: 5000, dispatcher: c.dispatcher });
  return { c, p: { issuer: ISSUER, metadata, http } };
}

describe('pushing an authorization request', () => {
  it('pushes every authorize parameter and sends the browser only client_id and request_uri', async () => {
    const { c, p } = setup();
    c.reply('POST', `${ISSUER}/par`, 201, { request_uri: 'urn:par:abc', expires_in: 60 });
    const pushed = await pushAuthorizationRequest(p, composed, 'my-app', 'requested');
    const form = new URLSearchParams(c.requests[0]?.body);
    expect(form.get('state')).toBe('ac65007cf9729c9168b475452439e9fa');
    expect(form.get('code_challenge_method')).toBe('S256');
    expect(pushed).toMatchObject({ requestUri: 'urn:par:abc', expiresIn: 60, reason: 'requested' });
    const url = new URL(pushed.composed.url);
    expect([...url.searchParams.keys()].sort()).toEqual(['client_id', 'request_uri']);
    expect(url.searchParams.get('request_uri')).toBe('urn:par:abc');
  });

  it("fails with the provider's error when the push is refused", async () => {
    const { c, p } = setup();
    c.reply('POST', `${ISSUER}/par`, 400, { error: 'invalid_scope', error_description: 'nope' });
    await expect(pushAuthorizationRequest(p, composed, 'my-app', 'requested')).rejects.toMatchObject({
      code: 'LOGIN_PROVIDER_ERROR',
      message: expect.stringContaining('invalid_scope'),
    });
  });

  it('sends nothing when the provider offers no PAR endpoint', async () => {
    const { c, p } = setup({ ...METADATA, pushed_authorization_request_endpoint: undefined });
    await expect(pushAuthorizationRequest(p, composed, 'my-app', 'requested')).rejects.toMatchObject({
      code: 'PROVIDER_ENDPOINT_MISSING',
    });
    expect(c.requests).toHaveLength(0);
  });
});

describe('whether a request must be pushed', () => {
  it('pushes when asked, or when the provider requires it of everyone, without probing', async () => {
    const { c, p } = setup();
    expect(await parReason(p.http, METADATA, composed, true)).toBe('requested');
    expect(
      await parReason(p.http, { ...METADATA, require_pushed_authorization_requests: true }, composed, false),
    ).toBe('required by the provider');
    expect(c.requests).toHaveLength(0);
  });

  it('does not push, or probe, when the provider has no PAR endpoint', async () => {
    const { c, p } = setup();
    const { pushed_authorization_request_endpoint: _none, ...withoutPar } = METADATA;
    expect(await parReason(p.http, withoutPar, composed, false)).toBeUndefined();
    expect(c.requests).toHaveLength(0);
  });

  it('learns that the client must use PAR from the error the plain request is redirected with', async () => {
    const { c, p } = setup();
    const path = composed.url.slice(ISSUER.length);
    c.reply('GET', `${ISSUER}${path}`, 303, '', {
      location: `${REDIRECT}?error=invalid_request&error_description=Pushed%20Authorization%20Request%20must%20be%20used`,
    });
    expect(await parReason(p.http, METADATA, composed, false)).toBe('required for the client');
    expect(c.requests[0]?.headers.accept).toContain('text/html');
  });

  it('reads the same from a JSON error, and not from a login page', async () => {
    const { c, p } = setup();
    c.reply('GET', `${ISSUER}/authorize?a=1`, 400, {
      error: 'unauthorized_client',
      error_description: 'PAR is required for this client',
    });
    c.reply('GET', `${ISSUER}/authorize?a=2`, 200, '<form>Sign in</form>');
    expect(await clientRequiresPar(p.http, `${ISSUER}/authorize?a=1`, REDIRECT)).toBe(true);
    expect(await clientRequiresPar(p.http, `${ISSUER}/authorize?a=2`, REDIRECT)).toBe(false);
  });
});
