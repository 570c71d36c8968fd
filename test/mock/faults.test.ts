import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  type JSONWebKeySet,
  jwtVerify,
} from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { TogoError } from '../../src/errors.js';
import { CONFIDENTIAL_SECRET } from '../../src/mock/clients.js';
import { FAULT_NAMES, parseFaults, WRONG_API_AUDIENCE } from '../../src/mock/faults.js';
import { start } from '../../src/mock/server.js';
import { WRONG_AUDIENCE, WRONG_ISSUER, WRONG_NONCE } from '../../src/mock/tamper.js';
import type { FaultName, MockProvider } from '../../src/mock/types.js';
import { Agent, authorizeUrl, follow, halfHash, pkcePair, REDIRECT_URI, random } from './flow.js';

const running: MockProvider[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((m) => m.close()));
});

async function mockWith(...faults: FaultName[]): Promise<MockProvider> {
  const mock = await start({ autoLogin: 'joe@m.test', faults });
  running.push(mock);
  return mock;
}

interface Login {
  nonce: string;
  state: string;
  params: URLSearchParams;
  idToken: string;
}

/** An implicit login (id_token token) by the CLI client, signed in by --auto-login. */
async function implicitLogin(mock: MockProvider): Promise<Login> {
  const nonce = random();
  const state = random();
  const arrival = await follow(
    new Agent(),
    authorizeUrl(mock.issuer, {
      client_id: 'togo-cli',
      nonce,
      state,
      redirect_uri: REDIRECT_URI,
      response_type: 'id_token token',
      scope: 'openid email profile',
    }),
    REDIRECT_URI,
  );
  return { nonce, state, params: arrival.params, idToken: arrival.params.get('id_token') ?? '' };
}

async function jwks(mock: MockProvider): Promise<JSONWebKeySet> {
  return (await (await fetch(mock.jwksUri)).json()) as JSONWebKeySet;
}

const keySet = (mock: MockProvider) => createRemoteJWKSet(new URL(mock.jwksUri));

const JOE_SUB = '7368ed68-b84c-422c-9aa6-e0575b1308a3';

/** A token request by togo-offline (public), or by togo-confidential with its secret. */
async function tokenRequest(
  mock: MockProvider,
  body: Record<string, string>,
  client: 'togo-offline' | 'togo-confidential' = 'togo-offline',
): Promise<{ status: number; body: Record<string, string> }> {
  const secret = Buffer.from(`togo-confidential:${CONFIDENTIAL_SECRET}`).toString('base64');
  const res = await fetch(mock.tokenEndpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(client === 'togo-confidential' ? { authorization: `Basic ${secret}` } : {}),
    },
    body: new URLSearchParams({ ...(client === 'togo-offline' ? { client_id: client } : {}), ...body }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

/** A code flow login of togo-offline with offline_access: its token response, refresh token included. */
async function offlineLogin(mock: MockProvider): Promise<Record<string, string>> {
  const { verifier, challenge } = pkcePair();
  const arrival = await follow(
    new Agent(),
    authorizeUrl(mock.issuer, {
      client_id: 'togo-offline',
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      scope: 'openid offline_access',
      prompt: 'consent',
      state: random(),
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }),
    REDIRECT_URI,
  );
  const r = await tokenRequest(mock, {
    grant_type: 'authorization_code',
    code: arrival.params.get('code') ?? '',
    redirect_uri: REDIRECT_URI,
    code_verifier: verifier,
  });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  expect(r.body.refresh_token).toEqual(expect.any(String));
  return r.body;
}

describe('togo mock --fault', () => {
  it('issues correct tokens when no fault is asked for', async () => {
    const mock = await mockWith();
    const login = await implicitLogin(mock);
    const { payload } = await jwtVerify(login.idToken, keySet(mock), {
      issuer: mock.issuer,
      audience: 'togo-cli',
    });
    expect(payload.nonce).toBe(login.nonce);
    expect(payload.at_hash).toBe(halfHash(login.params.get('access_token') ?? ''));
  });

  it('expired-id-token: exp is in the past, and verification says so', async () => {
    const mock = await mockWith('expired-id-token');
    const { idToken } = await implicitLogin(mock);
    const payload = decodeJwt(idToken);
    expect(payload.exp).toBeLessThan(Date.now() / 1000 - 300);
    expect((payload.iat ?? 0) < (payload.exp ?? 0)).toBe(true);
    await expect(jwtVerify(idToken, keySet(mock))).rejects.toMatchObject({ code: 'ERR_JWT_EXPIRED' });
  });

  it('wrong-audience: aud is another client, the signature is still good', async () => {
    const mock = await mockWith('wrong-audience');
    const { idToken } = await implicitLogin(mock);
    await expect(jwtVerify(idToken, keySet(mock), { audience: 'togo-cli' })).rejects.toMatchObject({
      code: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
      claim: 'aud',
    });
    expect((await jwtVerify(idToken, keySet(mock))).payload.aud).toBe(WRONG_AUDIENCE);
  });

  it('wrong-issuer: iss is not the emulator issuer', async () => {
    const mock = await mockWith('wrong-issuer');
    const { idToken } = await implicitLogin(mock);
    expect(decodeJwt(idToken).iss).toBe(WRONG_ISSUER);
    await expect(jwtVerify(idToken, keySet(mock), { issuer: mock.issuer })).rejects.toMatchObject({
      claim: 'iss',
    });
  });

  it('wrong-nonce: the nonce is not the one sent', async () => {
    const mock = await mockWith('wrong-nonce');
    const { idToken, nonce } = await implicitLogin(mock);
    const { payload } = await jwtVerify(idToken, keySet(mock));
    expect(payload.nonce).not.toBe(nonce);
    expect(payload.nonce).toBe(WRONG_NONCE);
  });

  it('bad-signature: the kid is published but the signature does not verify against it', async () => {
    const mock = await mockWith('bad-signature');
    const { idToken } = await implicitLogin(mock);
    const { kid } = decodeProtectedHeader(idToken);
    expect((await jwks(mock)).keys.map((k) => k.kid)).toContain(kid);
    await expect(jwtVerify(idToken, keySet(mock))).rejects.toMatchObject({
      code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    });
  });

  it('unknown-kid: the token names a kid the JWKS does not have', async () => {
    const mock = await mockWith('unknown-kid');
    const { idToken } = await implicitLogin(mock);
    const { kid } = decodeProtectedHeader(idToken);
    expect(kid).toEqual(expect.any(String));
    expect((await jwks(mock)).keys.map((k) => k.kid)).not.toContain(kid);
    await expect(jwtVerify(idToken, keySet(mock))).rejects.toMatchObject({
      code: 'ERR_JWKS_NO_MATCHING_KEY',
    });
  });

  it('alg-none: the token is unsigned', async () => {
    const mock = await mockWith('alg-none');
    const { idToken } = await implicitLogin(mock);
    expect(decodeProtectedHeader(idToken).alg).toBe('none');
    expect(idToken.endsWith('.')).toBe(true);
    expect(decodeJwt(idToken).sub).toBe('7368ed68-b84c-422c-9aa6-e0575b1308a3');
  });

  it('missing-at-hash: an ID token beside an access token has no at_hash', async () => {
    const mock = await mockWith('missing-at-hash');
    const { idToken, params } = await implicitLogin(mock);
    expect(params.get('access_token')).toBeTruthy();
    const { payload } = await jwtVerify(idToken, keySet(mock));
    expect(payload).not.toHaveProperty('at_hash');
  });

  it('bad-at-hash: at_hash does not match the access token', async () => {
    const mock = await mockWith('bad-at-hash');
    const { idToken, params } = await implicitLogin(mock);
    const { payload } = await jwtVerify(idToken, keySet(mock));
    expect(payload.at_hash).toEqual(expect.any(String));
    expect(payload.at_hash).not.toBe(halfHash(params.get('access_token') ?? ''));
  });

  it('rotate-keys: from the second token a new key signs, published only once it has signed one', async () => {
    const mock = await mockWith('rotate-keys');
    const first = await implicitLogin(mock);
    const firstKid = decodeProtectedHeader(first.idToken).kid;
    // A relying party that fetches the key set only when it verifies its first token: it must
    // not find the next key yet, or it would never see a rotation.
    const before = await jwks(mock);
    expect(before.keys.map((k) => k.kid)).toEqual([firstKid]);
    await jwtVerify(first.idToken, createLocalJWKSet(before));

    const second = await implicitLogin(mock);
    const secondKid = decodeProtectedHeader(second.idToken).kid;
    expect(secondKid).not.toBe(firstKid);
    // A client holding the old JWKS cannot verify it; refetching finds the new key.
    await expect(jwtVerify(second.idToken, createLocalJWKSet(before))).rejects.toMatchObject({
      code: 'ERR_JWKS_NO_MATCHING_KEY',
    });
    const after = await jwks(mock);
    expect(after.keys.map((k) => k.kid)).toEqual([firstKid, secondKid]);
    await jwtVerify(second.idToken, createLocalJWKSet(after), { issuer: mock.issuer, audience: 'togo-cli' });
  });

  it('refresh-other-sub: the ID token of a refresh names another user; the login itself is right', async () => {
    const mock = await mockWith('refresh-other-sub');
    const login = await offlineLogin(mock);
    const loginSub = decodeJwt(login.id_token ?? '').sub;
    expect(loginSub).toBe(JOE_SUB);
    const refreshed = await tokenRequest(mock, {
      grant_type: 'refresh_token',
      refresh_token: login.refresh_token ?? '',
    });
    expect(refreshed.status, JSON.stringify(refreshed.body)).toBe(200);
    const { payload } = await jwtVerify(refreshed.body.id_token ?? '', keySet(mock), {
      issuer: mock.issuer,
      audience: 'togo-offline',
    });
    expect(payload.sub).not.toBe(loginSub);
    expect(payload.sub).toEqual(expect.any(String));
  });

  it('wrong-api-audience: a machine token is made out to another API than the one asked for', async () => {
    const mock = await mockWith('wrong-api-audience');
    const resource = 'https://api.example/';
    const r = await tokenRequest(
      mock,
      { grant_type: 'client_credentials', scope: 'api:read', resource },
      'togo-confidential',
    );
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const token = r.body.access_token ?? '';
    await expect(jwtVerify(token, keySet(mock), { audience: resource })).rejects.toMatchObject({
      code: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
      claim: 'aud',
    });
    const { payload } = await jwtVerify(token, keySet(mock), {
      issuer: mock.issuer,
      audience: WRONG_API_AUDIENCE,
    });
    expect(payload.client_id).toBe('togo-confidential');
  });

  it('slow-discovery: the discovery document is held while the rest answers at once', async () => {
    let holding!: () => void;
    const held = new Promise<void>((resolve) => (holding = resolve));
    const mock = await start({
      faults: ['slow-discovery'],
      // Held until the emulator closes: the test sees the hold by its event, not by a clock.
      slowDiscoveryMs: 600_000,
      onEvent: (line) => {
        if (line.includes('fault slow-discovery: holding the discovery document for 600000 ms')) holding();
      },
    });
    running.push(mock);
    let answered = false;
    // Ends when the emulator closes after the test (the hold is aborted then).
    fetch(mock.discoveryUrl).then(
      () => (answered = true),
      () => (answered = true),
    );
    await held;
    const jwks = await fetch(mock.jwksUri);
    expect(jwks.status).toBe(200);
    expect(answered).toBe(false);
  });

  it('slow-discovery: the held document does come, after slowDiscoveryMs', async () => {
    const mock = await start({ faults: ['slow-discovery'], slowDiscoveryMs: 300 });
    running.push(mock);
    const t = performance.now();
    const res = await fetch(mock.discoveryUrl);
    expect(res.status).toBe(200);
    // A lower bound only: a busy machine makes it later, never earlier.
    expect(performance.now() - t).toBeGreaterThanOrEqual(290);
  });

  it('error-access-denied: the login ends with error=access_denied and the state at the redirect URI', async () => {
    const mock = await mockWith('error-access-denied');
    const login = await implicitLogin(mock);
    expect(login.params.get('error')).toBe('access_denied');
    expect(login.params.get('state')).toBe(login.state);
    expect(login.params.get('id_token')).toBeNull();
  });

  it('also breaks the ID token the token endpoint returns in the code flow', async () => {
    const mock = await mockWith('wrong-audience');
    const { verifier, challenge } = pkcePair();
    const arrival = await follow(
      new Agent(),
      authorizeUrl(mock.issuer, {
        client_id: 'togo-cli',
        redirect_uri: REDIRECT_URI,
        response_type: 'code',
        scope: 'openid',
        state: random(),
        code_challenge: challenge,
        code_challenge_method: 'S256',
      }),
      REDIRECT_URI,
    );
    const res = await fetch(mock.tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: arrival.params.get('code') ?? '',
        redirect_uri: REDIRECT_URI,
        client_id: 'togo-cli',
        code_verifier: verifier,
      }),
    });
    const tokens = (await res.json()) as { id_token: string };
    expect(decodeJwt(tokens.id_token).aud).toBe(WRONG_AUDIENCE);
  });

  it('refuses an unknown fault name and lists the valid ones', () => {
    expect(() => parseFaults(['expired-id-token', 'late-token'])).toThrow(/unknown fault "late-token"/);
    let error: unknown;
    try {
      parseFaults(['late-token']);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(TogoError);
    expect((error as TogoError).exitCode).toBe(2);
    for (const name of FAULT_NAMES) expect((error as TogoError).message).toContain(name);
  });
});
