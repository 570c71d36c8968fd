/**
 * The emulator's ID tokens have the shape of Togo ID's: the seed token from Togo ID's implicit
 * flow page is the reference, header and claims alike.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIDENTIAL_SECRET } from '../../src/mock/clients.js';
import { start } from '../../src/mock/server.js';
import type { MockProvider } from '../../src/mock/types.js';
import { Agent, authorizeUrl, follow, halfHash, pkcePair, REDIRECT_URI, random } from './flow.js';

const SEED = readFileSync(join(import.meta.dirname, '../fixtures/seed-id-token.txt'), 'utf8').trim();

let mock: MockProvider;
beforeAll(async () => {
  mock = await start({ autoLogin: 'joe@m.test' });
});
afterAll(async () => {
  await mock.close();
});

async function implicitIdToken(): Promise<{ token: string; nonce: string }> {
  const nonce = random();
  const arrival = await follow(
    new Agent(),
    authorizeUrl(mock.issuer, {
      client_id: 'togo-cli',
      nonce,
      state: random(),
      redirect_uri: REDIRECT_URI,
      response_type: 'id_token',
      scope: 'openid email profile',
    }),
    REDIRECT_URI,
  );
  return { token: arrival.params.get('id_token') ?? '', nonce };
}

async function codeFlowTokens(): Promise<Record<string, string>> {
  const { verifier, challenge } = pkcePair();
  const arrival = await follow(
    new Agent(),
    authorizeUrl(mock.issuer, {
      client_id: 'togo-confidential',
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      scope: 'openid email profile',
      state: random(),
      nonce: random(),
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }),
    REDIRECT_URI,
  );
  const res = await fetch(mock.tokenEndpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`togo-confidential:${CONFIDENTIAL_SECRET}`).toString('base64')}`,
    },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: arrival.params.get('code') ?? '',
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
    }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, string>;
}

describe('emulator ID tokens are shaped like Togo ID tokens', () => {
  it('carries every header field and claim the seed token carries, and sid and auth_time', async () => {
    const { token } = await implicitIdToken();
    const seedHeader = Object.keys(decodeProtectedHeader(SEED)).sort();
    const seedClaims = Object.keys(decodeJwt(SEED)).sort();
    expect(Object.keys(decodeProtectedHeader(token)).sort()).toEqual(seedHeader);
    const claims = Object.keys(decodeJwt(token));
    expect(seedClaims.filter((c) => !claims.includes(c))).toEqual([]);
    expect(claims).toEqual(expect.arrayContaining(['auth_time', 'sid']));
  });

  it('names its key by the certificate thumbprint, as IdentityServer: kid in hex, x5t in base64url', async () => {
    const { token } = await implicitIdToken();
    const header = decodeProtectedHeader(token);
    expect(header).toMatchObject({ alg: 'RS256', typ: 'JWT' });
    expect(header.kid).toMatch(/^[0-9A-F]{40}$/);
    expect(
      Buffer.from(header.x5t ?? '', 'base64url')
        .toString('hex')
        .toUpperCase(),
    ).toBe(header.kid);

    const jwks = (await (await fetch(mock.jwksUri)).json()) as { keys: Array<Record<string, unknown>> };
    const key = jwks.keys.find((k) => k.kid === header.kid);
    expect(key).toMatchObject({ kty: 'RSA', use: 'sig', alg: 'RS256', x5t: header.x5t });
    const der = Buffer.from((key?.x5c as string[] | undefined)?.[0] ?? '', 'base64');
    const certificate = new X509Certificate(der);
    expect(createHash('sha1').update(der).digest('hex').toUpperCase()).toBe(header.kid);
    // The certificate holds the very key the JWKS publishes.
    expect(certificate.publicKey.export({ format: 'jwk' }).n).toBe(key?.n);
    await jwtVerify(token, createRemoteJWKSet(new URL(mock.jwksUri)), { issuer: mock.issuer });
  });

  it("carries Togo's claims with Togo's values: azp is the client, nbf is now, usage is id_token", async () => {
    const { token, nonce } = await implicitIdToken();
    const payload = decodeJwt(token);
    expect(payload).toMatchObject({ aud: 'togo-cli', azp: 'togo-cli', usage: 'id_token', nonce });
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(Math.abs((payload.nbf ?? 0) - (payload.iat ?? 0))).toBeLessThanOrEqual(1);
    expect(payload.auth_time).toBeLessThanOrEqual(payload.iat ?? 0);
    expect(typeof payload.sid).toBe('string');
    const second = decodeJwt((await implicitIdToken()).token);
    expect(second.jti).not.toBe(payload.jti);
  });

  it('gives the token endpoint ID token the same shape, with the at_hash of its access token', async () => {
    const tokens = await codeFlowTokens();
    const idToken = tokens.id_token ?? '';
    expect(Object.keys(decodeProtectedHeader(idToken)).sort()).toEqual(['alg', 'kid', 'typ', 'x5t']);
    const { payload } = await jwtVerify(idToken, createRemoteJWKSet(new URL(mock.jwksUri)), {
      issuer: mock.issuer,
      audience: 'togo-confidential',
    });
    expect(payload).toMatchObject({ azp: 'togo-confidential', usage: 'id_token' });
    expect(payload.at_hash).toBe(halfHash(tokens.access_token ?? ''));
    expect(payload.sid).toEqual(expect.any(String));
  });

  it('keeps the protocol claims out of userinfo', async () => {
    const tokens = await codeFlowTokens();
    const res = await fetch(`${mock.issuer}/connect/userinfo`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    const info = (await res.json()) as Record<string, unknown>;
    expect(info.email).toBe('joe@m.test');
    for (const claim of ['usage', 'jti', 'nbf', 'azp', 'auth_time']) expect(info).not.toHaveProperty(claim);
  });
});
