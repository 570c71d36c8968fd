#!/usr/bin/env node
// A browser command for `togo login --browser` in CI: togo passes the login URL as the last
// argument; this script opens it in headless Chromium (playwright-core driving the system's
// Chromium), signs in with a test user's credentials from the environment, and waits until togo's
// loopback page reports the result. togo itself verifies everything; this only plays the user.
//
//   TOGO_TEST_EMAIL=… TOGO_TEST_PASSWORD=… togo login --env staging \
//     --browser "node examples/playwright-login.mjs" --json
//
// Environment: TOGO_TEST_EMAIL, TOGO_TEST_PASSWORD (the test user), TOGO_CHROMIUM (default
// /usr/bin/chromium), TOGO_TEST_EMAIL_SELECTOR / TOGO_TEST_PASSWORD_SELECTOR (when the login page
// uses other fields), TOGO_TEST_TIMEOUT_MS (default 60000).
import { chromium } from 'playwright-core';

const url = process.argv.at(-1);
const email = process.env.TOGO_TEST_EMAIL;
const password = process.env.TOGO_TEST_PASSWORD;
const emailSelector =
  process.env.TOGO_TEST_EMAIL_SELECTOR ??
  'input[type=email], input[name=email], input[name=Username], input[name=username]';
const passwordSelector = process.env.TOGO_TEST_PASSWORD_SELECTOR ?? 'input[type=password]';
const timeout = Number(process.env.TOGO_TEST_TIMEOUT_MS ?? 60_000);

const browser = await chromium.launch({
  executablePath: process.env.TOGO_CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
});
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(timeout);
  await page.goto(url);
  // Sign in when the provider shows its form; a provider that signs in by itself goes straight on.
  const done = page.waitForURL(
    (u) => ['127.0.0.1', '[::1]', 'localhost'].includes(u.hostname) && u.port !== new URL(url).port,
  );
  const form = page.waitForSelector(passwordSelector, { state: 'visible' }).then(() => 'form');
  if ((await Promise.race([done.then(() => 'done'), form])) === 'form') {
    if (!email || !password)
      throw new Error('the login page asks for credentials: set TOGO_TEST_EMAIL and TOGO_TEST_PASSWORD');
    await page.fill(emailSelector, email);
    await page.fill(passwordSelector, password);
    await page.press(passwordSelector, 'Enter');
    await done;
  }
  // togo's page posts the response back and then shows the verdict.
  await page.waitForFunction(() => !document.title.startsWith('togo: completing'), undefined, { timeout });
} finally {
  await browser.close();
}
