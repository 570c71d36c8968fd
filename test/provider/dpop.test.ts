/**
 * DPoP on the wire against a real local resource server that demands a nonce first (RFC 9449 §9)
 * and then checks the proof as a resource server would.
 */
import { EmbeddedJWK, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../src/http/client.js';
import { accessTokenHash, newDpopKey } from '../../src/oidc/dpop.js';
import { dpopSession, requestWithDpop } from '../../src/provider/dpop.js';
import { startServer, type TestServer } from '../helpers/servers.js';

let server: TestServer;
const proofs: Record<string, unknown>[] = [];

beforeAll(async () => {
  server = await startServer(async (req, res) => {
    const proof = String(req.headers.dpop ?? '');
    const { payload } = await jwtVerify(proof, EmbeddedJWK, { typ: 'dpop+jwt' }).catch(() => ({
      payload: {} as Record<string, unknown>,
    }));
    proofs.push(payload);
    if (payload.nonce !== 'server-nonce-1') {
      res.writeHead(401, {
        'www-authenticate':
          'DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof"',
        'dpop-nonce': 'server-nonce-1',
      });
      return res.end();
    }
    const ok =
      req.headers.authorization === 'DPoP bound-token' &&
      payload.ath === accessTokenHash('bound-token') &&
      payload.htm === 'GET' &&
      payload.htu === `${server.origin}/me`;
    res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok }));
  });
});
afterAll(() => server.close());

describe('a DPoP-bound access token at a resource server', () => {
  it('answers the nonce demand once and is then accepted, with ath and htu as the server checks them', async () => {
    const session = dpopSession(await newDpopKey(), () => Date.now());
    const http = createHttpClient();
    const res = await requestWithDpop(http, `${server.origin}/me?x=1`, {}, session, 'bound-token');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ ok: true });
    expect(proofs).toHaveLength(2);
    expect(proofs[0]!.nonce).toBeUndefined();
    expect(proofs[1]!.nonce).toBe('server-nonce-1');
    expect(proofs[0]!.jti).not.toBe(proofs[1]!.jti);
    // The nonce is remembered for the origin: the next request needs no retry.
    const next = await requestWithDpop(http, `${server.origin}/me`, {}, session, 'bound-token');
    expect(next.status).toBe(200);
    expect(proofs).toHaveLength(3);
    await http.close();
  });
});
