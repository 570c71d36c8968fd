/**
 * The browser's part of `togo conformance`: Debian's Chromium driven by playwright-core (nothing is
 * downloaded), one fresh context per login so the application's session cookie never carries
 * over, and a judgement of where the login ended.
 */
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { TogoError } from '../../errors.js';

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/** What the browser saw at the end of a login. */
export interface Evidence {
  /** The page the login ended on. */
  url: string;
  /** The HTTP status of that page; null when none arrived (a timeout, a refused connection). */
  status: number | null;
  /** One line of the page (an error line when there is one), or what went wrong. */
  line: string;
}

export interface Attempt {
  app: 'accepted' | 'rejected';
  evidence: Evidence;
  /** The authorize request the browser made on the way, when it reached the emulator. */
  authorizeUrl?: string;
}

export interface SuccessRule {
  text?: string;
  url?: RegExp;
}

/**
 * The browser for the run: the one at TOGO_BROWSER_ENDPOINT (a Playwright browser server's
 * WebSocket endpoint) when it is set, else Chromium started here. Each login takes a fresh context
 * either way, and closing a connected browser only disconnects from it.
 */
export async function launchChromium(env: Record<string, string | undefined>): Promise<Browser> {
  const endpoint = env.TOGO_BROWSER_ENDPOINT;
  const executablePath = env.TOGO_CHROMIUM ?? DEFAULT_CHROMIUM;
  if (!endpoint && !existsSync(executablePath)) {
    throw new TogoError('BROWSER_UNAVAILABLE', `no Chromium at ${executablePath}`);
  }
  let chromium: typeof import('playwright-core').chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch (error) {
    throw new TogoError('BROWSER_UNAVAILABLE', 'the playwright-core package is not installed', {
      cause: error,
    });
  }
  try {
    if (endpoint) return await chromium.connect(endpoint, { timeout: 30_000 });
    return await chromium.launch({ executablePath, headless: true });
  } catch (error) {
    const first = String((error as Error).message ?? error).split('\n')[0] ?? '';
    const what = endpoint
      ? `no browser answered at TOGO_BROWSER_ENDPOINT`
      : `Chromium at ${executablePath} did not start`;
    throw new TogoError('BROWSER_UNAVAILABLE', `${what}: ${first}`, { cause: error });
  }
}

/** Quiet time after a page loaded before it counts as the end of the login (a script may move on). */
const SETTLE_MS = 500;

const ERROR_LINE = /error|fail|invalid|denied|unauthori[sz]ed|forbidden|expired|mismatch|not allowed/i;

async function pageText(page: Page): Promise<string> {
  try {
    return await page.locator('body').innerText({ timeout: 1000 });
  } catch {
    return '';
  }
}

/** Response parameters that carry credentials: kept out of the evidence (and so out of CI logs). */
const CREDENTIALS = ['code', 'id_token', 'access_token', 'refresh_token'];

/** The URL with the values of credential parameters (query or fragment) replaced by `…`. */
export function redactUrl(href: string): string {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return href;
  }
  const redact = (params: URLSearchParams) => {
    let changed = false;
    for (const name of CREDENTIALS) {
      if (params.has(name)) {
        params.set(name, '…');
        changed = true;
      }
    }
    return changed;
  };
  if (redact(url.searchParams)) url.search = url.searchParams.toString().replaceAll('%E2%80%A6', '…');
  const fragment = new URLSearchParams(url.hash.slice(1));
  if (url.hash && redact(fragment)) url.hash = fragment.toString().replaceAll('%E2%80%A6', '…');
  return url.href.replaceAll('%E2%80%A6', '…');
}

function evidenceLine(text: string): string {
  const all = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const line = all.find((l) => ERROR_LINE.test(l)) ?? all[0] ?? '(empty page)';
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}

/**
 * One login in a fresh context: open the start URL and follow wherever the application and the
 * emulator send the browser, until the page shows success or stays still; never past `timeoutMs`.
 */
export async function attemptLogin(
  browser: Browser,
  startUrl: string,
  success: SuccessRule,
  authorizeEndpoint: string,
  timeoutMs: number,
): Promise<Attempt> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    let status: number | null = null;
    let authorizeUrl: string | undefined;
    page.on('request', (request) => {
      if (request.isNavigationRequest() && request.url().startsWith(authorizeEndpoint)) {
        authorizeUrl ??= request.url();
      }
    });
    page.on('response', (response) => {
      if (response.request().isNavigationRequest() && response.frame() === page.mainFrame()) {
        status = response.status();
      }
    });
    const deadline = Date.now() + timeoutMs;
    const left = () => Math.max(deadline - Date.now(), 1);
    const end = (app: Attempt['app'], line: string): Attempt => ({
      app,
      evidence: { url: redactUrl(page.url()), status, line },
      ...(authorizeUrl ? { authorizeUrl } : {}),
    });
    const succeeded = async (): Promise<{ ok: boolean; text: string }> => {
      const text = await pageText(page);
      if (status !== null && status >= 400) return { ok: false, text };
      if (success.url?.test(page.url())) return { ok: true, text };
      return { ok: success.text !== undefined && text.includes(success.text), text };
    };

    try {
      await page.goto(startUrl, { waitUntil: 'commit', timeout: left() });
    } catch (error) {
      const first = String((error as Error).message ?? error).split('\n')[0] ?? '';
      return end('rejected', `the start URL did not open: ${first}`);
    }
    for (;;) {
      if (Date.now() >= deadline) return end('rejected', `no signed-in page within ${timeoutMs / 1000} s`);
      await page.waitForLoadState('load', { timeout: left() }).catch(() => {});
      const first = await succeeded();
      if (first.ok) return end('accepted', evidenceLine(first.text));
      // A script may still move on (a form_post page submits itself): wait for quiet, or go round.
      const moved = await page
        .waitForEvent('framenavigated', {
          predicate: (frame) => frame === page.mainFrame(),
          timeout: Math.min(SETTLE_MS, left()),
        })
        .then(
          () => true,
          () => false,
        );
      if (moved) continue;
      const last = await succeeded();
      if (last.ok) return end('accepted', evidenceLine(last.text));
      if (Date.now() >= deadline) return end('rejected', `no signed-in page within ${timeoutMs / 1000} s`);
      return end('rejected', evidenceLine(last.text));
    }
  } finally {
    await context.close().catch(() => {});
  }
}
