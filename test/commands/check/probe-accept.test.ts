/**
 * The client probe asks for the authorize endpoint as a browser navigating to it would: some
 * providers answer any other Accept as an API call (a JSON error instead of the login page), so a
 * correct registration would read FAIL. The pushed request is a back-channel POST and asks for JSON.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/run-cli.js';
import { sendJson, startServer, type TestServer } from '../../helpers/servers.js';

const NAVIGATION = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';
let provider: TestServer;
let requirePar = false;

beforeAll(async () => {
  provider = await startServer((req, res, self) => {
    const url = new URL(req.url ?? '/', self.origin);
    if (url.pathname === '/.well-known/openid-configuration') {
      return sendJson(res, {
        issuer: self.origin,
        authorization_endpoint: `${self.origin}/authorize`,
        token_endpoint: `${self.origin}/token`,
        jwks_uri: `${self.origin}/jwks`,
        pushed_authorization_request_endpoint: `${self.origin}/par`,
        require_pushed_authorization_requests: requirePar,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
      });
    }
    if (url.pathname === '/jwks') return sendJson(res, { keys: [] });
    if (url.pathname === '/par') return sendJson(res, { request_uri: 'urn:par:1', expires_in: 60 }, 201);
    if (url.pathname === '/authorize') {
      // Like the provider that prompted this: a request that does not look like a navigation is an API call.
      if (!req.headers.accept?.startsWith('text/html,application/xhtml+xml')) {
        return sendJson(res, { error: '9' }, 401);
      }
      res.writeHead(302, { location: `${self.origin}/login` });
      return res.end();
    }
    sendJson(res, {}, 404);
  });
});
afterAll(() => provider.close());

const check = () =>
  runCli([
    'check',
    '--issuer',
    provider.origin,
    '--client-id',
    'app',
    '--redirect-uri',
    'http://127.0.0.1/callback',
    '--response-type',
    'code',
    '--json',
  ]);

const probeOf = (stdout: string) =>
  (JSON.parse(stdout).checks as { id: string; status: string; message: string }[]).find(
    (c) => c.id === 'probe.authorize',
  );

describe("check's client probe", () => {
  it("sends a browser's navigation Accept, so a provider that tells pages from API calls shows its login page", async () => {
    requirePar = false;
    provider.requests.length = 0;
    const r = await check();
    expect(probeOf(r.stdout)).toMatchObject({ status: 'pass' });
    const authorize = provider.requests.filter((q) => q.url.startsWith('/authorize'));
    expect(authorize.length).toBeGreaterThan(0);
    for (const q of authorize) expect(q.headers.accept).toBe(NAVIGATION);
  });

  it('pushes the request (PAR) asking for JSON, then navigates to the request_uri as a browser would', async () => {
    requirePar = true;
    provider.requests.length = 0;
    const r = await check();
    expect(probeOf(r.stdout)?.message).toContain('through a pushed request (PAR)');
    const push = provider.requests.find((q) => q.url === '/par');
    expect(push?.method).toBe('POST');
    expect(push?.headers.accept).toBe('application/json');
    const navigation = provider.requests.find(
      (q) => q.url.startsWith('/authorize?') && q.url.includes('request_uri'),
    );
    expect(navigation?.headers.accept).toBe(NAVIGATION);
  });
});
