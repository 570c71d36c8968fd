/**
 * The page a person sees in the browser after `togo login`: who signed in, their organizations
 * and roles, the verdict; read as text in a real Chromium, under the listener's own CSP.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startMockProvider } from '../../../src/index.js';
import type { MockProvider } from '../../../src/mock/types.js';
import { DEFAULT_USERS } from '../../../src/mock/users.js';
import { useBrowser } from '../../helpers/browser.js';
import { startBin } from '../../helpers/run-cli.js';

const browser = useBrowser();
let mock: MockProvider | undefined;
afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

async function loginInBrowser(args: string[], user = 'joe@m.test') {
  const run = startBin(['login', '--env', 'mock', ...args], { TOGO_MOCK_ISSUER: mock!.issuer });
  const [, url] = await run.waitForStderr(/Login URL: (\S+)/);
  const context = await browser.context();
  const page = await context.newPage();
  const hosts = new Set<string>();
  const policies: string[] = [];
  page.on('request', (r) => hosts.add(new URL(r.url()).host));
  page.on('response', (r) => {
    const csp = r.headers()['content-security-policy'];
    if (csp && new URL(r.url()).host !== new URL(mock!.issuer).host) policies.push(csp);
  });
  await page.goto(url!);
  await page.fill('input[name=email]', user);
  await page.fill('input[type=password]', 'togo-mock');
  await page.press('input[type=password]', 'Enter');
  await expect.poll(() => page.title(), { timeout: 15_000 }).toBe('Login verified');
  await expect.poll(() => page.locator('#rows dt').count(), { timeout: 5_000 }).toBeGreaterThan(2);
  const text = (await page.textContent('body')) ?? '';
  const markup = await page.content();
  expect(await run.exit).toBe(0);
  return { text, markup, hosts, policies };
}

describe('the browser tab after a login shows the result a person came for', () => {
  it.each([
    ['implicit, fragment (captured by the page script)', []],
    [
      'code, form_post (answered by the listener)',
      ['--response-type', 'code', '--response-mode', 'form_post'],
    ],
  ])('%s: who, organizations and roles, verdict', async (_what, args) => {
    mock = await startMockProvider({ port: 0 });
    const { text, hosts, policies } = await loginInBrowser(args);
    expect(text).toContain('Signed in as');
    expect(text).toContain('Joe Marsh <joe@m.test>');
    expect(text).toContain('Airstream: Campervan Owner');
    expect(text).toContain('Joe Marsh: no roles (administrator)');
    expect(text).toMatch(/VALID: \d+ checks passed/);
    // Only loopback was contacted, and the listener's page came with its strict policy.
    expect([...hosts].every((h) => h.startsWith('127.0.0.1:'))).toBe(true);
    expect(policies.length).toBeGreaterThan(0);
    for (const p of policies) expect(p).toContain("default-src 'none'");
  });

  it("shows the provider's words as text, never as markup", async () => {
    const joe = DEFAULT_USERS[0]!;
    mock = await startMockProvider({
      port: 0,
      users: [{ ...joe, name: '<img src=x id=injected>Joe', email: 'joe@m.test' }],
    });
    const { text, markup } = await loginInBrowser([]);
    expect(text).toContain('<img src=x id=injected>Joe <joe@m.test>');
    expect(markup).not.toContain('<img src="x" id="injected">');
    expect(markup).not.toContain('<img src=x id=injected>');
  });
});
