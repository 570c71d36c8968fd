import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockProvider } from '../../../src/index.js';
import type { MockProvider } from '../../../src/mock/types.js';
import { startBin } from '../../helpers/run-cli.js';
import { Agent, confirmDevice } from '../../mock/flow.js';

let mock: MockProvider;
beforeAll(async () => {
  mock = await startMockProvider({ port: 0, autoLogin: 'joe@m.test' });
});
afterAll(() => mock.close());

// Side by side: each run has its own device code.
describe.concurrent('togo login --device', () => {
  it('shows the user code, polls at the interval, and verifies the tokens once the code is confirmed', async () => {
    const run = startBin(['login', '--env', 'mock', '--device', '--json'], { TOGO_MOCK_ISSUER: mock.issuer });
    const [, code] = await run.waitForStderr(/enter the code\s+(\S+)/);
    const [, complete] = await run.waitForStderr(/or open (\S+)/);
    expect(new URL(complete!).searchParams.get('user_code')).toBe(code);
    const page = await confirmDevice(new Agent(), complete!);
    expect(page).toContain('The device is signed in');
    expect(await run.exit).toBe(0);
    const doc = JSON.parse(run.stdout());
    expect(doc.ok).toBe(true);
    expect(doc.flow).toBe('device authorization grant, via device');
    expect(doc.idTokens[0].payload.email).toBe('joe@m.test');
    expect(doc.checks.find((c: { id: string }) => c.id === 'F3').status).toBe('pass');
  }, 30_000);

  it('ends with exit 4 when nobody confirms the code before --wait', async () => {
    const run = startBin(['login', '--env', 'mock', '--device', '--wait', '2'], {
      TOGO_MOCK_ISSUER: mock.issuer,
    });
    expect(await run.exit).toBe(4);
    expect(run.stderr()).toContain('[LOGIN_TIMEOUT]');
  });
});
