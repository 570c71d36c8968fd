/**
 * Logout as IdentityServer does it: a valid id_token_hint proves the client, so the user is not
 * asked; without one the emulator asks. Tokens broken on purpose by a fault still sign out.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { start } from '../../src/mock/server.js';
import type { FaultName, MockProvider } from '../../src/mock/types.js';
import { Agent, type Arrival, authorizeUrl, follow, REDIRECT_URI, random } from './flow.js';

const running: MockProvider[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((m) => m.close()));
});

async function mockWith(...faults: FaultName[]): Promise<MockProvider> {
  const mock = await start({ autoLogin: 'joe@m.test', faults });
  running.push(mock);
  return mock;
}

const AFTER_LOGOUT = 'http://127.0.0.1:53682/logged-out';

async function login(mock: MockProvider, agent: Agent): Promise<Arrival> {
  return follow(
    agent,
    authorizeUrl(mock.issuer, {
      client_id: 'togo-cli',
      nonce: random(),
      redirect_uri: REDIRECT_URI,
      response_type: 'id_token',
      scope: 'openid',
      state: random(),
    }),
    REDIRECT_URI,
  );
}

/** Follows the logout redirects until they leave the emulator or stop on a page. */
async function logout(mock: MockProvider, agent: Agent, params: Record<string, string>) {
  let url = new URL(mock.endSessionEndpoint);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  for (let hop = 0; hop < 5; hop++) {
    const res = await agent.fetch(url.href);
    const location = res.headers.get('location');
    if (res.status !== 303 || !location) return { status: res.status, html: await res.text(), url: url.href };
    url = new URL(location, url);
    if (!url.href.startsWith(mock.issuer)) return { status: 303, html: '', url: url.href };
  }
  throw new Error('too many redirects');
}

async function signedIn(mock: MockProvider, agent: Agent): Promise<boolean> {
  const res = await agent.fetch(
    authorizeUrl(mock.issuer, {
      client_id: 'togo-cli',
      nonce: random(),
      redirect_uri: REDIRECT_URI,
      response_type: 'id_token',
      scope: 'openid',
      state: random(),
      prompt: 'none',
    }),
  );
  const location = new URL(res.headers.get('location') ?? '', mock.issuer);
  return new URLSearchParams(location.hash.slice(1)).has('id_token');
}

describe('logout', () => {
  it('returns to a registered post-logout URI without a prompt when id_token_hint is valid', async () => {
    const mock = await mockWith();
    const agent = new Agent();
    const { params } = await login(mock, agent);
    expect(await signedIn(mock, agent)).toBe(true);
    const state = random();
    const out = await logout(mock, agent, {
      id_token_hint: params.get('id_token') ?? '',
      post_logout_redirect_uri: AFTER_LOGOUT,
      state,
    });
    expect(out.url).toBe(`${AFTER_LOGOUT}?state=${state}`);
    expect(await signedIn(mock, agent)).toBe(false);
  });

  it('asks "Sign out of Togo ID?" when no id_token_hint proves the client', async () => {
    const mock = await mockWith();
    const agent = new Agent();
    await login(mock, agent);
    const out = await logout(mock, agent, { client_id: 'togo-cli', post_logout_redirect_uri: AFTER_LOGOUT });
    expect(out.status).toBe(200);
    expect(out.html).toContain('Sign out of Togo ID?');
    expect(await signedIn(mock, agent)).toBe(true);
  });

  it('refuses a post-logout URI the client did not register', async () => {
    const mock = await mockWith();
    const agent = new Agent();
    const { params } = await login(mock, agent);
    const out = await logout(mock, agent, {
      id_token_hint: params.get('id_token') ?? '',
      post_logout_redirect_uri: 'http://127.0.0.1:53682/elsewhere',
    });
    expect(out.status).toBe(400);
    expect(out.html).toContain('post_logout_redirect_uri not registered');
  });

  for (const fault of [
    'bad-signature',
    'unknown-kid',
    'alg-none',
    'rotate-keys',
    'wrong-audience',
  ] as const) {
    it(`still signs out with the ID token issued under ${fault} as id_token_hint`, async () => {
      const mock = await mockWith(fault);
      const agent = new Agent();
      if (fault === 'rotate-keys') await login(mock, new Agent());
      const { params } = await login(mock, agent);
      const out = await logout(mock, agent, {
        id_token_hint: params.get('id_token') ?? '',
        post_logout_redirect_uri: AFTER_LOGOUT,
      });
      expect(out.url).toBe(AFTER_LOGOUT);
      expect(await signedIn(mock, agent)).toBe(false);
    });
  }
});
