import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockProvider } from '../../../src/index.js';
import type { MockProvider } from '../../../src/mock/types.js';
import { runCli } from '../../helpers/run-cli.js';
import { freePort, sendJson, startServer, type TestServer } from '../../helpers/servers.js';
import { implicitTokens, type Tokens, writeSession } from '../../helpers/session.js';

let mock: MockProvider;
let tokens: Tokens;
let dir: string;
let session: string;
let api: TestServer;
let elsewhere: TestServer;

/** An API that echoes what it received, and a few that answer badly. */
beforeAll(async () => {
  mock = await startMockProvider({ autoLogin: 'joe@m.test' });
  tokens = await implicitTokens(mock);
  dir = mkdtempSync(join(tmpdir(), 'togo-api-'));
  session = writeSession(dir, mock, tokens);
  elsewhere = await startServer((req, res) =>
    sendJson(res, { at: 'elsewhere', authorization: req.headers.authorization ?? null }),
  );
  api = await startServer((req, res, self) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const path = req.url ?? '/';
      if (path === '/echo') {
        return sendJson(res, {
          method: req.method,
          contentType: req.headers['content-type'] ?? null,
          trace: req.headers['x-trace'] ?? null,
          body,
        });
      }
      if (path === '/me') return sendJson(res, { name: 'Joe Marsh', orgs: ['Airstream'] });
      if (path === '/text') {
        res.writeHead(200, { 'content-type': 'text/plain', 'x-request-id': 'r-1' }).end('plain {not json}\n');
        return;
      }
      if (path === '/missing') return sendJson(res, { error: 'not_found' }, 404);
      if (path === '/refuse') {
        res
          .writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token", error_description="expired"' })
          .end();
        return;
      }
      if (path === '/boom') return sendJson(res, { error: 'server_error' }, 500);
      if (path === '/same') {
        res.writeHead(302, { location: '/me' }).end();
        return;
      }
      if (path === '/cross') {
        res.writeHead(302, { location: `${elsewhere.origin}/landing` }).end();
        return;
      }
      if (path === '/keep-post') {
        res.writeHead(307, { location: `${self.origin}/echo` }).end();
        return;
      }
      res.writeHead(404).end();
    });
  });
});
afterAll(async () => {
  await Promise.all([mock.close(), api.close(), elsewhere.close()]);
  rmSync(dir, { recursive: true, force: true });
});

const authOf = (server: TestServer, url: string) =>
  server.requests.filter((r) => r.url === url).at(-1)?.headers.authorization;

describe('togo api', () => {
  it("sends the session's ID token as a Bearer token (Togo ID's APIs take it) and pretty-prints JSON", async () => {
    const r = await runCli(['api', '--session', session, `${api.origin}/me`]);
    expect(r.code).toBe(0);
    expect(authOf(api, '/me')).toBe(`Bearer ${tokens.id_token}`);
    expect(r.stdout).toBe('{\n  "name": "Joe Marsh",\n  "orgs": [\n    "Airstream"\n  ]\n}\n');
    expect(r.stderr).toContain('HTTP 200 OK');
    expect(r.stdout + r.stderr).not.toContain(tokens.id_token);
  });

  it('sends the access token with --use access_token, and a token from TOGO_TOKEN or --token as it is', async () => {
    await runCli(['api', '--session', session, '--use', 'access_token', `${api.origin}/me`]);
    expect(authOf(api, '/me')).toBe(`Bearer ${tokens.access_token}`);
    await runCli(['api', `${api.origin}/me`], { env: { TOGO_TOKEN: tokens.id_token } });
    expect(authOf(api, '/me')).toBe(`Bearer ${tokens.id_token}`);
    await runCli(['api', '--token', `Bearer ${tokens.access_token}`, `${api.origin}/me`]);
    expect(authOf(api, '/me')).toBe(`Bearer ${tokens.access_token}`);
  });

  it('sends -X, -H and -d like curl: JSON bodies as application/json, others as a form', async () => {
    const put = await runCli([
      'api',
      '--session',
      session,
      '-X',
      'put',
      '-H',
      'X-Trace: abc 123',
      '-d',
      '{"name":"Airstream"}',
      '--json',
      `${api.origin}/echo`,
    ]);
    expect(put.code).toBe(0);
    expect(JSON.parse(put.stdout).body).toEqual({
      method: 'PUT',
      contentType: 'application/json',
      trace: 'abc 123',
      body: '{"name":"Airstream"}',
    });
    const form = await runCli(['api', '--session', session, '-d', 'a=1&b=2', '--json', `${api.origin}/echo`]);
    expect(JSON.parse(form.stdout).body).toMatchObject({
      method: 'POST',
      contentType: 'application/x-www-form-urlencoded',
      body: 'a=1&b=2',
    });
    writeFileSync(join(dir, 'body.json'), '{"from":"file"}');
    const file = await runCli(
      ['api', '--session', session, '-d', '@body.json', '--json', `${api.origin}/echo`],
      {
        cwd: dir,
      },
    );
    expect(JSON.parse(file.stdout).body).toMatchObject({ method: 'POST', body: '{"from":"file"}' });
    const stdin = await runCli(['api', '--session', session, '-d', '@-', '--json', `${api.origin}/echo`], {
      stdin: '{"from":"stdin"}',
    });
    expect(JSON.parse(stdin.stdout).body).toMatchObject({ body: '{"from":"stdin"}' });
  });

  it('prints the status line and headers before the body with -i, and a non-JSON body as it came', async () => {
    const r = await runCli(['api', '--session', session, '-i', `${api.origin}/text`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^HTTP\/1\.1 200 OK\n/);
    expect(r.stdout).toContain('\nx-request-id: r-1\n');
    expect(r.stdout).toContain('content-type: text/plain\n');
    expect(r.stdout.endsWith('\n\nplain {not json}\n')).toBe(true);
  });

  it('exits 1 on 4xx and 5xx, still printing the body, with one JSON document under --json', async () => {
    const missing = await runCli(['api', '--session', session, `${api.origin}/missing`]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('{\n  "error": "not_found"\n}\n');
    expect(missing.stderr).toContain('[API_STATUS] HTTP 404 Not Found');
    const boom = await runCli(['api', '--session', session, '--json', `${api.origin}/boom`]);
    expect(boom.code).toBe(1);
    expect(JSON.parse(boom.stdout)).toMatchObject({
      ok: false,
      status: 500,
      body: { error: 'server_error' },
      error: { code: 'API_STATUS' },
    });
  });

  it('explains a 401: the token expired or is the wrong kind', async () => {
    const r = await runCli(['api', '--session', session, `${api.origin}/refuse`]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('[TOKEN_REJECTED]');
    expect(r.stderr).toContain('HTTP 401 Unauthorized');
    expect(r.stderr).toContain('(invalid_token: expired)');
    expect(r.stderr).toContain('--use access_token');
  });

  it('exits 3 when nothing listens', async () => {
    const port = await freePort();
    const r = await runCli(['api', '--session', session, `http://127.0.0.1:${port}/me`]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('[NET_REFUSED]');
  });

  it('does not follow redirects without -L, and keeps the token on a same-origin redirect with -L', async () => {
    const plain = await runCli(['api', '--session', session, `${api.origin}/same`]);
    expect(plain.code).toBe(0);
    expect(plain.stderr).toContain('HTTP 302 Found');
    expect(plain.stderr).toContain('add -L to follow');
    const follow = await runCli(['api', '--session', session, '-L', `${api.origin}/same`]);
    expect(follow.code).toBe(0);
    expect(JSON.parse(follow.stdout)).toEqual({ name: 'Joe Marsh', orgs: ['Airstream'] });
    expect(authOf(api, '/me')).toBe(`Bearer ${tokens.id_token}`);
  });

  it('never sends the Authorization header to another origin after a redirect', async () => {
    const r = await runCli(['api', '--session', session, '-L', '--json', `${api.origin}/cross`]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.body).toEqual({ at: 'elsewhere', authorization: null });
    expect(doc.redirects).toEqual([`${elsewhere.origin}/landing`]);
    expect(elsewhere.requests.at(-1)?.headers.authorization).toBeUndefined();
    expect(r.stderr).toContain(
      `redirected to another origin (${elsewhere.origin}); not sending authorization there`,
    );
  });

  it('keeps the method and body on a 307 redirect', async () => {
    const r = await runCli([
      'api',
      '--session',
      session,
      '-L',
      '-d',
      '{"k":1}',
      '--json',
      `${api.origin}/keep-post`,
    ]);
    expect(JSON.parse(r.stdout).body).toMatchObject({ method: 'POST', body: '{"k":1}' });
  });

  it('uses an Authorization header given with -H instead of a token', async () => {
    const r = await runCli(['api', '-H', 'Authorization: Basic dXNlcjpwdw==', `${api.origin}/me`]);
    expect(r.code).toBe(0);
    expect(authOf(api, '/me')).toBe('Basic dXNlcjpwdw==');
  });

  it('exits 2 on a missing token, a bad header or a bad URL', async () => {
    const none = await runCli(['api', `${api.origin}/me`]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("[TOKEN_MISSING] no ID token (Togo ID's APIs take the ID token) given");
    const header = await runCli(['api', '--session', session, '-H', 'no colon here', `${api.origin}/me`]);
    expect(header.code).toBe(2);
    expect(header.stderr).toContain('-H takes "Name: value"');
    const url = await runCli(['api', '--session', session, 'api.example/v1/me']);
    expect(url.code).toBe(2);
    expect(url.stderr).toContain('[URL_MALFORMED]');
  });
});
