import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockProvider } from '../../../src/index.js';
import type { MockProvider } from '../../../src/mock/types.js';
import { runCli } from '../../helpers/run-cli.js';

// Access tokens live 30 s: less than the minute a stored token must have left, so every stored
// token is near expiry at once and no test waits.
let mock: MockProvider;
const dirs: string[] = [];

beforeAll(async () => {
  mock = await startMockProvider({ autoLogin: 'joe@m.test', accessTokenTtl: 30 });
});
afterAll(async () => {
  await mock.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const who = () => ({ TOGO_ISSUER: mock.issuer, TOGO_CLIENT_ID: 'togo-offline' });

function run(argv: string[], state: string) {
  return runCli(argv, { env: { XDG_STATE_HOME: state, ...who() }, now: Date.now() });
}

/** A stored session of togo-offline with a refresh token; returns its state directory. */
async function loggedIn(): Promise<string> {
  const state = mkdtempSync(join(tmpdir(), 'togo-userinfo-store-'));
  dirs.push(state);
  const r = await run(
    [
      'login',
      '--redirect-uri',
      'http://127.0.0.1/callback',
      '--flavor',
      'standard',
      '--response-type',
      'code',
      '--scope',
      'openid offline_access',
      '--prompt',
      'consent',
      '--headless',
    ],
    state,
  );
  expect(r.code).toBe(0);
  return state;
}

function storedTokens(state: string): Record<string, string> {
  const dir = join(state, 'togo');
  const [name] = readdirSync(dir).filter((f) => f.endsWith('.json'));
  return JSON.parse(readFileSync(join(dir, name ?? ''), 'utf8')).tokens;
}

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
    const dir = join(state, 'togo');
    const [name] = readdirSync(dir).filter((f) => f.endsWith('.json'));
    const path = join(dir, name ?? '');
    const text = readFileSync(path, 'utf8');
    const r = await run(['userinfo', '--session', path, '--json'], state);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('Refreshing');
    expect(readFileSync(path, 'utf8')).toBe(text);
  });
});
