import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockProvider } from '../../../src/index.js';
import type { MockProvider } from '../../../src/mock/types.js';
import { runCli } from '../../helpers/run-cli.js';

let mock: MockProvider;
let dir: string;
beforeAll(async () => {
  mock = await startMockProvider({ autoLogin: 'joe@m.test' });
  dir = mkdtempSync(join(tmpdir(), 'togo-refresh-hint-'));
});
afterAll(async () => {
  await mock.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Splits a hint's command as a shell would: words, and double-quoted words kept whole. */
function words(command: string): string[] {
  return [...command.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '');
}

describe('revoke --use refresh_token on a session without one', () => {
  it('names a login that returns a refresh token, and that login works', async () => {
    const env = { TOGO_MOCK_ISSUER: mock.issuer };
    const path = join(dir, 'session.json');
    const first = await runCli(['login', '--env', 'mock', '--headless', '--save', path, '-q'], {
      env,
      now: Date.now(),
    });
    expect(first.code).toBe(0);
    const r = await runCli(['revoke', '--session', path, '--use', 'refresh_token'], { env, now: Date.now() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[TOKEN_MISSING]');
    const command = /log in again with: (togo login .*)$/m.exec(r.stderr)?.[1];
    expect(command).toBeDefined();
    // The hint's own command, on the same environment, without a person at the browser; with the
    // emulator's client that may have refresh tokens (togo-cli, like Togo ID, issues none).
    const hinted = [...words(command ?? '').slice(1), '--env', 'mock', '--client-id', 'togo-offline'];
    const again = await runCli([...hinted, '--headless', '-q'], {
      env,
      now: Date.now(),
    });
    expect(again.stderr).not.toContain('error');
    expect(again.code).toBe(0);
    expect(JSON.parse(readFileSync(path, 'utf8')).tokens.refresh_token).toEqual(expect.any(String));
    const revoked = await runCli(['revoke', '--session', path, '--use', 'refresh_token'], {
      env,
      now: Date.now(),
    });
    expect(revoked.code).toBe(0);
  });
});
