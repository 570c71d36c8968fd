import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/run-cli.js';
import { sendJson, startServer, type TestServer } from '../../helpers/servers.js';

let api: TestServer;
let dir: string;
beforeAll(async () => {
  api = await startServer((req, res) => sendJson(res, { authorization: req.headers.authorization ?? null }));
  dir = mkdtempSync(join(tmpdir(), 'togo-sources-'));
});
afterAll(async () => {
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, text: string, mode = 0o600): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  chmodSync(path, mode);
  return path;
}

const sent = async (args: string[], env: Record<string, string> = {}) => {
  const r = await runCli(['api', ...args, `${api.origin}/x`, '--json'], { env });
  return { ...r, auth: r.code === 0 ? JSON.parse(r.stdout).body.authorization : undefined };
};

const session = (tokens: Record<string, string>) =>
  JSON.stringify({ version: 1, issuer: 'http://127.0.0.1:1/identity', clientId: 'togo-cli', tokens });

describe('where the session commands find their token', () => {
  it('reads a raw token, or a session file, from --token-file', async () => {
    expect((await sent(['--token-file', file('raw.txt', 'raw-token\n')])).auth).toBe('Bearer raw-token');
    const s = file('s.json', session({ id_token: 'id-1', access_token: 'at-1' }));
    expect((await sent(['--token-file', s])).auth).toBe('Bearer id-1');
    expect((await sent(['--token-file', s, '--use', 'access_token'])).auth).toBe('Bearer at-1');
  });

  it('prefers --token to TOGO_TOKEN, and --session to TOGO_TOKEN', async () => {
    expect((await sent(['--token', 'from-flag'], { TOGO_TOKEN: 'from-env' })).auth).toBe('Bearer from-flag');
    const s = file('s2.json', session({ id_token: 'id-2' }));
    expect((await sent(['--session', s], { TOGO_TOKEN: 'from-env' })).auth).toBe('Bearer id-2');
    expect((await sent([], { TOGO_TOKEN: 'from-env' })).auth).toBe('Bearer from-env');
  });

  it('warns when a session file can be read by other users', async () => {
    const s = file('open.json', session({ id_token: 'id-3' }), 0o644);
    const r = await sent(['--session', s]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('can be read by other users (mode 644); chmod 600 it');
  });

  it('exits 2 naming the problem in a malformed session file, without echoing tokens', async () => {
    const cases: [string, string][] = [
      ['not json', 'not JSON'],
      [JSON.stringify({ version: 2, tokens: { id_token: 'secret-a' } }), 'version is 2'],
      [JSON.stringify({ version: 1 }), '"tokens" is missing'],
      [JSON.stringify({ version: 1, tokens: { id_token: 42 } }), '"tokens.id_token" is not a string'],
      [
        JSON.stringify({ version: 1, tokens: { token_type: 'Bearer' } }),
        'holds no id_token, access_token or refresh_token',
      ],
    ];
    for (const [i, [text, message]] of cases.entries()) {
      const r = await sent(['--session', file(`bad-${i}.json`, text)]);
      expect(r.code, message).toBe(2);
      expect(r.stderr, message).toContain('[SESSION_INVALID]');
      expect(r.stderr, message).toContain(message);
      expect(r.stderr).not.toContain('secret-a');
    }
  });

  it('exits 2 for a token file that cannot be read', async () => {
    const r = await sent(['--token-file', join(dir, 'nope.txt')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[INPUT_UNREADABLE]');
    expect(r.stderr).toContain('ENOENT');
  });
});
