/**
 * togo itself as the relying party: `togo login --env mock --headless --print id_token` prints a
 * token only when it verifies, so every forged ID token of the emulator is refused, where a peer
 * such as oidc-agent hands it out without a word.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockProvider } from '../../../src/index.js';
import type { FaultName, MockProvider } from '../../../src/mock/types.js';
import { runBin } from '../../helpers/run-cli.js';

/** One emulator for the file (the server `togo mock` runs), its fault switched per test. */
let mock: MockProvider;
beforeAll(async () => {
  mock = await startMockProvider({ autoLogin: 'joe@m.test' });
});
afterAll(() => mock.close());

async function login(faults: FaultName[]) {
  await mock.setFaults(faults);
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

  const forged: FaultName[] = [
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
