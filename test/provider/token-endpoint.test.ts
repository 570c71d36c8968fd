import { decodeJwt } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { TogoError } from '../../src/errors.js';
import { createHttpClient, type HttpClient } from '../../src/http/client.js';
import {
  type BackChannel,
  postToTokenEndpoint,
  tokenEndpointFailure,
  tokenError,
} from '../../src/provider/token-endpoint.js';
import { useCannedHttp } from '../helpers/canned-http.js';

const ISSUER = 'https://op.example';
const METADATA = {
  issuer: ISSUER,
  token_endpoint: `${ISSUER}/token`,
  token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'client_secret_jwt'],
};
const NOW_MS = 1_700_000_000_000;

const canned = useCannedHttp();
let http: HttpClient | undefined;
afterEach(() => {
  http?.close();
  http = undefined;
});

function provider(over: Partial<BackChannel> = {}) {
  const c = canned();
  c.reply(
    'POST',
    `${ISSUER}/token`,
    200,
    { access_token: 'at', token_type: 'Bearer' },
    { 'cache-control': 'no-store' },
  );
  http = createHttpClient({ timeoutMs: 5000, dispatcher: c.dispatcher });
  const p: BackChannel = { issuer: ISSUER, metadata: METADATA, http, now: () => NOW_MS, ...over };
  return { c, p };
}

describe('posting to the token endpoint', () => {
  it('sends the grant as a form, with the secret in HTTP Basic when the provider lists that first', async () => {
    const { c, p } = provider({ clientSecret: 's3cret' });
    const reply = await postToTokenEndpoint(p, 'my-app', { grant_type: 'authorization_code', code: 'c1' });
    expect(reply).toMatchObject({ status: 200, json: { access_token: 'at' }, cacheControl: 'no-store' });
    const sent = c.requests[0];
    expect(sent?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(sent?.headers.authorization).toBe(`Basic ${Buffer.from('my-app:s3cret').toString('base64')}`);
    const form = new URLSearchParams(sent?.body);
    expect(form.get('code')).toBe('c1');
    expect(form.get('client_secret')).toBeNull();
  });

  it('sends a public client by its id only, with no secret anywhere', async () => {
    const { c, p } = provider();
    await postToTokenEndpoint(p, 'public-app', { grant_type: 'refresh_token', refresh_token: 'r' });
    const sent = c.requests[0];
    expect(sent?.headers.authorization).toBeUndefined();
    expect(new URLSearchParams(sent?.body).get('client_id')).toBe('public-app');
  });

  it('signs a client_secret_jwt assertion addressed to the token endpoint and dated by the given clock', async () => {
    const { c, p } = provider({
      clientSecret: 'a-shared-secret-of-at-least-32-bytes!!',
      clientAuth: 'client_secret_jwt',
    });
    await postToTokenEndpoint(p, 'my-app', { grant_type: 'client_credentials' });
    const form = new URLSearchParams(c.requests[0]?.body);
    expect(form.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    const claims = decodeJwt(form.get('client_assertion') ?? '');
    expect(claims).toMatchObject({
      iss: 'my-app',
      sub: 'my-app',
      aud: `${ISSUER}/token`,
      iat: NOW_MS / 1000,
    });
    expect(c.requests[0]?.body).not.toContain('a-shared-secret');
  });

  it('refuses before sending when the document names no token endpoint or another issuer', async () => {
    const { c, p } = provider({ clientSecret: 's3cret' });
    await expect(
      postToTokenEndpoint({ ...p, metadata: { issuer: ISSUER } }, 'my-app', { grant_type: 'x' }),
    ).rejects.toMatchObject({ code: 'PROVIDER_ERROR' });
    await expect(
      postToTokenEndpoint({ ...p, metadata: { ...METADATA, issuer: 'https://evil.example' } }, 'my-app', {
        grant_type: 'x',
      }),
    ).rejects.toMatchObject({ code: 'DISCOVERY_ISSUER_MISMATCH' });
    expect(c.requests).toHaveLength(0);
  });
});

describe('token endpoint errors', () => {
  it("reads the provider's error and gives the hint for it", () => {
    const reply = { status: 400, json: { error: 'invalid_grant', error_description: 'code used' }, text: '' };
    expect(tokenError(reply)).toEqual({ error: 'invalid_grant', description: 'code used' });
    const err = tokenEndpointFailure(reply, 'the code exchange failed');
    expect(err).toBeInstanceOf(TogoError);
    expect(err.code).toBe('LOGIN_PROVIDER_ERROR');
    expect(err.message).toBe(
      'the code exchange failed: invalid_grant (the provider\'s own words: "code used")',
    );
    expect(err.hint).toContain('PKCE verifier');
  });

  it('falls back to the HTTP status and a short piece of the body when there is no error', () => {
    const reply = { status: 502, json: undefined, text: 'x'.repeat(500) };
    expect(tokenError(reply)).toBeUndefined();
    const err = tokenEndpointFailure(reply, 'the refresh failed');
    expect(err.code).toBe('HTTP_STATUS');
    expect(err.message).toBe(`the refresh failed: HTTP 502: ${'x'.repeat(200)}`);
  });
});
