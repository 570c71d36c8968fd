import { describe, expect, it } from 'vitest';
import { composeLoginUrl } from '../../src/oidc/login-url.js';
import {
  isParRequiredError,
  judgeParResponse,
  parAuthorizeUrl,
  parRequestParams,
  parRequiredByMetadata,
  withRequestUri,
} from '../../src/oidc/par.js';

const composed = composeLoginUrl({
  flavor: 'standard',
  authorizationEndpoint: 'https://op.example/op/auth',
  clientId: 'app',
  redirectUri: 'http://127.0.0.1:5000/callback',
  responseType: 'code',
  scope: 'openid email',
});

describe('pushed authorization requests (RFC 9126)', () => {
  it('pushes every parameter of the authorization request, PKCE included', () => {
    const body = parRequestParams(composed);
    expect(body.get('client_id')).toBe('app');
    expect(body.get('code_challenge_method')).toBe('S256');
    expect(body.get('state')).toBe(composed.state);
    expect(body.get('redirect_uri')).toBe('http://127.0.0.1:5000/callback');
  });

  it('sends the browser only client_id and request_uri', () => {
    const url = new URL(
      parAuthorizeUrl('https://op.example/op/auth', 'app', 'urn:ietf:params:oauth:request_uri:abc'),
    );
    expect([...url.searchParams]).toEqual([
      ['client_id', 'app'],
      ['request_uri', 'urn:ietf:params:oauth:request_uri:abc'],
    ]);
    const rewritten = withRequestUri(composed, 'https://op.example/op/auth', 'app', 'urn:x');
    expect(rewritten.url).toBe('https://op.example/op/auth?client_id=app&request_uri=urn%3Ax');
    expect(rewritten.state).toBe(composed.state);
    expect(rewritten.codeVerifier).toBe(composed.codeVerifier);
  });

  it('accepts 201 with request_uri and expires_in, and refuses what lacks them', () => {
    expect(judgeParResponse(201, { request_uri: 'urn:x', expires_in: 60 })).toEqual({
      ok: true,
      requestUri: 'urn:x',
      expiresIn: 60,
    });
    expect(judgeParResponse(201, { expires_in: 60 })).toMatchObject({
      ok: false,
      problem: expect.stringContaining('request_uri'),
    });
    expect(judgeParResponse(201, { request_uri: 'urn:x' })).toMatchObject({ ok: false });
    expect(judgeParResponse(400, { error: 'invalid_request', error_description: 'bad scope' })).toMatchObject(
      {
        ok: false,
        error: 'invalid_request',
        problem: expect.stringContaining('bad scope'),
      },
    );
  });

  it('knows when the provider requires PAR of every client', () => {
    expect(parRequiredByMetadata({ require_pushed_authorization_requests: true })).toBe(true);
    expect(parRequiredByMetadata({ require_pushed_authorization_requests: 'true' })).toBe(false);
    expect(parRequiredByMetadata({})).toBe(false);
  });

  it('reads an authorization error that asks for PAR, and no other', () => {
    expect(isParRequiredError('invalid_request', 'Pushed Authorization Request must be used')).toBe(true);
    expect(isParRequiredError('invalid_request', 'PAR is required for this client')).toBe(true);
    expect(isParRequiredError('invalid_request', 'missing required parameter(s) (scope)')).toBe(false);
    expect(isParRequiredError('access_denied', 'Pushed Authorization Request must be used')).toBe(false);
  });
});
