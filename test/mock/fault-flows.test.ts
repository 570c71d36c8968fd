/**
 * Every fault acts in every flow it names: each ID token fault breaks the ID token of the implicit
 * flow, of the hybrid flow's authorize response and token response, of the code flow and of a
 * refresh; the sign-in fault ends every browser flow. One test per fault and flow.
 */
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, type JSONWebKeySet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start } from '../../src/mock/server.js';
import { WRONG_AUDIENCE, WRONG_ISSUER, WRONG_NONCE } from '../../src/mock/tamper.js';
import type { FaultName, MockProvider } from '../../src/mock/types.js';
import { Agent, authorizeUrl, follow, halfHash, pkcePair, REDIRECT_URI, random } from './flow.js';

interface Issued {
  idToken: string;
  /** The access token that came with it, if any. */
  accessToken: string | undefined;
  nonce: string;
}

type Flow = 'implicit' | 'hybrid (authorize response)' | 'hybrid (token endpoint)' | 'code' | 'refresh';
const FLOWS: Flow[] = [
  'implicit',
  'hybrid (authorize response)',
  'hybrid (token endpoint)',
  'code',
  'refresh',
];

async function tokenRequest(
  mock: MockProvider,
  body: Record<string, string>,
  clientId = 'togo-cli',
): Promise<Record<string, string>> {
  const res = await fetch(mock.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: clientId, ...body }),
  });
  const json = (await res.json()) as Record<string, string>;
  expect(res.status, JSON.stringify(json)).toBe(200);
  return json;
}

async function authorize(
  mock: MockProvider,
  params: Record<string, string>,
  clientId = 'togo-cli',
): Promise<URLSearchParams> {
  const arrival = await follow(
    new Agent(),
    authorizeUrl(mock.issuer, {
      client_id: clientId,
      redirect_uri: REDIRECT_URI,
      state: random(),
      ...params,
    }),
    REDIRECT_URI,
  );
  return arrival.params;
}

/** Runs one flow and returns the ID token it ends with. */
async function issue(mock: MockProvider, flow: Flow): Promise<Issued> {
  const nonce = random();
  const { verifier, challenge } = pkcePair();
  const pkce = { code_challenge: challenge, code_challenge_method: 'S256' };
  if (flow === 'implicit') {
    const p = await authorize(mock, { response_type: 'id_token token', scope: 'openid email', nonce });
    return { idToken: p.get('id_token') ?? '', accessToken: p.get('access_token') ?? undefined, nonce };
  }
  if (flow.startsWith('hybrid')) {
    const p = await authorize(mock, {
      response_type: 'code id_token token',
      scope: 'openid',
      nonce,
      ...pkce,
    });
    if (flow === 'hybrid (authorize response)') {
      return { idToken: p.get('id_token') ?? '', accessToken: p.get('access_token') ?? undefined, nonce };
    }
    const t = await tokenRequest(mock, {
      grant_type: 'authorization_code',
      code: p.get('code') ?? '',
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
    });
    return { idToken: t.id_token ?? '', accessToken: t.access_token, nonce };
  }
  // Refresh tokens come to togo-offline (togo-cli, like Togo ID, issues none).
  const client = flow === 'refresh' ? 'togo-offline' : 'togo-cli';
  const offline: Record<string, string> =
    flow === 'refresh' ? { scope: 'openid offline_access', prompt: 'consent' } : { scope: 'openid' };
  const p = await authorize(mock, { response_type: 'code', nonce, ...pkce, ...offline }, client);
  const t = await tokenRequest(
    mock,
    {
      grant_type: 'authorization_code',
      code: p.get('code') ?? '',
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
    },
    client,
  );
  if (flow === 'code') return { idToken: t.id_token ?? '', accessToken: t.access_token, nonce };
  const r = await tokenRequest(
    mock,
    { grant_type: 'refresh_token', refresh_token: t.refresh_token ?? '' },
    client,
  );
  return { idToken: r.id_token ?? '', accessToken: r.access_token, nonce };
}

async function jwks(mock: MockProvider): Promise<JSONWebKeySet> {
  return (await (await fetch(mock.jwksUri)).json()) as JSONWebKeySet;
}

/** What each ID token fault must have done to the token, checked as an application would. */
const EFFECTS: Partial<Record<FaultName, (mock: MockProvider, t: Issued, flow: Flow) => Promise<void>>> = {
  'expired-id-token': async (mock, t) => {
    await expect(jwtVerify(t.idToken, createLocalJWKSet(await jwks(mock)))).rejects.toMatchObject({
      code: 'ERR_JWT_EXPIRED',
    });
  },
  'wrong-audience': async (_mock, t) => {
    expect(decodeJwt(t.idToken).aud).toBe(WRONG_AUDIENCE);
  },
  'wrong-issuer': async (_mock, t) => {
    expect(decodeJwt(t.idToken).iss).toBe(WRONG_ISSUER);
  },
  'wrong-nonce': async (_mock, t) => {
    expect(decodeJwt(t.idToken).nonce).toBe(WRONG_NONCE);
    expect(WRONG_NONCE).not.toBe(t.nonce);
  },
  'bad-signature': async (mock, t) => {
    const keys = await jwks(mock);
    expect(keys.keys.map((k) => k.kid)).toContain(decodeProtectedHeader(t.idToken).kid);
    await expect(jwtVerify(t.idToken, createLocalJWKSet(keys))).rejects.toMatchObject({
      code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    });
  },
  'unknown-kid': async (mock, t) => {
    await expect(jwtVerify(t.idToken, createLocalJWKSet(await jwks(mock)))).rejects.toMatchObject({
      code: 'ERR_JWKS_NO_MATCHING_KEY',
    });
  },
  'alg-none': async (_mock, t) => {
    expect(decodeProtectedHeader(t.idToken).alg).toBe('none');
    expect(t.idToken.endsWith('.')).toBe(true);
  },
  'missing-at-hash': async (mock, t) => {
    expect(t.accessToken).toEqual(expect.any(String));
    const { payload } = await jwtVerify(t.idToken, createLocalJWKSet(await jwks(mock)));
    expect(payload).not.toHaveProperty('at_hash');
  },
  'bad-at-hash': async (mock, t) => {
    expect(t.accessToken).toEqual(expect.any(String));
    const { payload } = await jwtVerify(t.idToken, createLocalJWKSet(await jwks(mock)));
    expect(payload.at_hash).toEqual(expect.any(String));
    expect(payload.at_hash).not.toBe(halfHash(t.accessToken ?? ''));
  },
};

describe('every ID token fault acts in every flow', () => {
  for (const [fault, effect] of Object.entries(EFFECTS) as Array<
    [FaultName, NonNullable<(typeof EFFECTS)[FaultName]>]
  >) {
    describe(fault, () => {
      let mock: MockProvider;
      beforeAll(async () => {
        mock = await start({ autoLogin: 'joe@m.test', faults: [fault] });
      });
      afterAll(async () => {
        await mock.close();
      });
      for (const flow of FLOWS) {
        it(`breaks the ID token of the ${flow} flow`, async () => {
          await effect(mock, await issue(mock, flow), flow);
        });
      }
    });
  }

  describe('rotate-keys', () => {
    for (const flow of FLOWS) {
      it(`signs the ${flow} flow's later ID tokens with a key published after the first`, async () => {
        const mock = await start({ autoLogin: 'joe@m.test', faults: ['rotate-keys'] });
        try {
          const before = await jwks(mock);
          const first = await issue(mock, flow);
          // The hybrid and refresh flows issue an ID token before the one they end with.
          const firstOfAll = flow === 'implicit' || flow === 'code' || flow === 'hybrid (authorize response)';
          if (firstOfAll) await jwtVerify(first.idToken, createLocalJWKSet(before));
          const second = await issue(mock, flow);
          await expect(jwtVerify(second.idToken, createLocalJWKSet(before))).rejects.toMatchObject({
            code: 'ERR_JWKS_NO_MATCHING_KEY',
          });
          await jwtVerify(second.idToken, createLocalJWKSet(await jwks(mock)), { issuer: mock.issuer });
        } finally {
          await mock.close();
        }
      });
    }
  });

  describe('error-access-denied', () => {
    let mock: MockProvider;
    beforeAll(async () => {
      mock = await start({ autoLogin: 'joe@m.test', faults: ['error-access-denied'] });
    });
    afterAll(async () => {
      await mock.close();
    });
    const browserFlows: Record<string, Record<string, string>> = {
      implicit: { response_type: 'id_token token', scope: 'openid', nonce: random() },
      hybrid: { response_type: 'code id_token', scope: 'openid', nonce: random(), ...pkcePair() },
      code: {
        response_type: 'code',
        scope: 'openid',
        code_challenge: pkcePair().challenge,
        code_challenge_method: 'S256',
      },
    };
    for (const [flow, params] of Object.entries(browserFlows)) {
      it(`ends the ${flow} flow with error=access_denied at the redirect URI`, async () => {
        const { challenge } = pkcePair();
        const p = await authorize(mock, {
          ...params,
          code_challenge: challenge,
          code_challenge_method: 'S256',
        });
        expect(p.get('error')).toBe('access_denied');
        expect(p.get('id_token')).toBeNull();
        expect(p.get('code')).toBeNull();
      });
    }
  });
});
