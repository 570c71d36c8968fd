import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockProvider } from '../../src/index.js';
import type { MockProvider } from '../../src/mock/types.js';
import { HANG_MS } from '../helpers/hang.js';
import { runBin } from '../helpers/run-cli.js';
import { sendJson, startServer, type TestServer } from '../helpers/servers.js';
import { implicitTokens, type Tokens } from '../helpers/session.js';

let mock: MockProvider;
let tokens: Tokens;
let api: TestServer;

beforeAll(async () => {
  mock = await startMockProvider({ autoLogin: 'joe@m.test' });
  tokens = await implicitTokens(mock);
  api = await startServer((req, res) => sendJson(res, { authorization: req.headers.authorization ?? null }));
});
afterAll(async () => {
  await Promise.all([mock.close(), api.close()]);
});

describe('the built binary', () => {
  it('calls userinfo with TOGO_TOKEN and exits when done (no keep-alive socket holds it open)', async () => {
    // runBin kills a process that outlives the bound (a hang); the time it took is not judged here.
    const r = await runBin(['userinfo', '--issuer', mock.issuer, '--id-token', tokens.id_token], {
      env: { TOGO_TOKEN: tokens.access_token ?? '' },
      timeoutMs: HANG_MS,
    });
    expect(r.stderr).not.toContain('error');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('sub matches');
  });

  it('calls an API with the ID token and prints the JSON body', async () => {
    const r = await runBin(['api', `${api.origin}/me`], { env: { TOGO_TOKEN: tokens.id_token } });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ authorization: `Bearer ${tokens.id_token}` });
  });

  it('shows each session command’s help with examples', async () => {
    for (const command of ['userinfo', 'logout-url', 'logout', 'introspect', 'revoke', 'api']) {
      const r = await runBin([command, '--help']);
      expect(r.code, command).toBe(0);
      expect(r.stdout, command).toContain('Examples:');
    }
  });
});
