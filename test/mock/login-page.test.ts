import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLoginRequest } from '../../src/mock/login-request.js';
import { start } from '../../src/mock/server.js';
import type { MockProvider } from '../../src/mock/types.js';
import { authorizeUrl, REDIRECT_URI, random } from './flow.js';

let mock: MockProvider;
beforeAll(async () => {
  mock = await start();
});
afterAll(async () => {
  await mock.close();
});

function returnUrl(clientId = 'togo-cli'): string {
  return authorizeUrl(mock.issuer, {
    client_id: clientId,
    nonce: random(),
    redirect_uri: REDIRECT_URI,
    response_type: 'id_token',
    scope: 'openid email profile',
    state: random(),
  });
}

async function open(
  query: Record<string, string>,
): Promise<{ status: number; type: string | null; html: string }> {
  const res = await fetch(`${mock.loginUrl}?${new URLSearchParams(query)}`, { redirect: 'manual' });
  return { status: res.status, type: res.headers.get('content-type'), html: await res.text() };
}

const good = () => ({
  profile: 'togo',
  behaviourProfile: 'togo',
  client_id: 'togo-cli',
  ReturnUrl: returnUrl(),
});

describe("Togo ID's /identity/login page", () => {
  it('shows an email and password form for a well-formed login URL', async () => {
    const page = await open(good());
    expect(page.status).toBe(200);
    expect(page.html).toContain('type="email"');
    expect(page.html).toContain('type="password"');
  });

  it.each([
    ['profile is missing', { profile: '' }, /profile is missing/],
    ['behaviourProfile is missing', { behaviourProfile: '' }, /behaviourProfile is missing/],
    ['client_id is missing', { client_id: '' }, /client_id is missing/],
    ['the client is unknown', { client_id: 'nobody' }, /not registered/],
  ])('refuses with a readable HTTP 400 page when %s', async (_what, change, message) => {
    const query = Object.fromEntries(Object.entries({ ...good(), ...change }).filter(([, v]) => v !== ''));
    const page = await open(query);
    expect(page.status).toBe(400);
    expect(page.type).toMatch(/^text\/html/);
    expect(page.html).toMatch(message);
  });

  it('points out the American spelling of behaviourProfile', async () => {
    const { behaviourProfile: _, ...rest } = good();
    const page = await open({ ...rest, behaviorProfile: 'togo' });
    expect(page.status).toBe(400);
    expect(page.html).toContain('British');
  });

  it('refuses a ReturnUrl that is not its own authorize endpoint', async () => {
    for (const bad of [
      'https://evil.example/identity/connect/authorize?client_id=togo-cli',
      `${mock.issuer}/connect/token?client_id=togo-cli`,
      '//evil.example/identity/connect/authorize?client_id=togo-cli',
      // A backslash reads as a slash: "/\\host" is another host, and "/\\" alone no URL at all.
      '/\\evil.example/identity/connect/authorize?client_id=togo-cli',
      '/\\',
    ]) {
      const page = await open({ ...good(), ReturnUrl: bad });
      expect(page.status, bad).toBe(400);
      expect(page.html).toContain('ReturnUrl must be this provider');
    }
  });

  it('refuses a client_id that differs from the one in ReturnUrl', async () => {
    const page = await open({ ...good(), ReturnUrl: returnUrl('togo-confidential') });
    expect(page.status).toBe(400);
    expect(page.html).toContain('differs from the client_id in ReturnUrl');
  });

  it('explains a ReturnUrl that was not URL-encoded', async () => {
    // The classic mistake: the authorize URL pasted in raw, so its parameters land beside ReturnUrl.
    const raw =
      `${mock.loginUrl}?profile=togo&behaviourProfile=togo&client_id=togo-cli` +
      `&ReturnUrl=${mock.authorizationEndpoint}?nonce=n&redirect_uri=${REDIRECT_URI}&response_type=id_token`;
    const res = await fetch(raw);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('encode the whole ReturnUrl with encodeURIComponent');
  });
});

describe('checking a login request (no server)', () => {
  const rules = {
    authorizationEndpoint: 'http://127.0.0.1:5080/identity/connect/authorize',
    clientIds: ['app'],
  };
  const authorize = `${rules.authorizationEndpoint}?client_id=app&response_type=id_token`;

  it('binds parameter names case-insensitively, as ASP.NET does', () => {
    const check = checkLoginRequest(
      new URLSearchParams({
        Profile: 'togo',
        behaviourprofile: 'togo',
        CLIENT_ID: 'app',
        returnUrl: authorize,
      }),
      rules,
    );
    expect(check).toMatchObject({ ok: true, request: { clientId: 'app', returnUrl: authorize } });
  });

  it('accepts a login without ReturnUrl, which the seed marks optional', () => {
    const check = checkLoginRequest(
      new URLSearchParams({ profile: 'togo', behaviourProfile: 'togo', client_id: 'app' }),
      rules,
    );
    expect(check).toMatchObject({ ok: true, request: { returnUrl: undefined } });
  });

  it('resolves the relative ReturnUrl against the provider', () => {
    const check = checkLoginRequest(
      new URLSearchParams({
        profile: 'togo',
        behaviourProfile: 'togo',
        client_id: 'app',
        ReturnUrl: '/identity/connect/authorize?client_id=app',
      }),
      rules,
    );
    expect(check).toMatchObject({
      ok: true,
      request: { returnUrl: `${rules.authorizationEndpoint}?client_id=app` },
    });
  });
});
