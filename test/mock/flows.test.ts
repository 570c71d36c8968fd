import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIDENTIAL_SECRET } from '../../src/mock/clients.js';
import { start } from '../../src/mock/server.js';
import type { MockProvider } from '../../src/mock/types.js';
import {
  Agent,
  authorizeUrl,
  follow,
  halfHash,
  pkcePair,
  REDIRECT_URI,
  random,
  signInWith,
  togoLoginUrl,
} from './flow.js';

let mock: MockProvider;
let auto: MockProvider;
beforeAll(async () => {
  [mock, auto] = await Promise.all([start(), start({ autoLogin: 'joe@m.test' })]);
});
afterAll(async () => {
  await Promise.all([mock.close(), auto.close()]);
});

function verify(m: MockProvider, token: string, audience = 'togo-cli') {
  return jwtVerify(token, createRemoteJWKSet(new URL(m.jwksUri)), { issuer: m.issuer, audience });
}

describe('logging in to the emulator without a browser', () => {
  it('completes the implicit flow through Togo ID login page with a password', async () => {
    const nonce = random();
    const state = random();
    const returnUrl = authorizeUrl(mock.issuer, {
      client_id: 'togo-cli',
      nonce,
      redirect_uri: REDIRECT_URI,
      response_type: 'id_token',
      scope: 'openid email profile',
      state,
    });
    const arrival = await follow(
      new Agent(),
      togoLoginUrl(mock.issuer, 'togo-cli', returnUrl),
      REDIRECT_URI,
      signInWith('joe@m.test', 'togo-mock'),
    );
    expect(arrival.params.get('state')).toBe(state);
    const { payload, protectedHeader } = await verify(mock, arrival.params.get('id_token') ?? '');
    expect(protectedHeader.alg).toBe('RS256');
    expect(protectedHeader.kid).toBeTruthy();
    expect(payload).toMatchObject({
      sub: '7368ed68-b84c-422c-9aa6-e0575b1308a3',
      email: 'joe@m.test',
      email_verified: true,
      given_name: 'Joe',
      family_name: 'Marsh',
      name: 'Joe Marsh',
      nonce,
    });
    expect(typeof payload.user).toBe('string');
    const user = JSON.parse(payload.user as string);
    expect(user.organizations.map((o: { organization: { name: string } }) => o.organization.name)).toEqual([
      'Joe Marsh',
      'Airstream',
    ]);
  });

  it('accepts the relative ReturnUrl form IdentityServer allows', async () => {
    const returnUrl = authorizeUrl(mock.issuer, {
      client_id: 'togo-cli',
      nonce: random(),
      redirect_uri: REDIRECT_URI,
      response_type: 'id_token',
      scope: 'openid',
      state: random(),
    });
    const relative = returnUrl.slice(new URL(returnUrl).origin.length);
    expect(relative.startsWith('/identity/connect/authorize?')).toBe(true);
    const arrival = await follow(
      new Agent(),
      togoLoginUrl(mock.issuer, 'togo-cli', relative),
      REDIRECT_URI,
      signInWith('ada@m.test', 'togo-mock'),
    );
    expect(decodeJwt(arrival.params.get('id_token') ?? '').sub).toBe('b1d4c6a2-5e8f-4a37-9c2d-0f6e3a7b8c91');
  });

  it('asks again after a wrong password', async () => {
    const agent = new Agent();
    const returnUrl = authorizeUrl(mock.issuer, {
      client_id: 'togo-cli',
      nonce: random(),
      redirect_uri: REDIRECT_URI,
      response_type: 'id_token',
      scope: 'openid',
      state: random(),
    });
    const form = new URLSearchParams({
      profile: 'togo',
      behaviourProfile: 'togo',
      client_id: 'togo-cli',
      ReturnUrl: returnUrl,
      email: 'joe@m.test',
      password: 'wrong',
    });
    const res = await agent.fetch(`${mock.issuer}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('Wrong email or password');
  });

  it('signs the auto-login user in at once when the app goes straight to /connect/authorize', async () => {
    const nonce = random();
    const arrival = await follow(
      new Agent(),
      authorizeUrl(auto.issuer, {
        client_id: 'togo-cli',
        nonce,
        redirect_uri: REDIRECT_URI,
        response_type: 'id_token token',
        scope: 'openid email profile cosmos',
        state: random(),
      }),
      REDIRECT_URI,
    );
    const accessToken = arrival.params.get('access_token') ?? '';
    const { payload } = await verify(auto, arrival.params.get('id_token') ?? '');
    expect(payload.nonce).toBe(nonce);
    expect(payload.at_hash).toBe(halfHash(accessToken));
    expect(payload.user).toEqual(expect.any(String));
    const info = await fetch(`${auto.issuer}/connect/userinfo`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(info.status).toBe(200);
    expect(await info.json()).toMatchObject({ sub: payload.sub, email: 'joe@m.test' });
  });

  it('shows the provider login page for /connect/authorize without a session, with the same users', async () => {
    const arrival = await follow(
      new Agent(),
      authorizeUrl(mock.issuer, {
        client_id: 'togo-cli',
        nonce: random(),
        redirect_uri: REDIRECT_URI,
        response_type: 'id_token',
        scope: 'openid email',
        state: random(),
      }),
      REDIRECT_URI,
      signInWith('ada@m.test', 'togo-mock'),
    );
    expect(arrival.trail.some((u) => u.includes('/identity/interaction/'))).toBe(true);
    expect(decodeJwt(arrival.params.get('id_token') ?? '').email).toBe('ada@m.test');
  });

  /** A code flow with PKCE asking for offline_access with consent; returns the token response. */
  async function offlineLogin(clientId: string): Promise<Record<string, string>> {
    const { verifier, challenge } = pkcePair();
    const arrival = await follow(
      new Agent(),
      authorizeUrl(auto.issuer, {
        client_id: clientId,
        redirect_uri: REDIRECT_URI,
        response_type: 'code',
        scope: 'openid email profile offline_access',
        state: random(),
        code_challenge: challenge,
        code_challenge_method: 'S256',
        prompt: 'consent',
      }),
      REDIRECT_URI,
    );
    expect(arrival.params.get('iss')).toBe(auto.issuer);
    const res = await fetch(auto.tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: arrival.params.get('code') ?? '',
        redirect_uri: REDIRECT_URI,
        client_id: clientId,
        code_verifier: verifier,
      }),
    });
    const tokens = (await res.json()) as Record<string, string>;
    expect(res.status, JSON.stringify(tokens)).toBe(200);
    return tokens;
  }

  async function refresh(clientId: string, refreshToken: string) {
    const res = await fetch(auto.tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        client_id: clientId,
      }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, string> };
  }

  it('gives togo-cli no refresh token even for offline_access, as Togo ID issues none', async () => {
    const tokens = await offlineLogin('togo-cli');
    expect(tokens.refresh_token).toBeUndefined();
    expect(tokens.scope?.split(' ')).not.toContain('offline_access');
    const { payload } = await verify(auto, tokens.id_token ?? '');
    expect(payload.sub).toBe('7368ed68-b84c-422c-9aa6-e0575b1308a3');
  });

  it('gives togo-offline a refresh token for offline_access, rotated on every refresh', async () => {
    const tokens = await offlineLogin('togo-offline');
    expect(tokens.refresh_token).toEqual(expect.any(String));
    const { payload } = await verify(auto, tokens.id_token ?? '', 'togo-offline');
    expect(payload.sub).toBe('7368ed68-b84c-422c-9aa6-e0575b1308a3');
    const first = await refresh('togo-offline', tokens.refresh_token ?? '');
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.refresh_token).toEqual(expect.any(String));
    expect(first.body.refresh_token).not.toBe(tokens.refresh_token);
    const refreshed = await verify(auto, first.body.id_token ?? '', 'togo-offline');
    expect(refreshed.payload.sub).toBe(payload.sub);
    const second = await refresh('togo-offline', first.body.refresh_token ?? '');
    expect(second.status, JSON.stringify(second.body)).toBe(200);
  });

  it('answers invalid_grant to a refresh token used again after rotation, and ends its grant', async () => {
    const tokens = await offlineLogin('togo-offline');
    const first = await refresh('togo-offline', tokens.refresh_token ?? '');
    expect(first.status).toBe(200);
    const reused = await refresh('togo-offline', tokens.refresh_token ?? '');
    expect(reused.status).toBe(400);
    expect(reused.body.error).toBe('invalid_grant');
    // Reuse is taken as theft (OAuth 2.0 Security BCP 4.14.2): the rotated token dies with it.
    const after = await refresh('togo-offline', first.body.refresh_token ?? '');
    expect(after.body.error).toBe('invalid_grant');
  });

  it('runs the hybrid flow for the confidential client with its secret, in form_post mode', async () => {
    const nonce = random();
    const arrival = await follow(
      new Agent(),
      authorizeUrl(auto.issuer, {
        client_id: 'togo-confidential',
        redirect_uri: REDIRECT_URI,
        response_type: 'code id_token',
        response_mode: 'form_post',
        scope: 'openid email',
        nonce,
        state: random(),
      }),
      REDIRECT_URI,
    );
    const code = arrival.params.get('code') ?? '';
    const front = await verify(auto, arrival.params.get('id_token') ?? '', 'togo-confidential');
    expect(front.payload.c_hash).toBe(halfHash(code));
    const res = await fetch(auto.tokenEndpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`togo-confidential:${CONFIDENTIAL_SECRET}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI }),
    });
    const tokens = (await res.json()) as Record<string, string>;
    expect(res.status, JSON.stringify(tokens)).toBe(200);
    const back = await verify(auto, tokens.id_token ?? '', 'togo-confidential');
    expect(back.payload.sub).toBe(front.payload.sub);

    const introspection = await fetch(`${auto.issuer}/connect/introspect`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`togo-confidential:${CONFIDENTIAL_SECRET}`).toString('base64')}`,
      },
      body: new URLSearchParams({ token: tokens.access_token ?? '' }),
    });
    expect(await introspection.json()).toMatchObject({ active: true, client_id: 'togo-confidential' });
    const revocation = await fetch(`${auto.issuer}/connect/revocation`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`togo-confidential:${CONFIDENTIAL_SECRET}`).toString('base64')}`,
      },
      body: new URLSearchParams({ token: tokens.access_token ?? '' }),
    });
    expect(revocation.status).toBe(200);
  });

  it('completes the device flow for the CLI client, confirming the code on the verification page', async () => {
    const res = await fetch(`${auto.issuer}/connect/deviceauthorization`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: 'togo-cli', scope: 'openid email' }),
    });
    const device = (await res.json()) as Record<string, string>;
    expect(res.status, JSON.stringify(device)).toBe(200);
    expect(device.verification_uri).toBe(`${auto.issuer}/device`);

    // The person's side: open the complete verification URI, submit each page's form, follow redirects.
    const agent = new Agent();
    let page = await agent.fetch(device.verification_uri_complete ?? '');
    let html = '';
    for (let hop = 0; hop < 10; hop++) {
      const location = page.headers.get('location');
      if (location) {
        page = await agent.fetch(new URL(location, auto.issuer).href);
        continue;
      }
      html = await page.text();
      const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
      if (!action) break;
      const form = new URLSearchParams();
      for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\s*\/?>/g)) {
        form.set(m[1] ?? '', m[2] ?? '');
      }
      page = await agent.fetch(new URL(action, auto.issuer).href, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
      });
    }
    expect(html).toContain('The device is signed in');

    const token = await fetch(auto.tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: 'togo-cli',
        grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
        device_code: device.device_code ?? '',
      }),
    });
    const tokens = (await token.json()) as Record<string, string>;
    expect(token.status, JSON.stringify(tokens)).toBe(200);
    expect((await verify(auto, tokens.id_token ?? '')).payload.email).toBe('joe@m.test');
  });
  it('signs out through the end-session endpoint and returns to the post-logout redirect URI', async () => {
    const agent = new Agent();
    const login = await follow(
      agent,
      authorizeUrl(auto.issuer, {
        client_id: 'togo-cli',
        nonce: random(),
        redirect_uri: REDIRECT_URI,
        response_type: 'id_token',
        scope: 'openid',
        state: random(),
      }),
      REDIRECT_URI,
    );
    const state = random();
    const afterLogout = 'http://127.0.0.1:53682/logged-out';
    const url = new URL(`${auto.issuer}/connect/endsession`);
    url.searchParams.set('id_token_hint', login.params.get('id_token') ?? '');
    url.searchParams.set('post_logout_redirect_uri', afterLogout);
    url.searchParams.set('state', state);
    // A valid id_token_hint: no prompt, as IdentityServer; the emulator confirms on the user's behalf.
    const first = await agent.fetch(url.href);
    expect(first.status).toBe(303);
    const done = await agent.fetch(new URL(first.headers.get('location') ?? '', auto.issuer).href);
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`${afterLogout}?state=${state}`);
  });
});
