import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startMockProvider } from '../../../src/index.js';
import type { MockProvider } from '../../../src/mock/types.js';
import { runCli } from '../../helpers/run-cli.js';

let mock: MockProvider | undefined;
afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

describe('a session saved by the default login, given to the session commands', () => {
  it('login warns that the session has no access token and names the response type that gives one', async () => {
    mock = await startMockProvider({ port: 0, autoLogin: 'joe@m.test' });
    const env = { TOGO_MOCK_ISSUER: mock.issuer };
    const cwd = mkdtempSync(join(tmpdir(), 'togo-save-'));
    const login = await runCli(['login', '--env', 'mock', '--headless', '--save', 's.json'], {
      env,
      cwd,
      now: Date.now(),
    });
    expect(login.code).toBe(0);
    // The session records the flavor, so `togo api` knows which token the provider's APIs take.
    expect(JSON.parse(readFileSync(join(cwd, 's.json'), 'utf8')).flavor).toBe('togo');
    expect(login.stderr).toMatch(
      /warning: the saved session holds no access token.*--response-type "id_token token"/,
    );

    const userinfo = await runCli(['userinfo', '--session', 's.json', '--env', 'mock'], {
      env,
      cwd,
      now: Date.now(),
    });
    expect(userinfo.code).toBe(2);
    expect(userinfo.stderr).toContain('[TOKEN_MISSING]');
    expect(userinfo.stderr).toMatch(/hint: .*--response-type "id_token token"/);
  });

  it('a login with --response-type "id_token token" saves a session userinfo can use', async () => {
    mock = await startMockProvider({ port: 0, autoLogin: 'joe@m.test' });
    const env = { TOGO_MOCK_ISSUER: mock.issuer };
    const cwd = mkdtempSync(join(tmpdir(), 'togo-save-'));
    const login = await runCli(
      ['login', '--env', 'mock', '--headless', '--response-type', 'id_token token', '--save', 's.json'],
      { env, cwd, now: Date.now() },
    );
    expect(login.code).toBe(0);
    expect(login.stderr).not.toContain('holds no access token');
    const userinfo = await runCli(['userinfo', '--session', 's.json', '--env', 'mock', '--json'], {
      env,
      cwd,
      now: Date.now(),
    });
    expect(userinfo.code).toBe(0);
    expect(JSON.parse(userinfo.stdout).claims.email).toBe('joe@m.test');
  });
});
