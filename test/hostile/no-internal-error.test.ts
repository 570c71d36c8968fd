/**
 * No exit 70 on any input: outside JSON nested far deeper than any real document (an introspection
 * response, a JWKS key member), and a pending-login file missing a member, each end with a one-line
 * error or a result cut with a note, never an internal error.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { depthMarker } from '../../src/oidc/depth.js';
import { runCli } from '../helpers/run-cli.js';
import { sendJson, startServer, type TestServer } from '../helpers/servers.js';
import { CLIENT, ISSUER, makeKey, NOW, signToken } from '../helpers/tokens.js';

const LEVELS = 100_000;
const DEEP_OBJECT = `${'{"a":'.repeat(LEVELS)}1${'}'.repeat(LEVELS)}`;
const dir = mkdtempSync(join(tmpdir(), 'togo-no-70-'));

let server: TestServer;
beforeAll(async () => {
  server = await startServer((req, res, self) => {
    if (req.url === '/.well-known/openid-configuration') {
      return sendJson(res, {
        issuer: self.origin,
        authorization_endpoint: `${self.origin}/authorize`,
        introspection_endpoint: `${self.origin}/introspect`,
        jwks_uri: `${self.origin}/jwks`,
      });
    }
    if (req.url === '/introspect') {
      req.resume();
      return req.on('end', () => sendJson(res, `{"active":true,"scope":"openid","deep":${DEEP_OBJECT}}`));
    }
    res.writeHead(404).end();
  });
});
afterAll(() => server.close());

describe('deep outside JSON', () => {
  it('introspect shows a response nested 100,000 levels deep cut, in text and in --json', async () => {
    const args = ['introspect', '--issuer', server.origin, '--client-id', 'app', '--token', 'tok'];
    const env = { TOGO_CLIENT_SECRET: 's3cret' };
    const human = await runCli(args, { env });
    expect(human.stderr).not.toContain('INTERNAL');
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(depthMarker());
    const json = await runCli([...args, '--json'], { env });
    expect(json.code).toBe(0);
    expect(JSON.stringify(JSON.parse(json.stdout))).toContain(depthMarker());
  });

  it('decode --verify with a JWKS key holding a member nested 100,000 levels deep is not VALID, and not exit 70', async () => {
    const key = await makeKey('RS256');
    const token = await signToken(key);
    const jwks = `{"keys":[${JSON.stringify(key.publicJwk).replace(/}$/, `,"x-deep":${DEEP_OBJECT}}`)}]}`;
    const file = join(dir, 'deep-jwks.json');
    writeFileSync(file, jwks);
    const r = await runCli(
      ['decode', token, '--verify', '--jwks', file, '--issuer', ISSUER, '--client-id', CLIENT],
      {
        now: NOW,
      },
    );
    expect(r.stderr).not.toContain('INTERNAL');
    expect(r.code).not.toBe(70);
    expect(r.stdout).not.toContain('Result: VALID');
  });
});

describe('a pending-login file missing members', () => {
  it.each([['responseType'], ['redirectUri'], ['scope']])(
    'callback with a pending file without %s is unreadable input (exit 2), not an internal error',
    async (member) => {
      const pending: Record<string, unknown> = {
        kind: 'togo-pending-login',
        version: 1,
        createdAt: '2025-01-01T00:00:00.000Z',
        issuer: server.origin,
        clientId: 'app',
        redirectUri: 'http://127.0.0.1:8765/callback',
        responseType: 'id_token',
        scope: 'openid',
        state: 'S'.repeat(32),
        nonce: 'N'.repeat(32),
        url: `${server.origin}/authorize`,
      };
      delete pending[member];
      const file = join(dir, `pending-without-${member}.json`);
      writeFileSync(file, JSON.stringify(pending), { mode: 0o600 });
      const r = await runCli([
        'callback',
        `http://127.0.0.1:8765/callback#state=${'S'.repeat(32)}&id_token=x.y.z`,
        '--pending',
        file,
      ]);
      expect(r.stderr).not.toContain('INTERNAL');
      expect(r.stderr).toContain('[INPUT_UNREADABLE]');
      expect(r.stderr).toContain(member);
      expect(r.code).toBe(2);
    },
  );
});
