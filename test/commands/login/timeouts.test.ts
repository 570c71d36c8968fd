import { describe, expect, it } from 'vitest';
import { startMockProvider } from '../../../src/index.js';
import type { FaultName } from '../../../src/mock/types.js';
import { runCli } from '../../helpers/run-cli.js';

/** A login against an emulator of its own, closed after it. */
async function login(args: string[], faults: FaultName[] = []) {
  // A slow discovery is held until the emulator closes: only the deadline can end the request.
  const mock = await startMockProvider({
    port: 0,
    autoLogin: 'joe@m.test',
    faults,
    slowDiscoveryMs: 600_000,
  });
  try {
    return await runCli(['login', '--env', 'mock', ...args], {
      env: { TOGO_MOCK_ISSUER: mock.issuer },
      now: Date.now(),
    });
  } finally {
    await mock.close();
  }
}

// Side by side: each waits out its own one-second deadline.
describe.concurrent('--timeout is the network timeout in login, as in every command; the wait is --wait', () => {
  it('login --timeout 1 ends a slow discovery as a network timeout (exit 3)', async () => {
    const r = await login(['--headless', '--timeout', '1'], ['slow-discovery']);
    expect(r.stderr).toContain('[NET_TIMEOUT]');
    expect(r.code).toBe(3);
  });

  it('the old spelling --http-timeout still works', async () => {
    const r = await login(['--headless', '--http-timeout', '1'], ['slow-discovery']);
    expect(r.stderr).toContain('[NET_TIMEOUT]');
    expect(r.code).toBe(3);
  });

  it('login --device --wait 1 says the wait ended, not that a 10-minute code expired', async () => {
    const r = await login(['--device', '--wait', '1']);
    expect(r.stderr).toContain('The code expires in');
    expect(r.stderr).toContain('[LOGIN_TIMEOUT] the sign-in was not approved within 1 s');
    expect(r.stderr).not.toContain('the device code expired');
    expect(r.code).toBe(4);
  });

  it('login --wait 1 ends the wait for the browser with exit 4', async () => {
    const r = await login(['--wait', '1']);
    expect(r.stderr).toContain('[LOGIN_TIMEOUT] no response reached the redirect URI within 1 s');
    expect(r.stderr).toContain('raise --wait');
    expect(r.code).toBe(4);
  });

  it('login --help names --timeout as the network timeout and --wait as the wait', async () => {
    const r = await runCli(['login', '--help']);
    expect(r.stdout).toMatch(/--timeout <seconds> +network timeout/);
    expect(r.stdout).toMatch(/--wait <seconds> +how long to wait/);
    expect(r.stdout).not.toContain('--http-timeout');
  });
});
