import { afterEach, describe, expect, it } from 'vitest';
import { TogoError } from '../../src/errors.js';
import { createHttpClient, type HttpClient } from '../../src/http/client.js';
import {
  CookieJar,
  confirmationForm,
  deadline,
  formPostResponse,
  runHeadless,
  runHeadlessLogout,
  sameTarget,
} from '../../src/provider/headless.js';
import { type CannedHttp, useCannedHttp } from '../helpers/canned-http.js';

const OP = 'https://op.example';
const REDIRECT = 'http://127.0.0.1:8400/callback';

const canned = useCannedHttp();
let http: HttpClient | undefined;
afterEach(() => {
  http?.close();
  http = undefined;
});

function setup(): { c: CannedHttp; http: HttpClient } {
  const c = canned();
  http = createHttpClient({ timeoutMs: 5000, dispatcher: c.dispatcher });
  return { c, http };
}

describe('the cookie jar', () => {
  it('sends a cookie back to its host under its path, and forgets an expired one', () => {
    const jar = new CookieJar();
    jar.store(new URL(`${OP}/account/login`), ['sid=abc; Path=/; HttpOnly', 'step=1; Path=/account']);
    expect(jar.header(new URL(`${OP}/account/consent`))).toBe('sid=abc; step=1');
    expect(jar.header(new URL(`${OP}/accounting`))).toBe('sid=abc');
    expect(jar.header(new URL('https://other.example/'))).toBeUndefined();
    jar.store(new URL(`${OP}/logout`), ['sid=; Path=/; Max-Age=0']);
    expect(jar.header(new URL(`${OP}/`))).toBeUndefined();
  });
});

describe('reading a response page', () => {
  it('reads a form_post page that posts hidden inputs to the redirect URI', () => {
    const html = `<form method="post" action="${REDIRECT}"><input type="hidden" name="code" value="a&amp;b"><input type="hidden" name="state" value='s1'></form>`;
    expect(formPostResponse(html, REDIRECT)).toEqual({ code: 'a&b', state: 's1' });
    expect(formPostResponse(html.replace(REDIRECT, 'https://evil.example/cb'), REDIRECT)).toBeUndefined();
    expect(formPostResponse(html.replace('post', 'get'), REDIRECT)).toBeUndefined();
  });

  it('matches the redirect URI on any port only when the configured one names none', () => {
    expect(sameTarget('http://127.0.0.1:5555/callback', 'http://127.0.0.1/callback')).toBe(true);
    expect(sameTarget('http://127.0.0.1:5555/callback', REDIRECT)).toBe(false);
    expect(sameTarget(`${REDIRECT}?code=1`, REDIRECT)).toBe(true);
    expect(sameTarget('http://127.0.0.1:8400/other', REDIRECT)).toBe(false);
    expect(sameTarget('not a url', REDIRECT)).toBe(false);
  });

  it('finds the sign-out form and the submit button that belongs to it', () => {
    const html =
      '<form id="f" method="post" action="/logout/confirm"><input type="hidden" name="csrf" value="t"></form><button type="submit" form="f" name="yes" value="1">Sign out</button>';
    expect(confirmationForm(html, new URL(`${OP}/logout`))).toEqual({
      action: `${OP}/logout/confirm`,
      body: 'csrf=t&yes=1',
    });
    expect(confirmationForm('<form method="get"></form>', new URL(OP))).toBeUndefined();
  });
});

describe('a headless login', () => {
  it('follows the redirects with cookies until the provider sends the response back', async () => {
    const { c, http } = setup();
    c.reply('GET', `${OP}/authorize?x=1`, 302, '', { location: '/login', 'set-cookie': 'sid=abc; Path=/' });
    c.reply('GET', `${OP}/login`, 302, '', { location: `${REDIRECT}#code=c1&state=s1` });
    const arrival = await runHeadless(http, `${OP}/authorize?x=1`, REDIRECT);
    expect(arrival).toEqual({
      response: { code: 'c1', state: 's1' },
      via: 'fragment',
      trail: [`${OP}/authorize?x=1`, `${OP}/login`, `${REDIRECT}#code=c1&state=s1`],
    });
    expect(c.requests[1]?.headers.cookie).toBe('sid=abc');
    expect(c.requests.some((r) => r.url.startsWith(REDIRECT))).toBe(false);
  });

  it('says a person is needed when the provider shows its login page', async () => {
    const { c, http } = setup();
    c.reply('GET', `${OP}/authorize`, 200, '<form>Sign in</form>');
    await expect(runHeadless(http, `${OP}/authorize`, REDIRECT)).rejects.toMatchObject({
      code: 'LOGIN_INTERACTION_REQUIRED',
    });
  });

  it("fails with the provider's reason on an error status, and stops a redirect loop", async () => {
    const { c, http } = setup();
    c.reply('GET', `${OP}/authorize`, 400, { error: 'invalid_request', error_description: 'bad scope' });
    await expect(runHeadless(http, `${OP}/authorize`, REDIRECT)).rejects.toMatchObject({
      code: 'LOGIN_PROVIDER_ERROR',
      message: expect.stringContaining('invalid_request'),
    });
    c.reply('GET', `${OP}/loop`, 302, '', { location: '/loop' });
    await expect(runHeadless(http, `${OP}/loop`, REDIRECT, { maxHops: 3 })).rejects.toMatchObject({
      code: 'LOGIN_PROVIDER_ERROR',
      message: 'no way back to the redirect URI after 3 redirects',
    });
    expect(c.requests.filter((r) => r.url === `${OP}/loop`)).toHaveLength(3);
  });

  it('stops with the deadline error once the deadline has passed, without another request', async () => {
    const { c, http } = setup();
    const d = deadline(0, () => new TogoError('LOGIN_TIMEOUT', 'the headless login took too long'));
    await new Promise((resolve) => d.signal.addEventListener('abort', resolve, { once: true }));
    await expect(runHeadless(http, `${OP}/authorize`, REDIRECT, { signal: d.signal })).rejects.toMatchObject({
      code: 'LOGIN_TIMEOUT',
    });
    expect(c.requests).toHaveLength(0);
  });
});

describe('a headless logout', () => {
  it('confirms the sign-out page by posting its form, then visits the post-logout redirect URI', async () => {
    const { c, http } = setup();
    const back = 'http://127.0.0.1:8400/signed-out';
    c.reply(
      'GET',
      `${OP}/logout`,
      200,
      '<form method="post" action="/logout/confirm"><input type="hidden" name="xsrf" value="t"><button type="submit">Yes</button></form>',
    );
    c.reply('POST', `${OP}/logout/confirm`, 302, '', { location: back });
    c.reply('GET', back, 200, 'bye');
    const { trail } = await runHeadlessLogout(http, `${OP}/logout`, back);
    expect(trail).toEqual([`${OP}/logout`, `${OP}/logout/confirm`, back]);
    const posted = c.requests.find((r) => r.method === 'POST');
    expect(posted?.body).toBe('xsrf=t');
    expect(c.requests.at(-1)?.url).toBe(back);
  });
});
