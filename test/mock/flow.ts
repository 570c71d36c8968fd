/**
 * Drives a login against the emulator without a browser: a cookie jar and redirects followed by
 * hand, as a browser would, until the provider sends the user back to the redirect URI (where
 * nothing needs to listen: the final URL is read from the Location header).
 */
import { createHash, randomBytes } from 'node:crypto';

export class Agent {
  private readonly cookies = new Map<string, string>();

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) {
      headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    }
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }
}

export interface Arrival {
  /** The redirect URI with the response, as the browser would have opened it. */
  url: string;
  /** The response parameters, from the fragment, the query or a form_post page. */
  params: URLSearchParams;
  /** Every URL visited on the way, for debugging a failing test. */
  trail: string[];
}

/**
 * Follows redirects from `start` until one leads to a URL beginning with `redirectUri`; a form_post
 * page counts as arriving too. `submit` answers a page that is not a redirect (a login form).
 */
export async function follow(
  agent: Agent,
  start: string,
  redirectUri: string,
  submit?: (url: string, html: string) => { url: string; form: Record<string, string> } | undefined,
): Promise<Arrival> {
  let next: { url: string; init?: RequestInit } = { url: start };
  const trail: string[] = [];
  for (let hop = 0; hop < 15; hop++) {
    trail.push(next.url);
    const res = await agent.fetch(next.url, next.init);
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      const target = new URL(location, next.url).href;
      if (target.startsWith(redirectUri)) {
        const u = new URL(target);
        const params = new URLSearchParams(u.hash ? u.hash.slice(1) : u.search);
        return { url: target, params, trail };
      }
      next = { url: target };
      continue;
    }
    const html = await res.text();
    const formPost = /<form method="post" action="([^"]+)"/.exec(html);
    if (res.status === 200 && formPost?.[1] && decodeEntities(formPost[1]).startsWith(redirectUri)) {
      const params = new URLSearchParams();
      for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\/>/g)) {
        params.set(m[1] ?? '', decodeEntities(m[2] ?? ''));
      }
      return { url: decodeEntities(formPost[1]), params, trail };
    }
    const answer = submit?.(next.url, html);
    if (!answer) throw new Error(`stopped at ${next.url} (HTTP ${res.status}): ${html.slice(0, 300)}`);
    next = {
      url: new URL(answer.url, next.url).href,
      init: {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(answer.form).toString(),
      },
    };
  }
  throw new Error(`too many redirects: ${trail.join(' -> ')}`);
}

function decodeEntities(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** A login form answered with these credentials (the emulator's and the provider's pages alike). */
export function signInWith(email: string, password: string) {
  return (_url: string, html: string) => {
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
    if (!action) return undefined;
    const form: Record<string, string> = { email, password };
    for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
      form[m[1] ?? ''] = decodeEntities(m[2] ?? '');
    }
    return { url: decodeEntities(action), form };
  };
}

export function random(): string {
  return randomBytes(16).toString('hex');
}

/** at_hash / c_hash for RS256: left half of SHA-256, base64url (OpenID Connect Core §3.2.2.9). */
export function halfHash(value: string): string {
  return createHash('sha256').update(value).digest().subarray(0, 16).toString('base64url');
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** The callback every test uses; nothing listens there, the URL is read from the redirect. */
export const REDIRECT_URI = 'http://127.0.0.1:53682/callback';

export function authorizeUrl(issuer: string, params: Record<string, string>): string {
  const url = new URL(`${issuer}/connect/authorize`);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.href;
}

/** Togo ID's login URL, built as the seed documents it. */
export function togoLoginUrl(issuer: string, clientId: string, returnUrl: string): string {
  return (
    `${issuer}/login?profile=togo&behaviourProfile=togo&client_id=${encodeURIComponent(clientId)}` +
    `&ReturnUrl=${encodeURIComponent(returnUrl)}`
  );
}

/**
 * The person's side of the device flow: open the complete verification URI and submit each page's
 * form (the code, the confirmation) until the provider says the device is signed in.
 */
export async function confirmDevice(agent: Agent, verificationUriComplete: string): Promise<string> {
  let page = await agent.fetch(verificationUriComplete);
  let html = '';
  for (let hop = 0; hop < 10; hop++) {
    const location = page.headers.get('location');
    if (location) {
      page = await agent.fetch(new URL(location, verificationUriComplete).href);
      continue;
    }
    html = await page.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (!action) break;
    const form = new URLSearchParams();
    for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\s*\/?>/g)) {
      form.set(m[1] ?? '', m[2] ?? '');
    }
    page = await agent.fetch(new URL(action, verificationUriComplete).href, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
  }
  return html;
}
