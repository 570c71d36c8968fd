import { describe, expect, it } from 'vitest';
import { createHttpClient } from '../../src/http/client.js';
import { inspectProvider } from '../../src/provider/inspect.js';
import { useCannedHttp } from '../helpers/canned-http.js';
import { sharedJwk } from '../helpers/keys.js';
import { togoDocument } from '../helpers/providers.js';

const ISSUER = 'https://id.example/identity';
const DISCOVERY = `${ISSUER}/.well-known/openid-configuration`;
const canned = useCannedHttp();

describe("inspecting a provider's discovery document and keys", () => {
  it('fetches both and lints both: a private key in the JWKS is a finding', async () => {
    const http = canned();
    const doc = togoDocument(ISSUER);
    http.reply('GET', DISCOVERY, 200, doc);
    const { privateJwk } = sharedJwk('RSA', { kid: 'k1', alg: 'RS256', use: 'sig' });
    http.reply('GET', String(doc.jwks_uri), 200, { keys: [privateJwk] });
    const result = await inspectProvider(createHttpClient({ dispatcher: http.dispatcher }), ISSUER);
    expect(result.discovery.metadata.issuer).toBe(ISSUER);
    expect(result.jwks?.jwks.keys).toHaveLength(1);
    expect(result.findings).toContainEqual(
      expect.objectContaining({ id: 'jwks.no-private', status: 'fail' }),
    );
    expect(http.requests.map((r) => r.url)).toEqual([DISCOVERY, doc.jwks_uri]);
  });

  it('makes a JWKS that cannot be fetched a finding, not an error', async () => {
    const http = canned();
    const doc = togoDocument(ISSUER);
    http.reply('GET', DISCOVERY, 200, doc);
    http.reply('GET', String(doc.jwks_uri), 500, 'down');
    const result = await inspectProvider(createHttpClient({ dispatcher: http.dispatcher }), ISSUER);
    expect(result.jwks).toBeUndefined();
    expect(result.findings.some((f) => f.id.startsWith('jwks.') && f.status === 'fail')).toBe(true);
  });

  it('makes a discovery document that cannot be fetched an error', async () => {
    const http = canned();
    http.reply('GET', DISCOVERY, 404, 'not here');
    await expect(
      inspectProvider(createHttpClient({ dispatcher: http.dispatcher }), ISSUER),
    ).rejects.toMatchObject({
      code: expect.any(String),
      hint: expect.any(String),
    });
  });

  it('fetches no JWKS when the document names none', async () => {
    const http = canned();
    const { jwks_uri: _, ...doc } = togoDocument(ISSUER);
    http.reply('GET', DISCOVERY, 200, doc);
    const result = await inspectProvider(createHttpClient({ dispatcher: http.dispatcher }), ISSUER);
    expect(result.jwks).toBeUndefined();
    expect(http.requests).toHaveLength(1);
  });
});
