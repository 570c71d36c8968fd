import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockProvider } from '../../../src/index.js';
import type { MockProvider } from '../../../src/mock/types.js';
import { runCli } from '../../helpers/run-cli.js';
import { sendJson, startServer, type TestServer } from '../../helpers/servers.js';
import { CONFIDENTIAL_SECRET, confidentialTokens, type Tokens, writeSession } from '../../helpers/session.js';

let mock: MockProvider;
let dir: string;
const SECRET = { TOGO_CLIENT_SECRET: CONFIDENTIAL_SECRET };

beforeAll(async () => {
  mock = await startMockProvider({ autoLogin: 'joe@m.test' });
  dir = mkdtempSync(join(tmpdir(), 'togo-introspect-'));
});
afterAll(async () => {
  await mock.close();
  rmSync(dir, { recursive: true, force: true });
});

async function freshSession(name: string): Promise<{ tokens: Tokens; path: string }> {
  const tokens = await confidentialTokens(mock);
  return { tokens, path: writeSession(dir, mock, tokens, 'togo-confidential', name) };
}

describe('togo introspect', () => {
  it('shows an active access token: scope, client, subject and a readable expiry', async () => {
    const { tokens, path } = await freshSession('active.json');
    const r = await runCli(['introspect', '--session', path], { env: SECRET, now: Date.now() });
    expect(r.stderr).not.toContain('error');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/active\s+yes/);
    expect(r.stdout).toMatch(/scope\s+.*openid/);
    expect(r.stdout).toMatch(/client_id\s+togo-confidential/);
    expect(r.stdout).toMatch(/sub\s+7368ed68-b84c-422c-9aa6-e0575b1308a3/);
    expect(r.stdout).toMatch(/exp\s+\d+\s+\d{4}-\d\d-\d\dT\S+Z\s+\(in (1 hour|59 min)\)/);
    expect(r.stderr).toContain('client_secret_basic');
    const all = r.stdout + r.stderr;
    expect(all).not.toContain(tokens.access_token);
    expect(all).not.toContain(CONFIDENTIAL_SECRET);
  });

  it('prints the provider answer as one JSON document', async () => {
    const { path } = await freshSession('json.json');
    const r = await runCli(['introspect', '--session', path, '--json'], { env: SECRET });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({
      ok: true,
      clientId: 'togo-confidential',
      authMethod: 'client_secret_basic',
      tokenTypeHint: 'access_token',
      response: { active: true, client_id: 'togo-confidential' },
    });
    expect(doc.token).toMatch(/^sha256:[0-9a-f]{12}$/);
  });

  it('exits 1 for a token the provider does not know (inactive)', async () => {
    const r = await runCli(
      ['introspect', '--issuer', mock.issuer, '--client-id', 'togo-confidential', '--token', 'no-such-token'],
      { env: SECRET },
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/active\s+no/);
    expect(r.stderr).toContain('not active');
  });

  it('exits 3 with a hint about TOGO_CLIENT_SECRET when the confidential client does not authenticate', async () => {
    const { path } = await freshSession('nosecret.json');
    const r = await runCli(['introspect', '--session', path]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('[PROVIDER_ERROR]');
    expect(r.stderr).toContain('invalid_client');
    expect(r.stderr).toContain('TOGO_CLIENT_SECRET');
    const wrong = await runCli(['introspect', '--session', path], { env: { TOGO_CLIENT_SECRET: 'wrong' } });
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toContain('its secret (TOGO_CLIENT_SECRET) or key (--client-key) is wrong');
  });
});

describe('togo revoke', () => {
  it('revokes the access token, after which introspection shows it inactive', async () => {
    const { tokens, path } = await freshSession('revoke.json');
    const r = await runCli(['revoke', '--session', path], { env: SECRET });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^revoked the access token: (opaque token|JWT) sha256:[0-9a-f]{12}/);
    expect(r.stdout + r.stderr).not.toContain(tokens.access_token);
    const after = await runCli(['introspect', '--session', path, '--json'], { env: SECRET });
    expect(after.code).toBe(1);
    expect(JSON.parse(after.stdout)).toMatchObject({ ok: false, response: { active: false } });
  });

  it("revokes the session's refresh token with --use refresh_token", async () => {
    const { tokens, path } = await freshSession('refresh.json');
    expect(tokens.refresh_token).toBeTruthy();
    const before = await runCli(['introspect', '--session', path, '--use', 'refresh_token'], { env: SECRET });
    expect(before.code).toBe(0);
    const r = await runCli(['revoke', '--session', path, '--use', 'refresh_token', '--json'], {
      env: SECRET,
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      ok: true,
      revoked: { kind: 'refresh_token', tokenTypeHint: 'refresh_token' },
    });
    const after = await runCli(['introspect', '--session', path, '--use', 'refresh_token'], { env: SECRET });
    expect(after.code).toBe(1);
  });
});

describe('client authentication and hints with other providers', () => {
  let server: TestServer;
  const bodies: Record<string, string> = {};
  beforeAll(async () => {
    server = await startServer((req, res, self) => {
      const issuer = `${self.origin}/${req.url?.split('/')[1]}`;
      if (req.url?.endsWith('/.well-known/openid-configuration')) {
        return sendJson(res, {
          issuer,
          authorization_endpoint: `${issuer}/authorize`,
          introspection_endpoint: `${issuer}/introspect`,
          ...(req.url.startsWith('/post/')
            ? { introspection_endpoint_auth_methods_supported: ['client_secret_post'] }
            : {}),
        });
      }
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        bodies[req.url ?? ''] = body;
        sendJson(res, { active: true, scope: 'openid', client_id: 'app', exp: 1735693200 });
      });
    });
  });
  afterAll(() => server.close());

  it('sends the secret in the body when the provider lists only client_secret_post', async () => {
    const r = await runCli(
      [
        'introspect',
        '--issuer',
        `${server.origin}/post`,
        '--client-id',
        'app',
        '--token',
        'tok',
        '--token-type-hint',
        'refresh_token',
      ],
      { env: { TOGO_CLIENT_SECRET: 's3cr et' } },
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('client_secret_post');
    const req = server.requests.find((q) => q.url === '/post/introspect');
    expect(req?.headers.authorization).toBeUndefined();
    expect(Object.fromEntries(new URLSearchParams(bodies['/post/introspect']))).toEqual({
      token: 'tok',
      token_type_hint: 'refresh_token',
      client_id: 'app',
      client_secret: 's3cr et',
    });
    // exp as a date, relative to the run's clock (2025-01-01T00:00:00Z)
    expect(r.stdout).toMatch(/exp\s+1735693200\s+2025-01-01T01:00:00Z\s+\(in 1 hour\)/);
  });

  it('uses client_secret_basic (form-urlencoded, RFC 6749 §2.3.1) by default', async () => {
    const r = await runCli(
      ['introspect', '--issuer', `${server.origin}/basic`, '--client-id', 'app', '--token', 'tok'],
      {
        env: { TOGO_CLIENT_SECRET: 's3cr et' },
      },
    );
    expect(r.code).toBe(0);
    const req = server.requests.find((q) => q.url === '/basic/introspect');
    expect(req?.headers.authorization).toBe(`Basic ${Buffer.from('app:s3cr+et').toString('base64')}`);
    expect(bodies['/basic/introspect']).toBe('token=tok');
  });

  it('exits 3 naming revocation_endpoint when the provider has none', async () => {
    const r = await runCli([
      'revoke',
      '--issuer',
      `${server.origin}/basic`,
      '--client-id',
      'app',
      '--token',
      'tok',
    ]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('[PROVIDER_ENDPOINT_MISSING]');
    expect(r.stderr).toContain('revocation_endpoint');
  });

  it('exits 2 when no client id is configured', async () => {
    const r = await runCli(['introspect', '--issuer', `${server.origin}/basic`, '--token', 'tok']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[SETTING_MISSING]');
  });
});
