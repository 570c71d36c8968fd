import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockProvider } from '../../../src/index.js';
import type { MockProvider } from '../../../src/mock/types.js';
import { runCli } from '../../helpers/run-cli.js';
import { sendJson, startServer, type TestServer } from '../../helpers/servers.js';
import { implicitTokens, type Tokens, writeSession } from '../../helpers/session.js';

let mock: MockProvider;
let joe: Tokens;
let ada: Tokens;
let dir: string;
let session: string;

beforeAll(async () => {
  mock = await startMockProvider();
  [joe, ada] = await Promise.all([
    implicitTokens(mock, { email: 'joe@m.test' }),
    implicitTokens(mock, { email: 'ada@m.test' }),
  ]);
  dir = mkdtempSync(join(tmpdir(), 'togo-userinfo-'));
  session = writeSession(dir, mock, joe);
});
afterAll(async () => {
  await mock.close();
  rmSync(dir, { recursive: true, force: true });
});

const leaks = (text: string, t: Tokens) =>
  [t.id_token, t.access_token].some((x) => x !== undefined && text.includes(x));

describe('togo userinfo', () => {
  it("shows the user's claims from the session's access token and confirms sub matches the ID token", async () => {
    const r = await runCli(['userinfo', '--session', session]);
    expect(r.stderr).not.toContain('error');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('email');
    expect(r.stdout).toContain('joe@m.test');
    // Togo ID's user claim is expanded as decode does it.
    expect(r.stdout).toContain('Togo ID user');
    expect(r.stdout).toMatch(/Airstream\s+\S+\s+no\s+Campervan Owner/);
    expect(r.stdout).toContain('sub matches');
    expect(r.stderr).toContain(`userinfo_endpoint: ${mock.issuer}/connect/userinfo`);
    expect(leaks(r.stdout + r.stderr, joe)).toBe(false);
  });

  it('prints one JSON document with the claims and the sub comparison', async () => {
    const r = await runCli(['userinfo', '--session', session, '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({
      ok: true,
      format: 'json',
      claims: { email: 'joe@m.test', sub: '7368ed68-b84c-422c-9aa6-e0575b1308a3' },
      subject: { match: true },
    });
    expect(doc.expanded.user.kind).toBe('togo-user');
  });

  it('takes the access token from --token or TOGO_TOKEN, and the ID token from --id-token', async () => {
    const a = await runCli(['userinfo', '--issuer', mock.issuer, '--token', joe.access_token!]);
    expect(a.code).toBe(0);
    expect(a.stdout).toContain('not compared: no ID token');
    const b = await runCli(['userinfo', '--issuer', mock.issuer, '--id-token', joe.id_token], {
      env: { TOGO_TOKEN: joe.access_token },
    });
    expect(b.code).toBe(0);
    expect(b.stdout).toContain('sub matches');
  });

  it("exits 1 when the userinfo sub is not the ID token's (another user's access token)", async () => {
    const r = await runCli([
      'userinfo',
      '--issuer',
      mock.issuer,
      '--token',
      ada.access_token!,
      '--id-token',
      joe.id_token,
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('SUB MISMATCH');
    expect(r.stderr).toContain('[SUB_MISMATCH]');
    const j = await runCli([
      'userinfo',
      '--issuer',
      mock.issuer,
      '--token',
      ada.access_token!,
      '--id-token',
      joe.id_token,
      '--json',
    ]);
    expect(j.code).toBe(1);
    const doc = JSON.parse(j.stdout);
    expect(doc).toMatchObject({ ok: false, subject: { match: false }, error: { code: 'SUB_MISMATCH' } });
  });

  it('exits 3 with a hint when the provider refuses the access token (401)', async () => {
    const r = await runCli(['userinfo', '--issuer', mock.issuer, '--token', 'not-a-real-access-token']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      /\[TOKEN_REJECTED\] the userinfo endpoint refused the access token \(HTTP 401: invalid_token/,
    );
    expect(r.stderr).toContain('expired or lacks the openid scope');
    expect(r.stderr).not.toContain('not-a-real-access-token');
  });

  it('exits 2 and lists the token sources when no token is given', async () => {
    const r = await runCli(['userinfo', '--issuer', mock.issuer]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[TOKEN_MISSING]');
    expect(r.stderr).toMatch(/--token.*--token-file.*--session.*TOGO_TOKEN/);
  });

  it('says which session field is missing', async () => {
    const idOnly = writeSession(dir, mock, { id_token: joe.id_token }, 'togo-cli', 'id-only.json');
    const r = await runCli(['userinfo', '--session', idOnly]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('holds no access_token (it has id_token)');
  });
});

describe('togo userinfo against other providers', () => {
  let server: TestServer;
  const key = new TextEncoder().encode('a-test-key-that-is-long-enough-for-hs256!');
  beforeAll(async () => {
    server = await startServer(async (req, res, self) => {
      const issuer = `${self.origin}/${req.url?.split('/')[1]}`;
      if (req.url?.endsWith('/.well-known/openid-configuration')) {
        const bare = req.url.startsWith('/bare/');
        return sendJson(res, {
          issuer,
          authorization_endpoint: `${issuer}/oauth/authorize`,
          ...(bare ? {} : { userinfo_endpoint: `${issuer}/oauth/userinfo` }),
        });
      }
      if (req.url === '/dashboard/oauth/userinfo') {
        return sendJson(res, { sub: 4217, tenant_name: 'Airstream', tenant_sub: 99 });
      }
      if (req.url === '/signed/oauth/userinfo' || req.url === '/unnamed/oauth/userinfo') {
        // /unnamed leaves out iss and aud, which OIDC Core §5.3.2 says it SHOULD carry.
        const named = req.url.startsWith('/signed/') ? { iss: issuer, aud: 'signed-client' } : {};
        const jwt = await new SignJWT({ sub: 'u-1', email: 'signed@m.test', ...named })
          .setProtectedHeader({ alg: 'HS256' })
          .sign(key);
        res.writeHead(200, { 'content-type': 'application/jwt' }).end(jwt);
        return;
      }
      res.writeHead(404).end();
    });
  });
  afterAll(() => server.close());

  it("warns that the dashboard provider's numeric sub is not a string, and compares it as one", async () => {
    const idToken = await new SignJWT({ sub: '4217' }).setProtectedHeader({ alg: 'HS256' }).sign(key);
    const r = await runCli([
      'userinfo',
      '--issuer',
      `${server.origin}/dashboard`,
      '--token',
      'opaque-access',
      '--id-token',
      idToken,
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("userinfo's sub is a number (4217)");
    expect(r.stdout).toContain('sub matches');
    expect(r.stdout).toContain('Tenant');
    expect(server.requests.find((q) => q.url === '/dashboard/oauth/userinfo')?.headers.authorization).toBe(
      'Bearer opaque-access',
    );
  });

  const secret = { TOGO_CLIENT_SECRET: 'a-test-key-that-is-long-enough-for-hs256!' };
  const signed = (prefix: string, ...extra: string[]) =>
    runCli(['userinfo', '--issuer', `${server.origin}/${prefix}`, '--token', 'x', ...extra], { env: secret });

  it('verifies an HS256-signed (application/jwt) userinfo response with the client secret', async () => {
    const r = await signed('signed', '--client-id', 'signed-client', '--json');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ ok: true, format: 'jwt', claims: { email: 'signed@m.test' } });
    expect(doc.verification).toMatchObject({ ok: true, verdict: 'valid' });
    expect(doc.verification.checks.find((c: { id: string }) => c.id === 'ui.signature')).toMatchObject({
      status: 'pass',
    });
  });

  it('the heading says "signature verified" exactly when the signature check passed', async () => {
    const good = await signed('signed', '--client-id', 'signed-client');
    expect(good.stdout).toMatch(/Userinfo \(signed JWT, signature verified, http/);
    expect(good.stdout).toMatch(/PASS +ui\.signature/);
    expect(good.stdout).toContain('Result: VALID');
    const unverified = await runCli(['userinfo', '--issuer', `${server.origin}/signed`, '--token', 'x']);
    expect(unverified.stdout).toMatch(/Userinfo \(signed JWT, signature not verified, http/);
    expect(unverified.stdout).toMatch(/FAIL +ui\.signature/);
    expect(unverified.code).toBe(1);
  });

  it('a signed response without iss and aud, or checked without a client id, is never a success', async () => {
    const unnamed = await signed('unnamed', '--client-id', 'signed-client', '--json');
    expect(unnamed.code).toBe(1);
    const doc = JSON.parse(unnamed.stdout);
    expect(doc.ok).toBe(false);
    expect(
      doc.verification.checks
        .filter((c: { status: string }) => c.status === 'fail')
        .map((c: { id: string }) => c.id),
    ).toEqual(['ui.iss', 'ui.aud']);
    const noClient = await signed('signed', '--json');
    expect(noClient.code).toBe(1);
    const nc = JSON.parse(noClient.stdout);
    expect(nc).toMatchObject({ ok: false, verification: { verdict: 'audience-not-checked' } });
    expect(nc.error.code).toBe('AUDIENCE_NOT_CHECKED');
  });

  it('shows a signed userinfo response it cannot verify, and fails it', async () => {
    const r = await runCli(['userinfo', '--issuer', `${server.origin}/signed`, '--token', 'x', '--json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ ok: false, format: 'jwt', claims: { email: 'signed@m.test' } });
    expect(doc.verification.checks.find((c: { id: string }) => c.id === 'ui.signature')).toMatchObject({
      status: 'fail',
    });
  });

  it('exits 3 naming userinfo_endpoint when discovery does not advertise one', async () => {
    const r = await runCli(['userinfo', '--issuer', `${server.origin}/bare`, '--token', 'x']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('[PROVIDER_ENDPOINT_MISSING]');
    expect(r.stderr).toContain('userinfo_endpoint');
  });
});
