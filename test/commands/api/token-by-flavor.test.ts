import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/run-cli.js';
import { sendJson, startServer, type TestServer } from '../../helpers/servers.js';

let api: TestServer;
let dir: string;

beforeAll(async () => {
  api = await startServer((req, res) => {
    if (req.url === '/refuse') {
      res.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"' });
      return res.end();
    }
    sendJson(res, { authorization: req.headers.authorization ?? null });
  });
  dir = mkdtempSync(join(tmpdir(), 'togo-api-flavor-'));
});
afterAll(() => api.close());

function session(name: string, flavor?: 'togo' | 'standard'): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    JSON.stringify({
      version: 1,
      issuer: 'https://id.example.test/identity',
      ...(flavor ? { flavor } : {}),
      tokens: { id_token: 'the-id-token', access_token: 'the-access-token' },
    }),
  );
  return path;
}

async function sent(args: string[], env: Record<string, string> = {}): Promise<string> {
  const r = await runCli(['api', ...args, `${api.origin}/me`, '--json'], { env, cwd: dir });
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout).body.authorization;
}

describe('togo api chooses the token by the provider flavor', () => {
  it('a standard-flavor session sends the access token', async () => {
    expect(await sent(['--session', session('std.json', 'standard')])).toBe('Bearer the-access-token');
  });

  it('a Togo-flavor session sends the ID token, as Togo ID documents', async () => {
    expect(await sent(['--session', session('togo.json', 'togo')])).toBe('Bearer the-id-token');
  });

  it('the flavor chosen for the run wins: --flavor, TOGO_FLAVOR', async () => {
    const togo = session('togo2.json', 'togo');
    expect(await sent(['--session', togo, '--flavor', 'standard'])).toBe('Bearer the-access-token');
    expect(await sent(['--session', session('plain.json')], { TOGO_FLAVOR: 'standard' })).toBe(
      'Bearer the-access-token',
    );
  });

  it('--use overrides the flavor either way', async () => {
    expect(await sent(['--session', session('std2.json', 'standard'), '--use', 'id_token'])).toBe(
      'Bearer the-id-token',
    );
    expect(await sent(['--session', session('togo3.json', 'togo'), '--use', 'access_token'])).toBe(
      'Bearer the-access-token',
    );
  });

  it('says on stderr which token it sends and why', async () => {
    const r = await runCli(['api', '--session', session('std3.json', 'standard'), `${api.origin}/me`]);
    expect(r.stderr).toContain("Sending the access token (the session's standard flavor; --use to choose).");
  });
});

describe('a 401 means the same in api as in userinfo', () => {
  it('TOKEN_REJECTED with exit 3, in text and in JSON', async () => {
    const text = await runCli(['api', '--session', session('r.json', 'togo'), `${api.origin}/refuse`]);
    expect(text.stderr).toContain('[TOKEN_REJECTED]');
    expect(text.code).toBe(3);
    const json = await runCli([
      'api',
      '--session',
      session('r.json', 'togo'),
      `${api.origin}/refuse`,
      '--json',
    ]);
    expect(JSON.parse(json.stdout).error.code).toBe('TOKEN_REJECTED');
    expect(json.code).toBe(3);
  });
});
