/**
 * `togo login` end to end: the built binary, the emulator, and Debian's Chromium driven by
 * playwright-core, through Togo's login page with a real sign-in form.
 */

import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockProvider } from '../../../src/index.js';
import type { MockProvider } from '../../../src/mock/types.js';
import { CHROMIUM, useBrowser, useBrowserServer } from '../../helpers/browser.js';
import { HANG_MS } from '../../helpers/hang.js';
import { runBin, startBin } from '../../helpers/run-cli.js';

const SIGN_IN = fileURLToPath(new URL('../../../examples/playwright-login.mjs', import.meta.url));
const browser = useBrowser();
const shared = useBrowserServer();
let mock: MockProvider;
let env: Record<string, string>;

beforeAll(async () => {
  mock = await startMockProvider({ port: 0 });
  env = {
    TOGO_MOCK_ISSUER: mock.issuer,
    TOGO_CHROMIUM: CHROMIUM,
    TOGO_TEST_EMAIL: 'joe@m.test',
    TOGO_TEST_PASSWORD: 'togo-mock',
  };
});
afterAll(() => mock.close());

describe('togo login --browser (a scripted Chromium signs in on the login page)', () => {
  // The code flow's recipe starts Chromium itself, as the docs show it; the others connect to one
  // browser for the file (TOGO_BROWSER_ENDPOINT), as a CI job with many logins would.
  it.each([
    ['id_token', []],
    ['id_token token', []],
    ['code', []],
    ['code id_token', ['--response-mode', 'form_post']],
  ])('%s %j: verified, with the user claim decoded', async (responseType, extra) => {
    const browserEnv: Record<string, string> =
      responseType === 'code' ? {} : { TOGO_BROWSER_ENDPOINT: shared.endpoint() };
    const r = await runBin(
      [
        'login',
        '--env',
        'mock',
        '--response-type',
        responseType,
        ...extra,
        '--browser',
        `node ${SIGN_IN}`,
        '--wait',
        '30',
        '--json',
      ],
      { env: { ...env, ...browserEnv }, timeoutMs: 45_000 },
    );
    expect(r.stderr).toContain('Redirect URI: http://127.0.0.1:');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.ok).toBe(true);
    expect(doc.idTokens[0].expanded.user.organizations[1]).toMatchObject({
      name: 'Airstream',
      roles: ['Campervan Owner'],
    });
  });
});

describe('the loopback listener during a login', () => {
  it('refuses a response with the wrong state, keeps waiting, then accepts the real one', async () => {
    const run = startBin(
      ['login', '--env', 'mock', '--response-type', 'code', '--response-mode', 'form_post'],
      env,
    );
    const [, url] = await run.waitForStderr(/Login URL: (\S+)/);
    const [, redirect] = await run.waitForStderr(/Redirect URI: (\S+)/);
    const forged = await fetch(redirect!, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'code=stolen&state=not-the-state',
    });
    expect(forged.status).toBe(400);
    await run.waitForStderr(/ignored a response with another state/);

    const context = await browser.context();
    const page = await context.newPage();
    await page.goto(url!);
    await page.fill('input[name=email]', 'joe@m.test');
    await page.fill('input[type=password]', 'togo-mock');
    await page.press('input[type=password]', 'Enter');
    await expect.poll(() => page.title(), { timeout: 15_000 }).toBe('Login verified');
    expect(await run.exit).toBe(0);
    expect(run.stdout()).toContain('Result: VALID');
    // The listener is gone once the result is in.
    await expect(fetch(redirect!)).rejects.toThrow();
  });

  it('shows the capture page in the browser and says the login succeeded (implicit, fragment)', async () => {
    const run = startBin(['login', '--env', 'mock'], env);
    const [, url] = await run.waitForStderr(/Login URL: (\S+)/);
    const context = await browser.context();
    const page = await context.newPage();
    await page.goto(url!);
    await page.fill('input[name=email]', 'joe@m.test');
    await page.fill('input[type=password]', 'togo-mock');
    await page.press('input[type=password]', 'Enter');
    await expect.poll(() => page.title(), { timeout: 15_000 }).toBe('Login verified');
    expect(await page.textContent('h1')).toBe('Login verified');
    // The tokens left the address bar once captured.
    expect(new URL(page.url()).hash).toBe('');
    expect(await run.exit).toBe(0);
  });

  it('times out with exit 4 and lists the likely causes', async () => {
    // runBin kills the process at the bound, which only a hang reaches.
    const r = await runBin(['login', '--env', 'mock', '--wait', '1'], { env, timeoutMs: HANG_MS });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('[LOGIN_TIMEOUT] no response reached the redirect URI within 1 s');
    expect(r.stderr).toContain('redirect URI is not registered');
  });

  it('stops on Ctrl-C with exit 130 and closes the listener', async () => {
    const run = startBin(['login', '--env', 'mock'], env);
    const [, redirect] = await run.waitForStderr(/Redirect URI: (\S+)/);
    run.child.kill('SIGINT');
    expect(await run.exit).toBe(130);
    expect(run.stderr()).toContain('[INTERRUPTED]');
    await expect(fetch(redirect!)).rejects.toThrow();
  });

  it('names the port when the redirect URI port is taken (exit 2)', async () => {
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const port = (busy.address() as AddressInfo).port;
    try {
      const r = await runBin(
        ['login', '--env', 'mock', '--redirect-uri', `http://127.0.0.1:${port}/callback`],
        { env },
      );
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`[PORT_IN_USE] port ${port} on 127.0.0.1 is already in use`);
    } finally {
      busy.close();
    }
  });
});

describe('the split login', () => {
  it('composes the URL here, signs in elsewhere, and verifies the pasted redirect URL', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'togo-split-'));
    const pending = join(dir, 'pending.json');
    const composed = await runBin(
      ['login-url', '--env', 'mock', '--response-type', 'code', '-q', '--save', pending],
      { env },
    );
    expect(composed.code).toBe(0);
    const url = composed.stdout.split('\n')[0]!;

    // "Another machine": a browser that signs in; nothing listens at the redirect URI.
    const context = await browser.context();
    const page = await context.newPage();
    const arrived = new Promise<string>((resolve) => {
      page.on('request', (req) => {
        if (req.url().startsWith('http://127.0.0.1/callback')) resolve(req.url());
      });
    });
    await page.goto(url);
    await page.fill('input[name=email]', 'joe@m.test');
    await page.fill('input[type=password]', 'togo-mock');
    await page.press('input[type=password]', 'Enter');
    const redirect = await arrived;

    const r = await runBin(['callback', redirect, '--pending', pending], { env });
    expect(r.stdout).toContain('Result: VALID');
    expect(r.code).toBe(0);
    const again = await runBin(
      ['callback', redirect.replace(/state=[^&]+/, 'state=forged'), '--pending', pending],
      { env },
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('[STATE_MISMATCH]');
  });
});
