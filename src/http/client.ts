import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { TogoError } from '../errors.js';
import { limitDepth } from '../oidc/depth.js';
import { redactText } from '../redact.js';
import { USER_AGENT } from '../version.js';
import { formatBytes, networkError, snippet, timeoutError } from './errors.js';
import { type Dispatcher, EnvHttpProxyAgent } from './undici.js';

/**
 * The one HTTP client of togo (undici). Every networked command builds one per run and closes it at
 * the end. Imported only by commands that go on the network, so `togo --help` never loads undici.
 */

export interface HttpClientOptions {
  /** One deadline for each whole request (connect, headers and body together); default 10 000 ms. */
  timeoutMs?: number;
  /** --ca <file>: extra CA certificates (PEM), added to the defaults. */
  caFile?: string;
  /** HTTP_PROXY / HTTPS_PROXY / NO_PROXY (any case), NODE_EXTRA_CA_CERTS; none when omitted (commands pass ctx.env). */
  env?: Record<string, string | undefined>;
  /** Ctrl-C. */
  signal?: AbortSignal;
  /** Narration for --debug: "GET url → 200 (1.2 kB, 34 ms)". */
  onEvent?: (line: string) => void;
  /**
   * Told of a request that has not answered after `slowAfterMs`, so the person knows what the
   * run waits for; the function it returns is called once that request settles, however it ends.
   */
  onSlow?: (request: SlowRequest) => () => void;
  /** How long a request may take before onSlow hears of it; default 1000 ms. */
  slowAfterMs?: number;
  /**
   * Where requests go instead of togo's own agent (tests: canned answers from an undici MockAgent).
   * Its owner closes it; the proxy and CA settings above do not apply to it.
   */
  dispatcher?: Dispatcher;
}

/** A request still waiting for its answer (credentials in the URL redacted). */
export interface SlowRequest {
  /** host[:port] of the server awaited. */
  host: string;
  method: string;
  url: string;
  /** What is awaited, when the caller named it ("discovery document", "token endpoint"). */
  what?: string;
  /** The deadline of the request, from its start. */
  timeoutMs: number;
  /** How long it has waited already, when it is announced. */
  waitedMs: number;
}

export interface HttpResponse {
  /** The URL that answered (after redirects, when followed). */
  url: string;
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Each Set-Cookie header on its own (they cannot be joined with commas: Expires has one). */
  setCookies?: string[];
  text: string;
}

export interface JsonResponse<T = unknown> extends HttpResponse {
  json: T;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  maxBytes?: number;
  followRedirects?: boolean;
  /** What the request fetches, for the line that says what a slow run waits for ("token endpoint"). */
  what?: string;
  /**
   * The caller's own deadline (a whole headless chain bounded by --wait): when it aborts, the
   * request ends at once and throws the signal's reason when that is a TogoError.
   */
  signal?: AbortSignal;
}

export interface HttpClient {
  /**
   * GET a JSON document: 200 only, JSON content type (application/json or +json), 1 MiB cap by
   * default, at most 3 redirects; memoized per URL for the run (no request twice). `what` names the
   * document in errors: "discovery document", "JWKS".
   */
  getJson<T = unknown>(
    url: string,
    opts?: {
      what?: string;
      maxBytes?: number /** Fetch again even if this run already has it (key rotation). */;
      fresh?: boolean;
    },
  ): Promise<JsonResponse<T>>;
  /** Any request, no status judgement, redirects not followed unless asked. */
  request(url: string, opts?: RequestOptions): Promise<HttpResponse>;
  readonly requestCount: number;
  close(): Promise<void>;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_BYTES = 1024 * 1024;
export const MAX_REDIRECTS = 3;
/** A request unanswered for this long is announced (onSlow): more than a moment. */
export const SLOW_AFTER_MS = 1000;
/** How long an aborted request may stay pending before it is abandoned with its dispatcher. */
const ABANDON_AFTER_MS = 200;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Reads an env variable in either case (proxies are set as http_proxy as often as HTTP_PROXY). */
function envVar(env: Record<string, string | undefined>, name: string): string {
  return env[name.toLowerCase()] ?? env[name.toUpperCase()] ?? '';
}

function readCa(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new TogoError('INPUT_UNREADABLE', `cannot read the CA file ${file} (--ca)`, {
      cause: error,
      hint: 'Pass a PEM file with one or more CA certificates.',
    });
  }
}

/**
 * Node reads NODE_EXTRA_CA_CERTS once at start-up for its own default; togo passes its own `ca` list
 * (to add --ca), which replaces that default, so both are added here explicitly.
 */
function caList(opts: HttpClientOptions, env: Record<string, string | undefined>): string[] | undefined {
  const extra: string[] = [];
  const fromEnv = env.NODE_EXTRA_CA_CERTS;
  if (fromEnv) {
    // Lenient, as Node itself is (it warns and goes on): a stale variable must not stop every command.
    try {
      extra.push(readFileSync(fromEnv, 'utf8'));
    } catch {
      // ignored
    }
  }
  if (opts.caFile) extra.push(readCa(opts.caFile));
  return extra.length > 0 ? [...rootCertificates, ...extra] : undefined;
}

function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** The media type without parameters: "application/json; charset=utf-8" → "application/json". */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

export function isJsonMediaType(type: string): boolean {
  return type === 'application/json' || /^application\/[\w.-]+\+json$/.test(type);
}

/**
 * Tells onSlow of a request unanswered after slowAfterMs; the function returned is called once the
 * request settles, however it ends.
 */
function watchSlow(
  opts: HttpClientOptions,
  request: Omit<SlowRequest, 'waitedMs'>,
  started: number,
): () => void {
  let announced: (() => void) | undefined;
  const slow = opts.onSlow
    ? setTimeout(() => {
        announced = opts.onSlow?.({ ...request, waitedMs: performance.now() - started });
      }, opts.slowAfterMs ?? SLOW_AFTER_MS)
    : undefined;
  return () => {
    clearTimeout(slow);
    announced?.();
  };
}

/**
 * Our own deadline, for when undici ignores the signal (see abandon): undici settles an aborted
 * request at once when it honours the signal; one still pending a moment later is abandoned.
 */
function abandonWhenStuck(
  signal: AbortSignal,
  abandon: () => void,
): { abandoned: Promise<never>; stopListening(): void; dispose(): void } {
  let onAbort: (() => void) | undefined;
  let grace: NodeJS.Timeout | undefined;
  const abandoned = new Promise<never>((_, reject) => {
    onAbort = () => {
      grace = setTimeout(() => {
        abandon();
        const e = new Error('request abandoned');
        e.name = 'AbortError';
        reject(e);
      }, ABANDON_AFTER_MS);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  const stopListening = () => {
    if (onAbort) signal.removeEventListener('abort', onAbort);
    onAbort = undefined;
  };
  return {
    abandoned,
    stopListening,
    dispose() {
      clearTimeout(grace);
      stopListening();
    },
  };
}

/** Reads a response body up to maxBytes (a larger Content-Length stops it before reading). */
async function readBody(
  res: Dispatcher.ResponseData,
  headers: Record<string, string>,
  url: URL,
  maxBytes: number,
  onReadError: (error: unknown) => unknown,
): Promise<{ chunks: Buffer[]; total: number }> {
  const declared = Number(headers['content-length']);
  const tooLarge = () => {
    res.body.destroy();
    return new TogoError(
      'HTTP_BODY_TOO_LARGE',
      `${url.href} sent more than ${formatBytes(maxBytes)}${Number.isFinite(declared) ? ` (Content-Length ${formatBytes(declared)})` : ''}; stopped reading`,
      {
        details: {
          url: url.href,
          maxBytes,
          contentLength: Number.isFinite(declared) ? declared : undefined,
        },
      },
    );
  };
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of res.body) {
      total += (chunk as Buffer).length;
      if (total > maxBytes) throw tooLarge();
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    throw onReadError(error);
  }
  return { chunks, total };
}

export function createHttpClient(opts: HttpClientOptions = {}): HttpClient {
  const env = opts.env ?? {};
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const ca = caList(opts, env);
  const tls = ca ? { ca } : {};
  // The proxy settings come from the run's env, never from process.env directly ('' = none), so tests
  // and library callers decide.
  const injected = opts.dispatcher;
  const newDispatcher = (): Dispatcher => injected ?? ownAgent(env, timeoutMs, tls);
  let dispatcher = newDispatcher();
  /**
   * undici does not always honour the abort signal: behind a proxy that drops every CONNECT, its
   * proxy agent reconnects in a loop (over a thousand connections a second) and the request never
   * settles. A request still pending when its signal fires is abandoned: the dispatcher that holds
   * it is destroyed (which ends the loop) and later requests get a fresh one.
   */
  const abandon = (stuck: Dispatcher) => {
    // An injected dispatcher is the caller's: it is not ours to destroy.
    if (injected) return;
    if (dispatcher === stuck && !closed) dispatcher = newDispatcher();
    stuck.destroy().catch(() => {});
  };
  const memo = new Map<string, Promise<JsonResponse<unknown>>>();
  let count = 0;
  let closed = false;
  // Narration (--debug) names URLs with their credentials redacted (a logout URL's id_token_hint).
  const say = opts.onEvent ? (line: string) => opts.onEvent?.(redactText(line)) : () => {};

  async function once(url: URL, ro: RequestOptions): Promise<HttpResponse> {
    if (closed) throw new TogoError('INTERNAL', 'HTTP client used after close()');
    if (opts.signal?.aborted) throw new TogoError('INTERRUPTED', `request to ${url.href} interrupted`);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new TogoError('URL_MALFORMED', `not an http(s) URL: ${url.href}`);
    }
    const method = ro.method ?? 'GET';
    const maxBytes = ro.maxBytes ?? DEFAULT_MAX_BYTES;
    const started = performance.now();
    const elapsed = () => `${Math.round(performance.now() - started)} ms`;
    count++;
    // One deadline for the whole request, on a native timer, started now. undici's own timeouts are
    // only a backstop: they run on a coarse clock (a 1 s headers timeout fires after about 1.5 s),
    // and bodyTimeout is per chunk, so a server trickling a byte at a time would never time out.
    const deadline = new AbortController();
    const signals = [deadline.signal, opts.signal, ro.signal].filter((x): x is AbortSignal => !!x);
    const signal = signals.length === 1 ? deadline.signal : AbortSignal.any(signals);
    const timer = setTimeout(() => deadline.abort(), timeoutMs);
    const settledSlow = watchSlow(
      opts,
      { host: url.host, method, url: redactText(url.href), ...(ro.what ? { what: ro.what } : {}), timeoutMs },
      started,
    );
    let headersReceived = false;
    const callerEnded = () => ro.signal?.aborted === true && ro.signal.reason instanceof TogoError;
    const timedOut = () => deadline.signal.aborted && !opts.signal?.aborted && !callerEnded();
    const used = dispatcher;
    const watchdog = abandonWhenStuck(signal, () => abandon(used));
    try {
      if (ro.signal?.aborted && callerEnded()) throw ro.signal.reason;
      const res = await Promise.race([
        used.request({
          origin: url.origin,
          path: `${url.pathname}${url.search}`,
          method: method as Dispatcher.HttpMethod,
          headers: { 'user-agent': USER_AGENT, accept: 'application/json, */*;q=0.5', ...ro.headers },
          body: ro.body ?? null,
          signal,
        }),
        watchdog.abandoned,
      ]);
      watchdog.stopListening();
      headersReceived = true;
      const headers = flattenHeaders(res.headers);
      const { chunks, total } = await readBody(res, headers, url, maxBytes, (error) =>
        timedOut() ? timeoutError(url.href, 'body', timeoutMs, error) : error,
      );
      const text = new TextDecoder().decode(Buffer.concat(chunks));
      say(`${method} ${url.href} → ${res.statusCode} (${formatBytes(total)}, ${elapsed()})`);
      const rawCookies = res.headers['set-cookie'];
      const setCookies =
        rawCookies === undefined ? undefined : Array.isArray(rawCookies) ? rawCookies : [rawCookies];
      return { url: url.href, status: res.statusCode, headers, text, ...(setCookies ? { setCookies } : {}) };
    } catch (error) {
      if (callerEnded()) {
        say(`${method} ${url.href} → stopped (${elapsed()})`);
        throw ro.signal!.reason;
      }
      const err =
        timedOut() && !(error instanceof TogoError)
          ? timeoutError(url.href, headersReceived ? 'body' : 'headers', timeoutMs, error)
          : networkError(error, url.href, timeoutMs);
      say(`${method} ${url.href} → ${err.code} (${elapsed()})`);
      throw err;
    } finally {
      clearTimeout(timer);
      settledSlow();
      watchdog.dispose();
    }
  }

  async function request(rawUrl: string, ro: RequestOptions = {}): Promise<HttpResponse> {
    let url = parseUrl(rawUrl);
    const seen = new Set<string>([url.href]);
    for (let redirects = 0; ; redirects++) {
      const res = await once(url, ro);
      const location = res.headers.location;
      if (!ro.followRedirects || !REDIRECT_STATUSES.has(res.status) || !location) return res;
      const next = new URL(location, url);
      if (redirects >= MAX_REDIRECTS || seen.has(next.href)) {
        const loop = seen.has(next.href);
        throw new TogoError(
          'HTTP_REDIRECTS',
          loop
            ? `${rawUrl} redirects in a loop (back to ${next.href})`
            : `${rawUrl} redirected more than ${MAX_REDIRECTS} times (last to ${next.href})`,
          { details: { url: rawUrl, chain: [...seen, next.href] } },
        );
      }
      seen.add(next.href);
      url = next;
    }
  }

  async function fetchJson<T>(rawUrl: string, what: string, maxBytes: number): Promise<JsonResponse<T>> {
    const res = await request(rawUrl, { maxBytes, followRedirects: true, what });
    return jsonDocument<T>(res, rawUrl, what);
  }

  return {
    getJson<T = unknown>(url: string, o: { what?: string; maxBytes?: number; fresh?: boolean } = {}) {
      let pending = o.fresh ? undefined : memo.get(url);
      if (!pending) {
        pending = fetchJson<unknown>(url, o.what ?? 'document', o.maxBytes ?? DEFAULT_MAX_BYTES);
        memo.set(url, pending);
      }
      return pending as Promise<JsonResponse<T>>;
    },
    request,
    get requestCount() {
      return count;
    },
    async close() {
      if (closed) return;
      closed = true;
      // destroy, not close: nothing is left to wait for, and an idle keep-alive socket must not hold
      // the process open.
      if (!injected) await dispatcher.destroy();
    },
  };
}

/** togo's own agent: the run's proxy settings, the deadline as undici's backstop, the CA list. */
function ownAgent(
  env: Record<string, string | undefined>,
  timeoutMs: number,
  tls: { ca?: string[] },
): Dispatcher {
  return new EnvHttpProxyAgent({
    httpProxy: envVar(env, 'http_proxy'),
    httpsProxy: envVar(env, 'https_proxy'),
    noProxy: envVar(env, 'no_proxy'),
    connect: { timeout: timeoutMs, ...tls },
    requestTls: tls,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    // Keep-alive sockets must never keep the process alive after the command is done.
    keepAliveTimeout: 4_000,
  });
}

function parseUrl(raw: string): URL {
  try {
    return new URL(raw);
  } catch {
    throw new TogoError('URL_MALFORMED', `not a URL: ${raw}`, {
      hint: 'Give a whole URL with its scheme, e.g. https://id2.runswithtogo.com/identity.',
    });
  }
}

/** A JSON document as fetched: 200, a JSON media type, valid JSON (its depth cut where it enters). */
function jsonDocument<T>(res: HttpResponse, rawUrl: string, what: string): JsonResponse<T> {
  const where = res.url === rawUrl ? rawUrl : `${rawUrl} (redirected to ${res.url})`;
  if (res.status !== 200) {
    const type = mediaType(res.headers['content-type']);
    throw new TogoError(
      'HTTP_STATUS',
      `${what} at ${where}: HTTP ${res.status}${type ? ` (${type})` : ''}: ${snippet(res.text)}`,
      {
        hint: statusHint(res.status, what),
        details: { url: res.url, status: res.status, contentType: type, body: snippet(res.text) },
      },
    );
  }
  const type = mediaType(res.headers['content-type']);
  if (!isJsonMediaType(type)) {
    throw new TogoError(
      'HTTP_CONTENT_TYPE',
      `${what} at ${where} is not JSON: ${type || 'no content type'}: ${snippet(res.text)}`,
      {
        details: {
          url: res.url,
          contentType: res.headers['content-type'] ?? null,
          body: snippet(res.text),
        },
      },
    );
  }
  let json: T;
  try {
    // A byte-order mark is not JSON, but some servers send one; it hides nothing.
    // Cut where it enters (discovery documents, JWKS): every later walk over it is then bounded.
    json = limitDepth(JSON.parse(res.text.replace(/^\uFEFF/, ''))).value as T;
  } catch (error) {
    throw new TogoError(
      'HTTP_NOT_JSON',
      `${what} at ${where} is labelled ${type} but is not valid JSON (${(error as Error).message}): ${snippet(res.text)}`,
      { details: { url: res.url, body: snippet(res.text) } },
    );
  }
  return { ...res, json };
}

function statusHint(status: number, what: string): string {
  if (status === 404) return `Nothing at that URL: check the issuer's path (the ${what} lives under it).`;
  if (status === 401 || status === 403)
    return `The ${what} must be public; is a proxy or firewall asking for login?`;
  if (status >= 500) return 'The provider has a problem right now; try again later or ask its operators.';
  return 'Check the URL; the server did not answer with 200.';
}
