import { afterEach, describe, expect, it } from 'vitest';
import { startMockProvider } from '../../../src/index.js';
import type { MockProvider } from '../../../src/mock/types.js';
import { runCli } from '../../helpers/run-cli.js';

let mock: MockProvider | undefined;
afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

describe("login reads the provider's reason the way check does", () => {
  it('an unregistered redirect URI: the reason in one line, not a long URL', async () => {
    mock = await startMockProvider({ port: 0, autoLogin: 'joe@m.test' });
    const env = { TOGO_MOCK_ISSUER: mock.issuer };
    const args = ['--env', 'mock', '--redirect-uri', 'http://localhost/callback'];
    const login = await runCli(['login', ...args, '--headless'], { env, now: Date.now() });
    const check = await runCli(['check', ...args], { env, now: Date.now() });
    expect(check.stdout).toContain('HTTP 400: invalid_redirect_uri');
    const line = login.stderr.split('\n').find((l) => l.startsWith('error'))!;
    expect(line).toContain(
      '[LOGIN_PROVIDER_ERROR] the provider refused the request: HTTP 400: invalid_redirect_uri',
    );
    // The authorize URL's query (client id, state, nonce, …) is not repeated in the error.
    expect(line).not.toContain('?');
    expect(line.length).toBeLessThan(200);
    expect(login.code).toBe(4);
  });
});
