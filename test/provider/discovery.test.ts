import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TogoError } from '../../src/errors.js';
import { createHttpClient, type HttpClient } from '../../src/http/client.js';
import {
  assertIssuer,
  type Discovery,
  discoveryCandidates,
  fetchDiscovery,
  fetchJwks,
} from '../../src/provider/discovery.js';
import { type FakeProvider, startProvider, togoDocument } from '../helpers/providers.js';
import { sendJson } from '../helpers/servers.js';

let http: HttpClient;
let provider: FakeProvider;

beforeAll(async () => {
  provider = await startProvider();
});
afterAll(() => provider.close());
afterEach(() => http?.close());

function newClient() {
  http = createHttpClient({ timeoutMs: 1000 });
  return http;
}

describe('discovery locations', () => {
  it('appends the OIDC well-known path after the issuer path, then tries RFC 8414', () => {
    expect(discoveryCandidates('https://id2.runswithtogo.com/identity')).toEqual([
      {
        location: 'oidc',
        url: 'https://id2.runswithtogo.com/identity/.well-known/openid-configuration',
        expectedIssuer: 'https://id2.runswithtogo.com/identity',
      },
      {
        location: 'rfc8414',
        url: 'https://id2.runswithtogo.com/.well-known/oauth-authorization-server/identity',
        expectedIssuer: 'https://id2.runswithtogo.com/identity',
      },
    ]);
  });

  it('removes one trailing slash before appending', () => {
    const [oidc, rfc] = discoveryCandidates('https://id2-staging.runswithtogo.com/');
    expect(oidc?.url).toBe('https://id2-staging.runswithtogo.com/.well-known/openid-configuration');
    expect(oidc?.expectedIssuer).toBe('https://id2-staging.runswithtogo.com/');
    expect(rfc?.url).toBe('https://id2-staging.runswithtogo.com/.well-known/oauth-authorization-server');
  });

  it('takes a full well-known URL as given and derives the issuer from it', () => {
    expect(discoveryCandidates('https://id.example/oidc/.well-known/openid-configuration')).toEqual([
      {
        location: 'given',
        url: 'https://id.example/oidc/.well-known/openid-configuration',
        expectedIssuer: 'https://id.example/oidc',
      },
    ]);
    expect(
      discoveryCandidates('https://id.example/.well-known/oauth-authorization-server/t1')[0],
    ).toMatchObject({
      location: 'given',
      expectedIssuer: 'https://id.example/t1',
    });
  });

  it('rejects what is not an http(s) URL', () => {
    expect(() => discoveryCandidates('id2.runswithtogo.com')).toThrow(
      expect.objectContaining({ code: 'URL_MALFORMED' }),
    );
  });
});

describe('fetchDiscovery', () => {
  it('fetches a Togo ID-shaped document from the OIDC location', async () => {
    const d = await fetchDiscovery(newClient(), provider.issuer);
    expect(d.location).toBe('oidc');
    expect(d.url).toBe(`${provider.issuer}/.well-known/openid-configuration`);
    expect(d.metadata.issuer).toBe(provider.issuer);
    expect(JSON.parse(d.raw)).toEqual(d.metadata);
  });

  it('falls back to the RFC 8414 location on 404', async () => {
    provider.routes.set('/.well-known/oauth-authorization-server/as', (res) =>
      sendJson(res, { ...togoDocument(`${provider.origin}/as`) }),
    );
    const d = await fetchDiscovery(newClient(), `${provider.origin}/as`);
    expect(d.location).toBe('rfc8414');
    expect(d.metadata.issuer).toBe(`${provider.origin}/as`);
  });

  it('names both locations when neither answers', async () => {
    const err = await fetchDiscovery(newClient(), `${provider.origin}/nothing`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TogoError);
    expect((err as TogoError).code).toBe('HTTP_STATUS');
    expect((err as TogoError).message).toContain('/nothing/.well-known/openid-configuration');
    expect((err as TogoError).message).toContain('/.well-known/oauth-authorization-server/nothing');
  });

  it('refuses a document that is not a JSON object', async () => {
    provider.routes.set('/array/.well-known/openid-configuration', (res) => sendJson(res, [1, 2]));
    const err = await fetchDiscovery(newClient(), `${provider.origin}/array`).catch((e: unknown) => e);
    expect((err as TogoError).code).toBe('DISCOVERY_INVALID');
    expect((err as TogoError).exitCode).toBe(3);
  });
});

describe('assertIssuer', () => {
  const discovery = (issuer: unknown): Discovery => ({
    requested: 'x',
    url: 'https://id.example/.well-known/openid-configuration',
    location: 'oidc',
    metadata: { issuer },
    raw: '{}',
    expectedIssuer: 'x',
    contentType: 'application/json',
    status: 200,
  });

  it('accepts an identical issuer', () => {
    expect(() =>
      assertIssuer(discovery('https://id.example/identity'), 'https://id.example/identity'),
    ).not.toThrow();
  });

  it('names a trailing-slash-only difference in the hint', () => {
    try {
      assertIssuer(discovery('https://id.example/'), 'https://id.example');
      expect.unreachable();
    } catch (error) {
      expect((error as TogoError).code).toBe('DISCOVERY_ISSUER_MISMATCH');
      expect((error as TogoError).hint).toContain('trailing slash');
    }
  });

  it('compares code point by code point, without normalising case', () => {
    expect(() =>
      assertIssuer(discovery('https://ID.example/identity'), 'https://id.example/identity'),
    ).toThrow(expect.objectContaining({ code: 'DISCOVERY_ISSUER_MISMATCH' }));
  });
});

describe('fetchJwks', () => {
  it('fetches the keys the document points at', async () => {
    const d = await fetchDiscovery(newClient(), provider.issuer);
    const jwks = await fetchJwks(http, d.metadata.jwks_uri as string);
    expect(jwks.jwks.keys[0]?.kid).toBe('togo-1');
    expect(http.requestCount).toBe(2);
  });

  it('blames the provider for a JWKS without a keys array', async () => {
    provider.routes.set('/bad-jwks', (res) => sendJson(res, { kty: 'RSA' }));
    const err = await fetchJwks(newClient(), `${provider.origin}/bad-jwks`).catch((e: unknown) => e);
    expect((err as TogoError).code).toBe('JWKS_FETCH_INVALID');
    expect((err as TogoError).exitCode).toBe(3);
  });
});
