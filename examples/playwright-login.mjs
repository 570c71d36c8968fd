#!/usr/bin/env node
// A browser command for `togo login --browser` (and `togo logout --browser`) in CI: togo passes the
// URL as the last argument; this script opens it in headless Chromium (playwright-core driving the
// system's Chromium) and plays the user until the provider sends the browser back to togo's
// loopback page: it signs in with a test user's credentials when a login form shows, presses the
// consent (or logout confirmation) button when one shows, and waits for togo's page to report the
// result. togo itself verifies everything; this only plays the user.
//
//   TOGO_TEST_EMAIL=… TOGO_TEST_PASSWORD=… togo login --env togo-staging \
//     --browser "node examples/playwright-login.mjs" --json
//
// Environment:
//   TOGO_TEST_EMAIL, TOGO_TEST_PASSWORD   the test user
//   TOGO_TEST_EMAIL_SELECTOR              the login field (default: common email/username fields)
//   TOGO_TEST_PASSWORD_SELECTOR           the password field (default: input[type=password])
//   TOGO_TEST_CONSENT_SELECTOR            the button that grants consent or confirms a logout
//                                         (default: common "Continue", "Allow", "Accept", "Yes" buttons)
//   TOGO_TEST_DONE_TEXT                   a regular expression for a provider's own "signed in" page,
//                                         which ends a device-flow sign-in (default: "Sign-in Success",
//                                         "was successful")
//   TOGO_CHROMIUM                         the browser (default /usr/bin/chromium)
//   TOGO_BROWSER_ENDPOINT                 a running browser to use instead of starting one per login:
//                                         the WebSocket endpoint of a Playwright browser server
//                                         (chromium.launchServer); each login gets a fresh context
//   TOGO_TEST_TIMEOUT_MS                  default 60000
import { chromium } from 'playwright-core';

const url = process.argv.at(-1);
const email = process.env.TOGO_TEST_EMAIL;
const password = process.env.TOGO_TEST_PASSWORD;
const emailSelector =
  process.env.TOGO_TEST_EMAIL_SELECTOR ??
  'input[type=email], input[name=email], input[name=Username], input[name=username], input[name=login]';
const passwordSelector = process.env.TOGO_TEST_PASSWORD_SELECTOR ?? 'input[type=password]';
const consentSelector =
  process.env.TOGO_TEST_CONSENT_SELECTOR ??
  [
    'button[name=logout][value=yes]',
    'button[type=submit]:text-is("Continue")',
    'button:text-is("Allow")',
    'button:text-is("Accept")',
    'button:text-is("Yes")',
    'input[type=submit][value=Continue]',
    'input[type=submit][value=Allow]',
  ].join(', ');
const doneText = new RegExp(process.env.TOGO_TEST_DONE_TEXT ?? 'sign-in success|was successful', 'i');
const timeout = Number(process.env.TOGO_TEST_TIMEOUT_MS ?? 60_000);
const LOOPBACK = ['127.0.0.1', '[::1]', 'localhost'];
const start = new URL(url);
/** togo's own page: a loopback URL other than the provider's (the provider may be on loopback too). */
const atTogo = (u) => LOOPBACK.includes(u.hostname) && u.host !== start.host;

const endpoint = process.env.TOGO_BROWSER_ENDPOINT;
const browser = endpoint
  ? await chromium.connect(endpoint)
  : await chromium.launch({
      executablePath: process.env.TOGO_CHROMIUM ?? '/usr/bin/chromium',
      headless: true,
    });
try {
  // A fresh context: no cookies or storage from an earlier login, whichever browser this is.
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(timeout);
  await page.goto(url);
  const deadline = Date.now() + timeout;
  // Each round: wait until togo's page shows, or a login form, or a consent button; act on it.
  for (let round = 0; ; round++) {
    if (Date.now() > deadline || round > 10) throw new Error(`never reached togo's page from ${url}`);
    const step = await Promise.race([
      page.waitForURL((u) => atTogo(u), { timeout }).then(() => 'done'),
      // The device flow ends on the provider's own page; togo learns of it by polling.
      page
        .getByText(doneText)
        .first()
        .waitFor({ state: 'visible', timeout })
        .then(() => 'provider-done'),
      page
        .locator(passwordSelector)
        .first()
        .waitFor({ state: 'visible', timeout })
        .then(() => 'form'),
      page
        .locator(consentSelector)
        .first()
        .waitFor({ state: 'visible', timeout })
        .then(() => 'consent'),
    ]);
    if (step === 'provider-done') process.exit(0);
    if (step === 'done') break;
    // The action leaves this page (the next one may have the same URL: an interaction's login, then consent).
    const left = page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame(), timeout });
    if (step === 'form') {
      if (!email || !password)
        throw new Error('the login page asks for credentials: set TOGO_TEST_EMAIL and TOGO_TEST_PASSWORD');
      await page.locator(emailSelector).first().fill(email);
      await page.locator(passwordSelector).first().fill(password);
      await page.locator(passwordSelector).first().press('Enter');
    } else {
      await page.locator(consentSelector).first().click();
    }
    await left;
    await page.waitForLoadState('domcontentloaded');
  }
  // togo's page posts the response back and then shows the verdict.
  await page.waitForFunction(() => !document.title.startsWith('togo: completing'), undefined, { timeout });
} finally {
  // A started browser is closed; a connected one keeps running, and loses only this login's context.
  await browser.close();
}
