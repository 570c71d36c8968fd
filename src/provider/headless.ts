/**
 * `togo login --headless`: for providers that sign in without a person (the emulator's
 * --auto-login, a test tenant with a remembered session), togo plays the browser's part itself:
 * it follows the redirects with a cookie jar until the provider sends the user back to the redirect
 * URI, and reads the response from that last URL (or from a form_post page). No browser, no listener.
 */
import { TogoError } from '../errors.js';
import type { HttpClient } from '../http/client.js';
import { snippet } from '../http/errors.js';
import { type AuthorizationResponse, parseResponseParams, responseFromUrl } from '../oidc/callback.js';
import { readErrorReason } from '../oidc/check-probes.js';

export interface HeadlessArrival {
  response: AuthorizationResponse;
  via: 'fragment' | 'query' | 'form_post';
  /** Every URL visited, for --debug and for error messages. */
  trail: string[];
}

interface Cookie {
  name: string;
  value: string;
  host: string;
  path: string;
}

/** Just enough of RFC 6265 for a login: host-only cookies, Path matching, deletion by expiry. */
export class CookieJar {
  private cookies: Cookie[] = [];

  store(url: URL, setCookies: readonly string[] = []): void {
    for (const line of setCookies) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      let path = url.pathname.replace(/\/[^/]*$/, '') || '/';
      let expired = false;
      for (const attribute of attributes) {
        const [key = '', ...rest] = attribute.split('=');
        const v = rest.join('=').trim();
        const k = key.trim().toLowerCase();
        if (k === 'path' && v.startsWith('/')) path = v;
        if (k === 'max-age' && Number(v) <= 0) expired = true;
        if (k === 'expires' && Date.parse(v) <= Date.now()) expired = true;
      }
      this.cookies = this.cookies.filter((c) => !(c.name === name && c.host === url.host && c.path === path));
      if (!expired) this.cookies.push({ name, value, host: url.host, path });
    }
  }

  header(url: URL): string | undefined {
    const matching = this.cookies.filter(
      (c) =>
        c.host === url.host &&
        (url.pathname === c.path || url.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`)),
    );
    return matching.length ? matching.map((c) => `${c.name}=${c.value}`).join('; ') : undefined;
  }
}

const decodeEntities = (s: string) =>
  s.replace(/&(quot|#39|#x27|lt|gt|amp);/g, (m) =>
    m === '&quot;' ? '"' : m === '&lt;' ? '<' : m === '&gt;' ? '>' : m === '&amp;' ? '&' : "'",
  );

function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([a-zA-Z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/g)) {
    out[m[1]!.toLowerCase()] = decodeEntities(m[2] ?? m[3] ?? m[4] ?? '');
  }
  return out;
}

/** A form_post response page: a form posting hidden inputs to the redirect URI (OAuth 2.0 Form Post). */
export function formPostResponse(html: string, redirectUri: string): AuthorizationResponse | undefined {
  const form = /<form\b[^>]*>/i.exec(html);
  if (!form) return undefined;
  const attrs = attributes(form[0]);
  if (
    (attrs.method ?? '').toLowerCase() !== 'post' ||
    !attrs.action ||
    !sameTarget(attrs.action, redirectUri)
  ) {
    return undefined;
  }
  const params = new URLSearchParams();
  for (const input of html.matchAll(/<input\b[^>]*>/gi)) {
    const a = attributes(input[0]);
    if (a.name !== undefined && (a.type ?? '').toLowerCase() === 'hidden')
      params.append(a.name, a.value ?? '');
  }
  return parseResponseParams(params.toString());
}

/** The redirect URI matched as a loopback provider would: any port when the configured one has none. */
export function sameTarget(candidate: string, redirectUri: string): boolean {
  let a: URL;
  let b: URL;
  try {
    a = new URL(candidate);
    b = new URL(redirectUri);
  } catch {
    return false;
  }
  return (
    a.protocol === b.protocol &&
    a.hostname === b.hostname &&
    (b.port === '' || a.port === b.port) &&
    a.pathname === b.pathname
  );
}

/**
 * A deadline for a whole headless run (--wait): a signal that aborts with `error` after `ms`.
 * Every request of the run carries it, so a provider whose every hop is slow cannot stretch it.
 */
export function deadline(ms: number, error: () => TogoError): { signal: AbortSignal; clear(): void } {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(error()), ms);
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}

/** Throws the deadline's error when it has passed. */
function checkDeadline(signal: AbortSignal | undefined): void {
  if (signal?.aborted)
    throw signal.reason instanceof TogoError ? signal.reason : new TogoError('INTERRUPTED', 'stopped');
}

export async function runHeadless(
  http: HttpClient,
  startUrl: string,
  redirectUri: string,
  options: { maxHops?: number; signal?: AbortSignal } = {},
): Promise<HeadlessArrival> {
  const maxHops = options.maxHops ?? 20;
  const signal = options.signal;
  const jar = new CookieJar();
  const trail: string[] = [];
  let url = new URL(startUrl);
  for (let hop = 0; hop < maxHops; hop++) {
    checkDeadline(signal);
    trail.push(url.href);
    const cookie = jar.header(url);
    const res = await http.request(url.href, {
      headers: { accept: 'text/html,*/*', ...(cookie ? { cookie } : {}) },
      ...(signal ? { signal } : {}),
    });
    jar.store(url, res.setCookies);
    const location = res.headers.location;
    if (res.status >= 300 && res.status < 400 && location) {
      const next = new URL(location, url);
      if (sameTarget(next.href, redirectUri)) {
        trail.push(next.href);
        const response = responseFromUrl(next);
        const via = Object.keys(parseResponseParams(next.hash)).length > 0 ? 'fragment' : 'query';
        return { response, via, trail };
      }
      url = next;
      continue;
    }
    // The provider's reason, read as `togo check` reads it: a JSON error or an error page.
    const reason = readErrorReason(res.text);
    const where = `${url.origin}${url.pathname}`;
    if (res.status === 200) {
      const posted = formPostResponse(res.text, redirectUri);
      if (posted) return { response: posted, via: 'form_post', trail };
      if (reason) {
        throw new TogoError(
          'LOGIN_PROVIDER_ERROR',
          `the provider refused the request: ${reason} (its error page at ${where})`,
          {
            details: { trail, status: res.status, reason },
          },
        );
      }
      throw new TogoError('LOGIN_INTERACTION_REQUIRED', `the provider wants a person at ${url.href}`, {
        details: { trail },
      });
    }
    throw new TogoError(
      'LOGIN_PROVIDER_ERROR',
      `the provider refused the request: HTTP ${res.status}: ${reason ?? snippet(res.text, 120)} (at ${where})`,
      {
        hint: "Open the login URL in a browser to read the provider's error page (togo login --open).",
        details: { trail, status: res.status, ...(reason ? { reason } : {}) },
      },
    );
  }
  throw new TogoError('LOGIN_PROVIDER_ERROR', `no way back to the redirect URI after ${maxHops} redirects`, {
    details: { trail },
  });
}

/**
 * A sign-out confirmation page: a POST form and the submit button that belongs to it (inside it,
 * or naming it with form="…"). Returns where to post and what, as a browser would on a click.
 */
export function confirmationForm(html: string, base: URL): { action: string; body: string } | undefined {
  const open = /<form\b[^>]*>/i.exec(html);
  if (!open) return undefined;
  const attrs = attributes(open[0]);
  if ((attrs.method ?? '').toLowerCase() !== 'post') return undefined;
  const end = html.indexOf('</form>', open.index);
  const inner = html.slice(open.index, end === -1 ? html.length : end);
  const params = new URLSearchParams();
  for (const input of inner.matchAll(/<input\b[^>]*>/gi)) {
    const a = attributes(input[0]);
    if (a.name !== undefined && (a.type ?? 'text').toLowerCase() === 'hidden')
      params.append(a.name, a.value ?? '');
  }
  const button = [...html.matchAll(/<button\b[^>]*>/gi)]
    .map((m) => ({ at: m.index, a: attributes(m[0]) }))
    .find(
      ({ at, a }) =>
        (a.type ?? 'submit').toLowerCase() === 'submit' &&
        ((attrs.id !== undefined && a.form === attrs.id) || (at > open.index && (end === -1 || at < end))),
    );
  if (button?.a.name) params.append(button.a.name, button.a.value ?? '');
  return { action: new URL(attrs.action ?? base.href, base).href, body: params.toString() };
}

/**
 * `togo logout --headless`: follows the logout URL's redirects with a cookie jar, confirms a
 * sign-out page by submitting its form (no JavaScript needed), and stops once the provider sends
 * the browser to the post-logout redirect URI, which it then visits, so the listener there sees it.
 */
export async function runHeadlessLogout(
  http: HttpClient,
  startUrl: string,
  postLogoutRedirectUri: string,
  options: { maxHops?: number; signal?: AbortSignal } = {},
): Promise<{ trail: string[] }> {
  const maxHops = options.maxHops ?? 20;
  const signal = options.signal;
  const jar = new CookieJar();
  const trail: string[] = [];
  let url = new URL(startUrl);
  let post: string | undefined;
  let confirmed = false;
  for (let hop = 0; hop < maxHops; hop++) {
    checkDeadline(signal);
    trail.push(url.href);
    const cookie = jar.header(url);
    const res = await http.request(url.href, {
      ...(signal ? { signal } : {}),
      ...(post !== undefined ? { method: 'POST', body: post } : {}),
      headers: {
        accept: 'text/html,*/*',
        ...(cookie ? { cookie } : {}),
        ...(post !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
    });
    post = undefined;
    jar.store(url, res.setCookies);
    const location = res.headers.location;
    if (res.status >= 300 && res.status < 400 && location) {
      const next = new URL(location, url);
      if (sameTarget(next.href, postLogoutRedirectUri)) {
        trail.push(next.href);
        await http.request(next.href, { headers: { accept: 'text/html' }, ...(signal ? { signal } : {}) });
        return { trail };
      }
      url = next;
      continue;
    }
    const where = `${url.origin}${url.pathname}`;
    if (res.status === 200 && !confirmed) {
      const form = confirmationForm(res.text, url);
      if (form) {
        confirmed = true;
        post = form.body;
        url = new URL(form.action);
        continue;
      }
    }
    const reason = readErrorReason(res.text);
    if (res.status === 200 && !reason) {
      throw new TogoError(
        'LOGIN_INTERACTION_REQUIRED',
        `the provider's sign-out page at ${where} does not lead back to the post-logout redirect URI`,
        { details: { trail } },
      );
    }
    throw new TogoError(
      'LOGIN_PROVIDER_ERROR',
      `the provider refused the logout: HTTP ${res.status}: ${reason ?? snippet(res.text, 120)} (at ${where})`,
      { details: { trail, status: res.status, ...(reason ? { reason } : {}) } },
    );
  }
  throw new TogoError(
    'LOGIN_PROVIDER_ERROR',
    `no way back to the post-logout redirect URI after ${maxHops} redirects`,
    {
      details: { trail },
    },
  );
}
