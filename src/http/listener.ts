/**
 * The temporary loopback listener that receives the authorization response (RFC 8252 §7.3). It
 * binds a loopback address only, serves one page that captures the URL fragment (which never
 * reaches a server: OIDC Core §15.5.3) and posts it back with a per-login secret, accepts query and
 * form_post responses, and stops listening as soon as the result is in.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TogoError } from '../errors.js';
import { type AuthorizationResponse, parseResponseParams } from '../oidc/callback.js';
import { escapeHtml } from './html.js';

export type ResponseVia = 'fragment' | 'query' | 'form_post';

/** What the login makes of one response: final (the wait ends) or not (keep waiting). */
export interface Outcome {
  final: boolean;
  ok: boolean;
  /** Shown in the browser tab. */
  title: string;
  message: string;
  /** What the person came for, shown in the tab as a list of label and value (escaped, never HTML). */
  rows?: OutcomeRow[];
}

export interface OutcomeRow {
  label: string;
  value: string;
  /** A failed check: shown in the failure colour. */
  fail?: boolean;
}

export interface ListenerOptions {
  /** The redirect URI as configured: http, a loopback host, a path; the port may be absent. */
  redirectUri: string;
  /** Listen on a free port when the provider accepts any loopback port (RFC 8252 §7.3). */
  anyPort: boolean;
  /** Judges each response; the first final outcome ends the wait. */
  onResponse(response: AuthorizationResponse, via: ResponseVia): Promise<Outcome>;
  /** Narration: requests refused, responses ignored. */
  onEvent?(line: string): void;
  /** Largest request body accepted, bytes (default 64 KiB: tokens are a few KiB). */
  maxBody?: number;
}

export interface CallbackListener {
  /** The exact redirect URI to send and register, port included. */
  redirectUri: string;
  origin: string;
  /** Settles with the first final outcome. */
  result: Promise<Outcome>;
  close(): Promise<void>;
}

const CAPTURE_PATH = '/togo-capture';
const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);

function headers(extra: Record<string, string> = {}): Record<string, string> {
  return {
    connection: 'close',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    ...extra,
  };
}

function page(nonce: string, title: string, body: string, script = ''): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escapeHtml(title)}</title>
<style nonce="${nonce}">body{font:16px/1.5 system-ui,sans-serif;max-width:36em;margin:4em auto;padding:0 1em;color:#222}
h1{font-size:1.3em}.ok{color:#1a7f37}.fail{color:#c62828}
dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}dt{font-weight:600}dd{margin:0}</style></head>
<body>${body}${script ? `<script nonce="${nonce}">${script}</script>` : ''}</body></html>
`;
}

function csp(nonce: string): string {
  return `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;
}

function rowsHtml(rows: readonly OutcomeRow[] = []): string {
  const items = rows
    .map(
      (r) =>
        `<dt${r.fail ? ' class="fail"' : ''}>${escapeHtml(r.label)}</dt><dd${r.fail ? ' class="fail"' : ''}>${escapeHtml(r.value)}</dd>`,
    )
    .join('');
  return `<dl id="rows">${items}</dl>`;
}

function outcomePage(nonce: string, o: Pick<Outcome, 'ok' | 'title' | 'message' | 'rows'>): string {
  return page(
    nonce,
    o.title,
    `<h1 class="${o.ok ? 'ok' : 'fail'}">${escapeHtml(o.title)}</h1><p>${escapeHtml(o.message)}</p>${rowsHtml(o.rows)}<p>You can close this tab; the result is in your terminal.</p>`,
  );
}

/** Reads a body up to a limit; past it, answers 413 and resolves undefined. */
function readBody(req: IncomingMessage, res: ServerResponse, limit: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      res.writeHead(413, headers({ 'content-type': 'text/plain' })).end('request body too large\n');
      req.resume();
      resolve(undefined);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        if (!res.headersSent)
          res.writeHead(413, headers({ 'content-type': 'text/plain' })).end('request body too large\n');
        req.destroy();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(undefined));
  });
}

/**
 * Whether a value a request carried equals a secret of the listener (its one-time token, the
 * state it waits for), compared in constant time. Absent or empty never matches, whatever the secret.
 */
export function sameSecret(given: unknown, secret: string): boolean {
  if (typeof given !== 'string' || given === '' || secret === '') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** True when a request's Host header names exactly the listener's origin (host and port). */
export function sameHost(hostHeader: string | undefined, origin: string): boolean {
  if (hostHeader === undefined || origin === '') return false;
  return hostHeader.toLowerCase() === new URL(origin).host.toLowerCase();
}

/** Parses and checks the redirect URI: http, loopback host, no fragment. */
export function loopbackTarget(redirectUri: string): {
  host: string;
  bindHost: string;
  port: number;
  path: string;
} {
  let url: URL;
  try {
    url = new URL(redirectUri);
  } catch {
    throw new TogoError('URL_MALFORMED', `the redirect URI ${JSON.stringify(redirectUri)} is not a URL`);
  }
  if (url.protocol !== 'http:' || !LOOPBACK.has(url.hostname)) {
    throw new TogoError('USAGE', `togo login listens on a loopback redirect URI, not ${redirectUri}`, {
      hint: 'Use a redirect URI such as http://127.0.0.1/callback (RFC 8252 §7.3), or `togo login-url --save` and `togo callback` for other redirect URIs.',
    });
  }
  const bindHost = url.hostname === '[::1]' ? '::1' : '127.0.0.1';
  return { host: url.hostname, bindHost, port: url.port === '' ? 0 : Number(url.port), path: url.pathname };
}

/** What one listener knows while it waits: its target, its secret, and whether the result is in. */
interface ListenerState {
  target: ReturnType<typeof loopbackTarget>;
  /** Set once the server is bound; requests only arrive after that. */
  origin: string;
  secret: string;
  maxBody: number;
  event(line: string): void;
  onResponse: ListenerOptions['onResponse'];
  settled: boolean;
  busy: boolean;
  resolve(o: Outcome): void;
  reject(error: unknown): void;
}

export async function startCallbackListener(options: ListenerOptions): Promise<CallbackListener> {
  const target = loopbackTarget(options.redirectUri);
  const { result, resolve, reject } = pendingOutcome();
  const state: ListenerState = {
    target,
    origin: '',
    secret: randomBytes(24).toString('base64url'),
    maxBody: options.maxBody ?? 64 * 1024,
    event: options.onEvent ?? (() => {}),
    onResponse: options.onResponse,
    settled: false,
    busy: false,
    resolve,
    reject,
  };
  const server: Server = createServer((req, res) => serveRequest(state, req, res));
  const bound = await listenOnLoopback(server, target, {
    port: options.anyPort ? 0 : target.port,
    portHint: `register and use a redirect URI with another port${options.anyPort ? '' : ' (or one without a port, if the provider accepts any loopback port)'}`,
  });
  state.origin = bound.origin;
  return {
    redirectUri: bound.redirectUri(options.redirectUri),
    origin: state.origin,
    result,
    close: bound.close,
  };
}

function pendingOutcome(): { result: Promise<Outcome>; resolve(o: Outcome): void; reject(e: unknown): void } {
  let resolve!: (o: Outcome) => void;
  let reject!: (error: unknown) => void;
  const result = new Promise<Outcome>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { result, resolve, reject };
}

/** One request: the host checked, then routed to the callback page, the capture post or the form post. */
async function serveRequest(state: ListenerState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const nonce = randomBytes(16).toString('base64url');
  // DNS rebinding: a page on another name that resolves to 127.0.0.1 would be same-origin with
  // itself and could read the capture page (and its secret). Only the redirect URI's host is served.
  if (!sameHost(req.headers.host, state.origin)) {
    state.event(
      `refused a request for host ${req.headers.host ?? '(none)'}; this listener answers only ${new URL(state.origin).host}`,
    );
    res.writeHead(421, headers({ 'content-type': 'text/plain' })).end('misdirected request\n');
    req.resume();
    return;
  }
  const url = new URL(req.url ?? '/', state.origin);
  try {
    if (url.pathname === state.target.path && req.method === 'GET')
      return await serveCallback(state, url, res, nonce);
    if (url.pathname === CAPTURE_PATH && req.method === 'POST')
      return await serveCapture(state, req, res, nonce);
    if (url.pathname === state.target.path && req.method === 'POST')
      return await serveFormPost(state, req, res, nonce);
    res.writeHead(404, headers({ 'content-type': 'text/plain' })).end('not found\n');
    req.resume();
  } catch (error) {
    if (!res.headersSent) res.writeHead(500, headers({ 'content-type': 'text/plain' })).end('error\n');
    state.event(`listener error: ${(error as Error).message}`);
  }
}

/** GET on the redirect path: a query response is judged at once; otherwise the capture page fetches the fragment. */
async function serveCallback(
  state: ListenerState,
  url: URL,
  res: ServerResponse,
  nonce: string,
): Promise<void> {
  const query = parseResponseParams(url.search);
  if (Object.keys(query).length > 0) return await judge(state, query, 'query', res, nonce, false);
  // No query: the response is in the fragment, which only the browser sees.
  res.writeHead(
    200,
    headers({ 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp(nonce) }),
  );
  res.end(
    page(
      nonce,
      'togo: completing login…',
      '<h1 id="status">Completing login…</h1><p id="detail"></p><dl id="rows"></dl>',
      captureScript(state.secret),
    ),
  );
}

/** The capture page's script: posts the fragment back with the secret, then shows the outcome as text. */
function captureScript(secret: string): string {
  return `(async () => {
  const status = document.getElementById('status');
  const body = JSON.stringify({ secret: ${JSON.stringify(secret)}, fragment: location.hash.slice(1), query: location.search.slice(1) });
  history.replaceState(null, '', location.pathname); // keep tokens out of the address bar and history
  try {
    const res = await fetch(${JSON.stringify(CAPTURE_PATH)}, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const o = await res.json();
    document.title = o.title;
    status.className = o.ok ? 'ok' : 'fail';
    status.textContent = o.title;
    document.getElementById('detail').textContent = o.message;
    // Text only: what the provider put in the tokens never becomes markup.
    const list = document.getElementById('rows');
    for (const r of o.rows || []) {
      const dt = document.createElement('dt');
      const dd = document.createElement('dd');
      dt.textContent = r.label;
      dd.textContent = r.value;
      if (r.fail) dt.className = dd.className = 'fail';
      list.append(dt, dd);
    }
  } catch (e) {
    status.className = 'fail';
    status.textContent = 'Could not reach togo';
    document.getElementById('detail').textContent = String(e);
  }
})();`;
}

/**
 * POST from the capture page. Only the page served above may post here: same origin, JSON (a
 * cross-origin JSON POST needs a preflight, which is never answered), and the secret embedded in that page.
 */
async function serveCapture(
  state: ListenerState,
  req: IncomingMessage,
  res: ServerResponse,
  nonce: string,
): Promise<void> {
  if (req.headers.origin !== undefined && req.headers.origin !== state.origin) {
    state.event(`refused a capture from origin ${req.headers.origin}`);
    res.writeHead(403, headers({ 'content-type': 'text/plain' })).end('forbidden\n');
    req.resume();
    return;
  }
  if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) {
    res.writeHead(415, headers({ 'content-type': 'text/plain' })).end('JSON only\n');
    req.resume();
    return;
  }
  const body = await readBody(req, res, state.maxBody);
  if (body === undefined) return;
  let data: { secret?: unknown; fragment?: unknown; query?: unknown };
  try {
    data = JSON.parse(body);
  } catch {
    res.writeHead(400, headers({ 'content-type': 'text/plain' })).end('bad JSON\n');
    return;
  }
  if (!sameSecret(data.secret, state.secret)) {
    state.event("refused a capture without this login's secret");
    res.writeHead(403, headers({ 'content-type': 'text/plain' })).end('forbidden\n');
    return;
  }
  const fragment = parseResponseParams(typeof data.fragment === 'string' ? data.fragment : '');
  const query = parseResponseParams(typeof data.query === 'string' ? data.query : '');
  const inFragment = Object.keys(fragment).length > 0;
  return await judge(
    state,
    inFragment ? fragment : query,
    inFragment ? 'fragment' : 'query',
    res,
    nonce,
    true,
  );
}

/** POST on the redirect path: response_mode=form_post, the provider's page posts the response here (OAuth 2.0 Form Post). */
async function serveFormPost(
  state: ListenerState,
  req: IncomingMessage,
  res: ServerResponse,
  nonce: string,
): Promise<void> {
  if (!String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
    res.writeHead(415, headers({ 'content-type': 'text/plain' })).end('form posts only\n');
    req.resume();
    return;
  }
  const body = await readBody(req, res, state.maxBody);
  if (body === undefined) return;
  return await judge(state, parseResponseParams(body), 'form_post', res, nonce, false);
}

/** Hands one response to the login, answers the browser, and ends the wait on a final outcome. */
async function judge(
  state: ListenerState,
  response: AuthorizationResponse,
  via: ResponseVia,
  res: ServerResponse,
  nonce: string,
  json: boolean,
): Promise<void> {
  if (state.settled || state.busy) {
    state.event(`refused a second ${via} response: this login already has its result`);
    reply(
      res,
      409,
      { ok: false, title: 'Already done', message: 'This login already received its response.' },
      nonce,
      json,
    );
    return;
  }
  state.busy = true;
  let outcome: Outcome;
  let failure: unknown;
  try {
    outcome = await state.onResponse(response, via);
  } catch (error) {
    failure = error;
    outcome = { final: true, ok: false, title: 'Login failed', message: (error as Error).message };
  }
  state.busy = false;
  if (outcome.final) {
    state.settled = true;
    // The wait ends once the browser has its page, so the tab always learns the result.
    res.on('close', () => (failure === undefined ? state.resolve(outcome) : state.reject(failure)));
  }
  reply(res, outcome.final ? (failure === undefined ? 200 : 500) : 400, outcome, nonce, json);
}

/** The answer to a response: the outcome page for the browser, or JSON for the capture page's script. */
function reply(
  res: ServerResponse,
  status: number,
  o: Pick<Outcome, 'ok' | 'title' | 'message' | 'rows'>,
  nonce: string,
  json: boolean,
): void {
  res.writeHead(
    status,
    headers(
      json
        ? { 'content-type': 'application/json' }
        : { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp(nonce) },
    ),
  );
  res.end(
    json
      ? JSON.stringify({ ok: o.ok, title: o.title, message: o.message, rows: o.rows ?? [] })
      : outcomePage(nonce, o),
  );
}

export interface BoundListener {
  origin: string;
  /** The redirect URI with the port actually bound. */
  redirectUri(configured: string): string;
  /** Stops listening and drops open connections (keep-alive ones included). */
  close(): Promise<void>;
}

/**
 * Binds a loopback server (the login and the logout listeners share this): short timeouts for slow
 * clients, a port in use named with what to do about it, and a close that never waits on a browser.
 */
export async function listenOnLoopback(
  server: Server,
  target: ReturnType<typeof loopbackTarget>,
  options: { port: number; portHint: string },
): Promise<BoundListener> {
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(
          new TogoError('PORT_IN_USE', `port ${target.port} on ${target.bindHost} is already in use`, {
            hint: `Stop the program listening on port ${target.port}, or ${options.portHint}.`,
          }),
        );
      } else if (error.code === 'EADDRNOTAVAIL' || error.code === 'EAFNOSUPPORT') {
        reject(
          new TogoError('USAGE', `cannot listen on ${target.bindHost}: ${error.code}`, {
            hint: 'Use http://127.0.0.1/… as the redirect URI.',
          }),
        );
      } else {
        reject(error);
      }
    });
    server.listen({ host: target.bindHost, port: options.port, exclusive: true }, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `http://${target.host}:${port}`,
    redirectUri(configured) {
      const url = new URL(configured);
      url.port = String(port);
      return url.toString();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
