import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockProvider } from '../../../src/index.js';
import type { MockProvider } from '../../../src/mock/types.js';
import { useOfflineStore } from '../../helpers/store.js';

// Access tokens live 30 s: less than the minute a stored token must have left, so every stored
// token is near expiry at once and no test waits.
let mock: MockProvider;

beforeAll(async () => {
  mock = await startMockProvider({ autoLogin: 'joe@m.test', accessTokenTtl: 30 });
});
afterAll(async () => {
  await mock.close();
});

const { run, loggedIn, sessionFile, storedTokens } = useOfflineStore(() => mock);

describe('userinfo with the stored session', () => {
  it('refreshes a token near expiry first, and the provider accepts the new one', async () => {
    const state = await loggedIn();
    const before = storedTokens(state);
    const r = await run(['userinfo', '--json'], state);
    expect(r.stderr).not.toContain('error');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Refreshing the stored session');
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, subject: { match: true } });
    expect(storedTokens(state).access_token).not.toBe(before.access_token);
  });

  it('sends a session file named with --session as it is, and never rewrites it', async () => {
    const state = await loggedIn();
    const path = sessionFile(state);
    const text = readFileSync(path, 'utf8');
    const r = await run(['userinfo', '--session', path, '--json'], state);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('Refreshing');
    expect(readFileSync(path, 'utf8')).toBe(text);
  });
});
