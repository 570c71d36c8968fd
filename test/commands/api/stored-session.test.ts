import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockProvider } from '../../../src/index.js';
import type { MockProvider } from '../../../src/mock/types.js';
import { sendJson, startServer, type TestServer } from '../../helpers/servers.js';
import { useOfflineStore } from '../../helpers/store.js';

// Access tokens live 30 s: less than the minute a stored token must have left, so every stored
// token is near expiry at once and no test waits.
let mock: MockProvider;
let api: TestServer;

beforeAll(async () => {
  mock = await startMockProvider({ autoLogin: 'joe@m.test', accessTokenTtl: 30 });
  api = await startServer((req, res) => sendJson(res, { authorization: req.headers.authorization ?? null }));
});
afterAll(async () => {
  await Promise.all([mock.close(), api.close()]);
});

const { run, loggedIn, storedTokens } = useOfflineStore(() => mock);

describe('api with the stored session', () => {
  it('refreshes a token near expiry first and sends the new one', async () => {
    const state = await loggedIn();
    const before = storedTokens(state);
    const r = await run(['api', `${api.origin}/me`, '--use', 'access_token', '--json'], state);
    expect(r.stderr).not.toContain('error');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Refreshing the stored session');
    expect(r.stderr).toContain('(refreshed)');
    const after = storedTokens(state);
    expect(after.access_token).not.toBe(before.access_token);
    // The rotated refresh token replaced the spent one.
    expect(after.refresh_token).not.toBe(before.refresh_token);
    expect(JSON.parse(r.stdout).body).toEqual({ authorization: `Bearer ${after.access_token}` });
    expect(r.stdout + r.stderr).not.toContain(before.access_token);
  });

  it('and togo token at the same time refresh once: the rotated refresh token is never used twice', async () => {
    const state = await loggedIn();
    const [a, t] = await Promise.all([
      run(['api', `${api.origin}/me`, '--use', 'access_token', '--json'], state),
      run(['token', '--json', '--min-ttl', '60'], state),
    ]);
    expect(a.stderr + t.stderr).not.toContain('invalid_grant');
    expect([a.code, t.code]).toEqual([0, 0]);
    // Had both used the same refresh token, the emulator would have ended the grant: the stored
    // refresh token must still be good.
    const again = await run(['token', '--refresh', '--json'], state);
    expect(again.stderr).not.toContain('invalid_grant');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).source).toBe('refresh');
  });
});
