import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start } from '../../src/mock/server.js';
import type { MockProvider } from '../../src/mock/types.js';

let mock: MockProvider;
beforeAll(async () => {
  mock = await start();
});
afterAll(async () => {
  await mock.close();
});

async function getJson(
  url: string,
): Promise<{ status: number; type: string | null; body: Record<string, unknown> }> {
  const res = await fetch(url);
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    body: (await res.json()) as Record<string, unknown>,
  };
}

describe('the emulator is shaped like Togo ID', () => {
  it('has an issuer ending in /identity on a loopback port', () => {
    expect(mock.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/identity$/);
    expect(mock.discoveryUrl).toBe(`${mock.issuer}/.well-known/openid-configuration`);
  });

  it('publishes a discovery document with the same issuer and IdentityServer paths', async () => {
    const { status, type, body } = await getJson(mock.discoveryUrl);
    expect(status).toBe(200);
    expect(type).toMatch(/^application\/json/);
    expect(body.issuer).toBe(mock.issuer);
    expect(body).toMatchObject({
      authorization_endpoint: `${mock.issuer}/connect/authorize`,
      token_endpoint: `${mock.issuer}/connect/token`,
      userinfo_endpoint: `${mock.issuer}/connect/userinfo`,
      end_session_endpoint: `${mock.issuer}/connect/endsession`,
      revocation_endpoint: `${mock.issuer}/connect/revocation`,
      introspection_endpoint: `${mock.issuer}/connect/introspect`,
      device_authorization_endpoint: `${mock.issuer}/connect/deviceauthorization`,
      jwks_uri: `${mock.issuer}/.well-known/openid-configuration/jwks`,
    });
  });

  it('advertises the scopes, claims, response types and modes Togo ID publishes', async () => {
    const { body } = await getJson(mock.discoveryUrl);
    expect(body.scopes_supported).toEqual(
      expect.arrayContaining(['openid', 'email', 'profile', 'offline_access', 'cosmos']),
    );
    expect([...(body.claims_supported as string[])].sort()).toEqual(
      ['email', 'email_verified', 'family_name', 'given_name', 'name', 'sub', 'user'].sort(),
    );
    expect([...(body.response_types_supported as string[])].sort()).toEqual(
      ['code', 'code id_token', 'code id_token token', 'code token', 'id_token', 'id_token token'].sort(),
    );
    expect(body.response_modes_supported).toEqual(expect.arrayContaining(['fragment', 'query', 'form_post']));
    expect(body.code_challenge_methods_supported).toEqual(['S256']);
    expect(body.id_token_signing_alg_values_supported).toContain('RS256');
    expect(body.subject_types_supported).toEqual(['public']);
  });

  it('advertises logout as Togo ID does: all four channel booleans true', async () => {
    const { body } = await getJson(mock.discoveryUrl);
    expect(body).toMatchObject({
      frontchannel_logout_supported: true,
      frontchannel_logout_session_supported: true,
      backchannel_logout_supported: true,
      backchannel_logout_session_supported: true,
    });
  });

  it('has no empty arrays and only loopback http endpoints, as a discovery linter requires', async () => {
    const { body } = await getJson(mock.discoveryUrl);
    for (const [key, value] of Object.entries(body)) {
      if (Array.isArray(value)) expect(value.length, key).toBeGreaterThan(0);
      if (key.endsWith('_endpoint') || key === 'jwks_uri' || key === 'issuer') {
        expect(new URL(value as string).hostname, key).toBe('127.0.0.1');
      }
    }
  });

  it('publishes one RS256 signing key with a kid and no private parts', async () => {
    const { status, body } = await getJson(`${mock.issuer}/.well-known/openid-configuration/jwks`);
    expect(status).toBe(200);
    const keys = body.keys as Array<Record<string, unknown>>;
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(typeof keys[0]?.kid).toBe('string');
    for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(keys[0]).not.toHaveProperty(secret);
  });

  it('answers outside /identity with a 404 that points at discovery', async () => {
    const res = await fetch(`http://127.0.0.1:${mock.port}/.well-known/openid-configuration`);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain(mock.discoveryUrl);
  });
});
