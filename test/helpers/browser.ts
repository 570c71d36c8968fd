/**
 * A real headless browser for tests: Debian's Chromium driven by playwright-core (nothing is
 * downloaded; `scripts/ensure-chromium.sh` installs the browser). Launch once per test file with
 * `useBrowser()`, and take a fresh context per test, so cookies never leak between tests.
 *
 * Every request to a host other than loopback is refused, so a page that reaches for the internet
 * (fonts, analytics) fails at once instead of stalling the test.
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

export const CHROMIUM = process.env.TOGO_CHROMIUM ?? '/usr/bin/chromium';

const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);

export interface TestBrowser {
  /** A new, isolated context that only talks to loopback hosts; closed after the file. */
  context(): Promise<BrowserContext>;
}

/** Registers beforeAll/afterAll hooks that launch and close one browser for the calling file. */
export function useBrowser(): TestBrowser {
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  });
  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close().catch(() => {})));
    await browser?.close();
  });
  return {
    async context() {
      if (!browser)
        throw new Error('useBrowser(): the browser is not launched yet (call context() inside a test)');
      const context = await browser.newContext();
      contexts.push(context);
      await context.route('**/*', (route) => {
        const { protocol, hostname } = new URL(route.request().url());
        const local = protocol === 'data:' || protocol === 'about:' || LOOPBACK.has(hostname);
        return local ? route.continue() : route.abort('blockedbyclient');
      });
      return context;
    },
  };
}

/**
 * One Chromium for the file that `examples/playwright-login.mjs` connects to (TOGO_BROWSER_ENDPOINT)
 * instead of starting its own for each login; each login still gets a fresh context.
 */
export function useBrowserServer(): { endpoint(): string } {
  let server: import('playwright-core').BrowserServer | undefined;
  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    server = await chromium.launchServer({ executablePath: CHROMIUM, headless: true });
  });
  afterAll(async () => {
    await server?.close();
  });
  return {
    endpoint() {
      if (!server) throw new Error('useBrowserServer(): the browser is not launched yet');
      return server.wsEndpoint();
    },
  };
}
