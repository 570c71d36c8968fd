/**
 * togo itself as the relying party: `togo login --env mock --headless --print id_token` prints a
 * token only when it verifies, so every forged ID token of the emulator is refused, where a peer
 * such as oidc-agent hands it out without a word.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runBin } from '../../helpers/run-cli.js';
import { type RunningMock, startTogoMock } from './togo-mock.js';

const running: RunningMock[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((m) => m.stop()));
});

async function login(faults: string[]) {
  const mock = await startTogoMock(faults);
  running.push(mock);
  return runBin(['login', '--env', 'mock', '--headless', '--print', 'id_token'], {
    env: { TOGO_MOCK_ISSUER: mock.issuer, XDG_CONFIG_HOME: '/nonexistent-togo-test-config', NO_COLOR: '1' },
    timeoutMs: 20_000,
  });
}

describe('togo login --env mock --headless --print id_token', () => {
  it('prints the ID token of a login without faults', async () => {
    const result = await login([]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  const forged = [
    'expired-id-token',
    'wrong-audience',
    'wrong-issuer',
    'wrong-nonce',
    'bad-signature',
    'unknown-kid',
    'alg-none',
  ];
  for (const fault of forged) {
    it(`refuses the ID token forged by ${fault}, printing nothing on stdout`, async () => {
      const result = await login([fault]);
      expect(result.code).not.toBe(0);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('not printing the id_token');
    });
  }
});
