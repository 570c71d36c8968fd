/** Verification keys from the network, against canned answers (no server): discovery, then jwks_uri. */
import { describe, expect, it } from 'vitest';
import { TogoError } from '../../src/errors.js';
import { createHttpClient } from '../../src/http/client.js';
import { connectProvider, jwksUrlSource } from '../../src/provider/keys.js';
import { useCannedHttp } from '../helpers/canned-http.js';

const ISSUER = 'https://id.example.test/identity';
const JWKS = { keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y', kid: 'k1' }] };
const canned = useCannedHttp();

function provider(doc: Record<string, unknown>) {
  const http = canned();
  http.reply('GET', `${ISSUER}/.well-known/openid-configuration`, 200, { issuer: ISSUER, ...doc });
  http.reply('GET', `${ISSUER}/jwks`, 200, JWKS);
  return { http, client: createHttpClient({ dispatcher: http.dispatcher }) };
}

describe('keys from a provider', () => {
  it('follows discovery to jwks_uri and keeps the algorithms the provider signs with', async () => {
    const { client } = provider({
      jwks_uri: `${ISSUER}/jwks`,
      id_token_signing_alg_values_supported: ['ES256', 7],
    });
    const connected = await connectProvider(client, ISSUER);
    expect(connected.allowedAlgs).toEqual(['ES256']);
    expect(connected.keys.describe).toBe(`the JWKS at ${ISSUER}/jwks`);
    expect(await connected.keys.load()).toEqual(JWKS);
  });

  it('refetches the JWKS on reload (key rotation), and only then', async () => {
    const { http, client } = provider({ jwks_uri: `${ISSUER}/jwks` });
    const source = jwksUrlSource(client, `${ISSUER}/jwks`);
    await source.load();
    await source.load();
    await source.reload?.();
    expect(http.requests.filter((r) => r.url.endsWith('/jwks'))).toHaveLength(2);
  });

  it('refuses a discovery document without jwks_uri, with a hint', async () => {
    const { client } = provider({});
    const error = await connectProvider(client, ISSUER).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TogoError);
    expect(error).toMatchObject({ code: 'PROVIDER_ERROR', message: expect.stringContaining('no jwks_uri') });
  });
});
