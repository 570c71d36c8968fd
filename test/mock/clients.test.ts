/**
 * The emulator's machine clients at the token endpoint: client credentials for togo-confidential,
 * and a client registered with private_key_jwt through its public keys.
 */
import {
  createLocalJWKSet,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  type JSONWebKeySet,
  jwtVerify,
  SignJWT,
} from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockProvider } from '../../src/index.js';
import { CONFIDENTIAL_SECRET, MOCK_API_RESOURCE } from '../../src/mock/clients.js';
import type { MockProvider } from '../../src/mock/types.js';

let mock: MockProvider;
type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

let machineKey: PrivateKey;
let strangerKey: PrivateKey;

beforeAll(async () => {
  const machine = await generateKeyPair('ES256', { extractable: true });
  machineKey = machine.privateKey;
  strangerKey = (await generateKeyPair('ES256')).privateKey;
  const pub = { ...(await exportJWK(machine.publicKey)), kid: 'machine-1', use: 'sig', alg: 'ES256' };
  mock = await startMockProvider({
    clients: [
      {
        client_id: 'machine',
        token_endpoint_auth_method: 'private_key_jwt',
        token_endpoint_auth_signing_alg: 'ES256',
        jwks: { keys: [pub] },
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
      },
    ],
  });
});
afterAll(async () => {
  await mock.close();
});

async function token(body: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await fetch(mock.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

const basic = {
  authorization: `Basic ${Buffer.from(`togo-confidential:${CONFIDENTIAL_SECRET}`).toString('base64')}`,
};

async function verifyAccessToken(accessToken: string, audience: string) {
  const jwks = (await (await fetch(mock.jwksUri)).json()) as JSONWebKeySet;
  return jwtVerify(accessToken, createLocalJWKSet(jwks), { issuer: mock.issuer, audience });
}

/** An RFC 7523 client assertion: iss = sub = the client, aud the token endpoint, a jti, a short exp. */
function assertion(key: PrivateKey, clientId = 'machine') {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', kid: 'machine-1' })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(mock.tokenEndpoint)
    .setJti(crypto.randomUUID())
    .setIssuedAt()
    .setExpirationTime('1m')
    .sign(key);
}

describe('client credentials', () => {
  it('gives togo-confidential an RFC 9068 JWT access token whose sub and client_id are the client', async () => {
    const r = await token({ grant_type: 'client_credentials', scope: 'api:read' }, basic);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ token_type: 'Bearer', scope: 'api:read' });
    expect(r.body.id_token).toBeUndefined();
    expect(r.body.refresh_token).toBeUndefined();
    const { payload, protectedHeader } = await verifyAccessToken(
      r.body.access_token ?? '',
      MOCK_API_RESOURCE,
    );
    expect(protectedHeader.typ).toBe('at+jwt');
    expect(payload).toMatchObject({
      sub: 'togo-confidential',
      client_id: 'togo-confidential',
      scope: 'api:read',
    });
    expect(payload.jti).toEqual(expect.any(String));
  });

  it('makes the token out to the resource the request names', async () => {
    const resource = 'https://api.example/';
    const r = await token({ grant_type: 'client_credentials', scope: 'api:write', resource }, basic);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const { payload } = await verifyAccessToken(r.body.access_token ?? '', resource);
    expect(payload.aud).toBe(resource);
  });

  it('refuses the public client togo-cli', async () => {
    const r = await token({ grant_type: 'client_credentials', client_id: 'togo-cli' });
    expect(r.status).toBe(400);
    // oidc-provider: "requested grant type is not allowed for this client".
    expect(r.body.error).toBe('invalid_request');
    expect(r.body.access_token).toBeUndefined();
  });
});

describe('a client registered with private_key_jwt', () => {
  const viaAssertion = async (key: PrivateKey) => ({
    grant_type: 'client_credentials',
    client_id: 'machine',
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: await assertion(key),
  });

  it('authenticates with an assertion signed by the key in its registered JWKS', async () => {
    const r = await token(await viaAssertion(machineKey));
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(decodeProtectedHeader(r.body.access_token ?? '').typ).toBe('at+jwt');
    const { payload } = await verifyAccessToken(r.body.access_token ?? '', MOCK_API_RESOURCE);
    expect(payload).toMatchObject({ sub: 'machine', client_id: 'machine' });
  });

  it('refuses an assertion signed by another key with invalid_client', async () => {
    const r = await token(await viaAssertion(strangerKey));
    expect(r.status).toBe(401);
    expect(r.body.error).toBe('invalid_client');
  });
});
