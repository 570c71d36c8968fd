/**
 * The browser's part, without a browser: top-level navigations with a cookie jar, redirects
 * followed, and form_post pages (hidden fields a script would submit) submitted as a browser
 * would. Plain HTTP requests, not fetch(): fetch marks every request `Sec-Fetch-Mode: cors`, and
 * mod_auth_openidc rightly answers those with 401 instead of a login.
 */
import { request } from 'undici';
import { CookieJar } from '../../../src/provider/headless.js';

export interface Page {
  status: number;
  url: string;
  body: string;
  /** Every URL visited. */
  trail: string[];
}

const decode = (s: string) =>
  s.replace(/&(quot|#39|#x27|lt|gt|amp);/g, (m) =>
    m === '&quot;' ? '"' : m === '&lt;' ? '<' : m === '&gt;' ? '>' : m === '&amp;' ? '&' : "'",
  );

export class Browser {
  private readonly jar = new CookieJar();

  /**
   * Opens `url` and follows until a page that is neither a redirect nor a form_post form, or until
   * a redirect reaches `stopAt` (a URL nothing listens on: its address is the answer).
   */
  async open(url: string, stopAt?: string): Promise<Page> {
    let next: { url: string; form?: string } = { url };
    const trail: string[] = [];
    for (let hop = 0; hop < 25; hop++) {
      trail.push(next.url);
      const target = new URL(next.url);
      const cookie = this.jar.header(target);
      const res = await request(target, {
        method: next.form === undefined ? 'GET' : 'POST',
        headers: {
          accept: 'text/html,application/xhtml+xml',
          'sec-fetch-mode': 'navigate',
          'sec-fetch-dest': 'document',
          ...(cookie ? { cookie } : {}),
          ...(next.form === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
        },
        ...(next.form === undefined ? {} : { body: next.form }),
      });
      const setCookie = res.headers['set-cookie'];
      this.jar.store(
        target,
        setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie : [setCookie],
      );
      const body = await res.body.text();
      const location = res.headers.location;
      if (res.statusCode >= 300 && res.statusCode < 400 && typeof location === 'string') {
        const to = new URL(location, target).href;
        if (stopAt && to.startsWith(stopAt)) return { status: res.statusCode, url: to, body: '', trail };
        next = { url: to };
        continue;
      }
      const form = /<form\b[^>]*method="post"[^>]*action="([^"]+)"/i.exec(body);
      const autoSubmit = /<script\b/i.test(body) && !/type="(email|password|text)"/i.test(body);
      if ((res.statusCode === 200 || res.statusCode === 400) && form?.[1] && autoSubmit) {
        const fields = new URLSearchParams();
        for (const m of body.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\s*\/?>/g)) {
          fields.append(decode(m[1] ?? ''), decode(m[2] ?? ''));
        }
        const action = new URL(decode(form[1]), target).href;
        if (stopAt && action.startsWith(stopAt))
          return { status: 200, url: action, body: fields.toString(), trail };
        next = { url: action, form: fields.toString() };
        continue;
      }
      return { status: res.statusCode, url: next.url, body, trail };
    }
    throw new Error(`too many redirects: ${trail.join(' -> ')}`);
  }
}
