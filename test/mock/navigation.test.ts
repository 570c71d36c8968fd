/**
 * Togo ID's navigation: an authorize request without a session goes to Togo's login page with a
 * ReturnUrl that repeats it, and signing in there carries on to the application.
 */
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start } from '../../src/mock/server.js';
import type { MockProvider } from '../../src/mock/types.js';
import { Agent, authorizeUrl, follow, REDIRECT_URI, random, signInWith } from './flow.js';

let mock: MockProvider;
beforeAll(async () => {
  mock = await start();
});
afterAll(async () => {
  await mock.close();
});

function implicitRequest(nonce = random(), state = random()): Record<string, string> {
  return {
    client_id: 'togo-cli',
    nonce,
    redirect_uri: REDIRECT_URI,
    response_type: 'id_token',
    scope: 'openid email profile',
    state,
  };
}

describe('an authorize request without a session', () => {
  it('ends on /identity/login with profile, behaviourProfile, client_id and a ReturnUrl repeating the request', async () => {
    const request = implicitRequest();
    const res = await new Agent().fetch(authorizeUrl(mock.issuer, request));
    expect(res.status).toBe(303);
    const login = new URL(res.headers.get('location') ?? '', mock.issuer);
    expect(`${login.origin}${login.pathname}`).toBe(`${mock.issuer}/login`);
    expect(login.searchParams.get('profile')).toBe('togo');
    expect(login.searchParams.get('behaviourProfile')).toBe('togo');
    expect(login.searchParams.get('client_id')).toBe('togo-cli');
    const returnUrl = new URL(login.searchParams.get('ReturnUrl') ?? '');
    expect(`${returnUrl.origin}${returnUrl.pathname}`).toBe(mock.authorizationEndpoint);
    expect(Object.fromEntries(returnUrl.searchParams)).toEqual(request);
    const page = await new Agent().fetch(login.href);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Sign in to Togo ID');
  });

  it('carries on to the redirect URI after sign-in on the login page, and the session skips it next time', async () => {
    const agent = new Agent();
    const nonce = random();
    const state = random();
    const arrival = await follow(
      agent,
      authorizeUrl(mock.issuer, implicitRequest(nonce, state)),
      REDIRECT_URI,
      signInWith('ada@m.test', 'togo-mock'),
    );
    expect(arrival.trail.some((u) => u.startsWith(`${mock.issuer}/login?`))).toBe(true);
    expect(arrival.params.get('state')).toBe(state);
    expect(decodeJwt(arrival.params.get('id_token') ?? '')).toMatchObject({ email: 'ada@m.test', nonce });

    const again = await follow(agent, authorizeUrl(mock.issuer, implicitRequest()), REDIRECT_URI);
    expect(again.trail.some((u) => u.includes('/login?'))).toBe(false);
    expect(decodeJwt(again.params.get('id_token') ?? '').email).toBe('ada@m.test');
  });

  it('with --auto-login passes through the login page without stopping', async () => {
    const auto = await start({ autoLogin: 'joe@m.test' });
    try {
      const arrival = await follow(new Agent(), authorizeUrl(auto.issuer, implicitRequest()), REDIRECT_URI);
      expect(arrival.trail.some((u) => u.startsWith(`${auto.issuer}/login?`))).toBe(true);
      expect(decodeJwt(arrival.params.get('id_token') ?? '').email).toBe('joe@m.test');
    } finally {
      await auto.close();
    }
  });
});
