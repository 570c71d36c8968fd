/**
 * Completing a code login against a real local token endpoint: the token endpoint's ID token is
 * checked with the code togo holds, so no check asks the user to "pass the code".
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../src/http/client.js';
import { staticKeys } from '../../src/oidc/verify.js';
import { completeLogin } from '../../src/provider/complete-login.js';
import { startServer, type TestServer } from '../helpers/servers.js';
import { CLIENT, makeKey, NOW, signToken, type TestKey } from '../helpers/tokens.js';

const CODE = 'the-code-togo-redeems';
const cHash = (code: string) =>
  createHash('sha256').update(code).digest().subarray(0, 16).toString('base64url');

let server: TestServer;
let key: TestKey;
let claimedCHash = cHash(CODE);

beforeAll(async () => {
  key = await makeKey('RS256');
  server = await startServer(async (_req, res) => {
    const idToken = await signToken(key, { iss: server.origin, nonce: 'n-1', c_hash: claimedCHash });
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify({ access_token: 'at', token_type: 'Bearer', id_token: idToken }));
  });
});
afterAll(() => server.close());

async function login() {
  const http = createHttpClient();
  try {
    return await completeLogin(
      { code: CODE, state: 's-1' },
      {
        issuer: server.origin,
        clientId: CLIENT,
        redirectUri: 'http://127.0.0.1/callback',
        responseType: 'code',
        scope: 'openid',
        state: 's-1',
        nonce: 'n-1',
        codeVerifier: 'v'.repeat(43),
      },
      {
        issuer: server.origin,
        metadata: { issuer: server.origin, token_endpoint: `${server.origin}/token` },
        keys: staticKeys({ keys: [key.publicJwk] }, 'test JWKS'),
        http,
        now: () => NOW,
        clockSkew: 60,
      },
    );
  } finally {
    await http.close();
  }
}

describe("the token endpoint's ID token during a code login", () => {
  it('checks its c_hash against the code togo redeemed', async () => {
    claimedCHash = cHash(CODE);
    const result = await login();
    const d11 = result.idTokens[0]!.verification.checks.find((c) => c.id === 'D11');
    expect(d11).toMatchObject({ status: 'pass', message: 'c_hash matches the code' });
    expect(result.ok).toBe(true);
  });

  it('fails a c_hash that belongs to another code', async () => {
    claimedCHash = cHash('another-code');
    const result = await login();
    const d11 = result.idTokens[0]!.verification.checks.find((c) => c.id === 'D11');
    expect(d11).toMatchObject({ status: 'fail', code: 'TOKEN_C_HASH_MISMATCH' });
    expect(result.ok).toBe(false);
  });
});
