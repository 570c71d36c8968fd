/**
 * togo revoke's own logic, against canned provider answers (no server, no emulator): what it
 * sends (RFC 7009 §2.1), what it prints, and what it makes of an error answer. The whole flow
 * against the real emulator is in test/commands/introspect/introspect-revoke.test.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useCannedHttp } from '../../helpers/canned-http.js';
import { runCli } from '../../helpers/run-cli.js';

const ISSUER = 'https://id.example.test/identity';
const canned = useCannedHttp();

function provider() {
  const http = canned();
  http.reply('GET', `${ISSUER}/.well-known/openid-configuration`, 200, {
    issuer: ISSUER,
    authorization_endpoint: `${ISSUER}/connect/authorize`,
    token_endpoint: `${ISSUER}/connect/token`,
    revocation_endpoint: `${ISSUER}/connect/revocation`,
    jwks_uri: `${ISSUER}/.well-known/openid-configuration/jwks`,
    response_types_supported: ['code'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
  });
  return http;
}

const args = ['revoke', '--issuer', ISSUER, '--client-id', 'my-app', '--token', 'opaque-access-token'];

describe('togo revoke', () => {
  it('posts the token to the revocation endpoint with the client id, and says it was revoked', async () => {
    const http = provider();
    http.reply('POST', `${ISSUER}/connect/revocation`, 200, '');
    const r = await runCli(args, { dispatcher: http.dispatcher });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^revoked the token: /);
    const post = http.requests.find((q) => q.method === 'POST');
    expect(post?.url).toBe(`${ISSUER}/connect/revocation`);
    const form = new URLSearchParams(post?.body);
    expect(form.get('token')).toBe('opaque-access-token');
    expect(form.get('client_id')).toBe('my-app');
  });

  it('--json names the endpoint and a fingerprint of the token, never the token itself', async () => {
    const http = provider();
    http.reply('POST', `${ISSUER}/connect/revocation`, 200, '');
    const r = await runCli([...args, '--json'], { dispatcher: http.dispatcher });
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ ok: true, endpoint: `${ISSUER}/connect/revocation`, clientId: 'my-app' });
    expect(r.stdout).not.toContain('opaque-access-token');
  });

  it('an error answer from the provider ends with its error code and no token printed', async () => {
    const http = provider();
    http.reply('POST', `${ISSUER}/connect/revocation`, 400, { error: 'invalid_client' });
    const r = await runCli(args, { dispatcher: http.dispatcher });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^error \[[A-Z_]+\] .*invalid_client/m);
    expect(r.stderr).toMatch(/^hint: \S/m);
    expect(r.stdout + r.stderr).not.toContain('opaque-access-token');
  });
});

describe('togo revoke --use refresh_token on a session without one', () => {
  it('names a login that returns a refresh token: the code flow with offline_access, and a client that gets one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'togo-revoke-'));
    try {
      const session = join(dir, 'session.json');
      writeFileSync(
        session,
        JSON.stringify({
          version: 1,
          issuer: ISSUER,
          clientId: 'togo-cli',
          tokens: { access_token: 'opaque' },
        }),
        { mode: 0o600 },
      );
      const r = await runCli(['revoke', '--session', session, '--use', 'refresh_token']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('TOKEN_MISSING');
      expect(r.stderr).toContain('--response-type code --scope "openid offline_access" --prompt consent');
      expect(r.stderr).toContain('togo-offline');
      expect(r.stderr).not.toContain('id_token token');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
