import { readFile } from 'node:fs/promises';
import { STATUS_CODES } from 'node:http';
import { resolve } from 'node:path';
import type { ConfigOptionValues } from '../../config/resolve.js';
import { TogoError } from '../../errors.js';
import { type HttpResponse, isJsonMediaType, mediaType } from '../../http/client.js';
import { bearerError } from '../../oidc/bearer.js';
import { limitDepth } from '../../oidc/depth.js';
import type { SessionFile } from '../../oidc/session-file.js';
import { t } from '../../ui/safe.js';
import { settingsWhere } from '../shared/config-flags.js';
import type { Ctx } from '../shared/context.js';
import { type Credential, credentialFor, scheme, sendWith } from '../shared/credential.js';
import { readStdin } from '../shared/input.js';
import { readTokenSources } from '../shared/session.js';
import type { ApiFlags } from './command.js';

const MAX_BODY_BYTES = 16 * 1024 * 1024;
const MAX_REDIRECTS = 5;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const METHOD = /^[A-Za-z]+$/;
/** Headers that carry credentials: never sent to another origin after a redirect. */
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

/** -H "Name: value" → [name, value]; the name lower-cased, so a later -H replaces an earlier one. */
export function parseHeader(text: string): [string, string] {
  const colon = text.indexOf(':');
  const name = colon > 0 ? text.slice(0, colon).trim() : '';
  if (!HEADER_NAME.test(name)) {
    throw new TogoError('USAGE', `-H takes "Name: value", not ${JSON.stringify(text)}`, {
      hint: 'For example -H "Accept: application/json"; repeat -H for more headers.',
    });
  }
  return [name.toLowerCase(), text.slice(colon + 1).trim()];
}

async function readData(ctx: Ctx, data: string): Promise<string> {
  if (!data.startsWith('@')) return data;
  const file = data.slice(1);
  if (file === '-') return readStdin(ctx, MAX_BODY_BYTES);
  const path = resolve(ctx.cwd, file);
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new TogoError(
      'INPUT_UNREADABLE',
      `cannot read the body file ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      { cause: error },
    );
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

const isLoopback = (host: string) =>
  host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);

function parseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TogoError('URL_MALFORMED', `not a URL: ${raw}`, {
      hint: 'Give the whole URL with its scheme, e.g. https://api.example/v1/me.',
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TogoError('URL_MALFORMED', `not an http(s) URL: ${raw}`);
  }
  return url;
}

/** The body for output: JSON pretty-printed when the response says JSON and is; else as it came. */
function bodyOut(res: HttpResponse): { text: string; json?: unknown } {
  if (isJsonMediaType(mediaType(res.headers['content-type'])) && res.text.trim() !== '') {
    try {
      // Nested deeper than any real body: shown as it came (pretty-printing would overflow the stack).
      const { value: json, cut } = limitDepth(JSON.parse(res.text));
      return cut ? { text: res.text, json } : { text: JSON.stringify(json, null, 2), json };
    } catch {
      // labelled JSON but not: shown as it is
    }
  }
  return { text: res.text };
}

/**
 * The token an API takes when --use does not say: Togo ID's APIs take the ID token (as Togo ID
 * documents), a standard provider's the access token. The flavor is the one chosen for this run
 * (--flavor, TOGO_FLAVOR, --env, TOGO_ENV, a config file), else the session file's, else the
 * default environment's.
 */
async function tokenByFlavor(
  ctx: Ctx,
  config: ConfigOptionValues,
  session: SessionFile | undefined,
): Promise<{ kind: 'id_token' | 'access_token'; why: string }> {
  const { resolveConfig } = await import('../../config/load.js');
  // No "Nothing configured: using <environment>" here: api calls the URL it is given, no issuer.
  const { note: _note, ...where } = settingsWhere(ctx);
  const { settings, sources } = await resolveConfig({ flags: config, ...where });
  const chosen = (kind: string | undefined) => kind === 'flag' || kind === 'env' || kind === 'file';
  const explicit = chosen(sources.flavor?.kind) || chosen(sources.environment?.kind);
  const flavor = explicit ? settings.flavor : (session?.flavor ?? settings.flavor);
  const why = explicit || !session?.flavor ? `the ${flavor} flavor` : `the session's ${flavor} flavor`;
  return { kind: flavor === 'togo' ? 'id_token' : 'access_token', why };
}

export async function apiCommand(
  ctx: Ctx,
  rawUrl: string,
  flags: ApiFlags,
  config: ConfigOptionValues = {},
): Promise<number> {
  const first = parseUrl(rawUrl);
  const headers = parseHeaders(flags.header);
  const credential =
    headers.authorization === undefined ? await apiCredential(ctx, first, flags, config) : undefined;
  if (!credential) ctx.note(ctx.styleErr.dim('Authorization: as given with -H'));
  const body = flags.data === undefined ? undefined : await requestBody(ctx, flags.data, headers);
  const method = requestMethod(flags.request, body);
  const { httpFor } = await import('../shared/http.js');
  const http = httpFor(ctx, { timeoutMs: flags.timeout * 1000, ...(flags.ca ? { caFile: flags.ca } : {}) });
  const sent = await sendFollowing(ctx, http, first, { method, headers, body }, credential, flags.location);
  return report(ctx, sent, flags.include === true);
}

/** -H "Name: value" for each header, by lower-cased name: a later -H replaces an earlier one. */
function parseHeaders(given: string[] | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const h of given ?? []) {
    const [name, value] = parseHeader(h);
    headers[name] = value;
  }
  return headers;
}

/** The token to send (--use, else by flavor), said on stderr without the token itself. */
async function apiCredential(
  ctx: Ctx,
  url: URL,
  flags: ApiFlags,
  config: ConfigOptionValues,
): Promise<Credential> {
  const sources = await readTokenSources(ctx, flags, config);
  const byFlavor = flags.use ? undefined : await tokenByFlavor(ctx, config, sources.session?.file);
  const kind = flags.use ?? byFlavor!.kind;
  if (byFlavor && !sources.given) {
    ctx.note(
      ctx.styleErr.dim(
        `Sending the ${kind === 'id_token' ? 'ID token' : 'access token'} (${byFlavor.why}; --use to choose).`,
      ),
    );
  }
  const credential = await credentialFor(ctx, sources, kind, {
    what: kind === 'id_token' ? "ID token (Togo ID's APIs take the ID token)" : 'access token',
    config,
    timeout: flags.timeout,
    ...(flags.ca ? { ca: flags.ca } : {}),
  });
  const dpop = credential.dpop ? ' with a DPoP proof' : '';
  const what = credential.kind === 'given' ? 'token' : kind;
  ctx.note(
    ctx.styleErr.dim(`Authorization: ${scheme(credential)} <${what} from ${credential.source}>${dpop}`),
  );
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    ctx.warn(t`sending a bearer token over plain http to ${url.host}: anyone on the way can use it`);
  }
  return credential;
}

/** -d's body (text, @file or @- for stdin), typing it as JSON or a form unless -H said. */
async function requestBody(ctx: Ctx, data: string, headers: Record<string, string>): Promise<string> {
  const body = await readData(ctx, data);
  if (headers['content-type'] === undefined) {
    headers['content-type'] = isJson(body) ? 'application/json' : 'application/x-www-form-urlencoded';
  }
  return body;
}

/** -X, else POST with a body and GET without. */
function requestMethod(request: string | undefined, body: string | undefined): string {
  const method = (request ?? (body !== undefined ? 'POST' : 'GET')).toUpperCase();
  if (!METHOD.test(method)) {
    throw new TogoError(
      'USAGE',
      `-X takes an HTTP method such as GET or PATCH, not ${JSON.stringify(request)}`,
    );
  }
  return method;
}

interface Outgoing {
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
}

interface Sent {
  res: HttpResponse;
  url: URL;
  method: string;
  redirects: string[];
}

/**
 * Sends the request, and with -L follows redirects (at most MAX_REDIRECTS). The token is for the
 * origin the user named: a redirect elsewhere (another host, port or scheme) goes on without
 * credentials, as curl and browsers do.
 */
async function sendFollowing(
  ctx: Ctx,
  http: import('../../http/client.js').HttpClient,
  first: URL,
  out: Outgoing,
  credential: Credential | undefined,
  follow: boolean | undefined,
): Promise<Sent> {
  let url = first;
  let { method, body } = out;
  const headers = out.headers;
  const redirects: string[] = [];
  for (;;) {
    const init = { method, headers, ...(body !== undefined ? { body } : {}), maxBytes: MAX_BODY_BYTES };
    const res = credential
      ? await sendWith(http, url.href, init, credential)
      : await http.request(url.href, init);
    const location = res.headers.location;
    if (![301, 302, 303, 307, 308].includes(res.status) || !location) return { res, url, method, redirects };
    if (!follow) {
      ctx.note(t`redirected to ${new URL(location, url).href}; add -L to follow`);
      return { res, url, method, redirects };
    }
    if (redirects.length >= MAX_REDIRECTS) {
      throw new TogoError('HTTP_REDIRECTS', `${first.href} redirected more than ${MAX_REDIRECTS} times`, {
        details: { chain: [first.href, ...redirects] },
      });
    }
    const next = new URL(location, url);
    if (next.protocol !== 'http:' && next.protocol !== 'https:') {
      throw new TogoError('URL_MALFORMED', `redirected to a non-http URL: ${next.href}`);
    }
    if (next.origin !== first.origin) {
      const dropped = CREDENTIAL_HEADERS.filter((h) => headers[h] !== undefined);
      for (const h of dropped) delete headers[h];
      if (credential) dropped.unshift(credential.dpop ? 'the DPoP token' : 'authorization');
      credential = undefined;
      if (dropped.length > 0) {
        ctx.warn(t`redirected to another origin (${next.origin}); not sending ${dropped.join(', ')} there`);
      }
    }
    // 303, and 301/302 after a POST, continue as GET without the body (RFC 9110 §15.4).
    if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
      method = 'GET';
      body = undefined;
      delete headers['content-type'];
    }
    redirects.push(next.href);
    ctx.note(ctx.styleErr.dim(`→ ${res.status} ${next.href}`));
    url = next;
  }
}

/** The response on stdout (the body as it came, headers with -i, or one JSON document). */
function report(ctx: Ctx, sent: Sent, include: boolean): number {
  const { res, url } = sent;
  const statusText = STATUS_CODES[res.status] ?? '';
  const out = bodyOut(res);
  const failure = res.status >= 400 ? refusal(res, url, statusText) : undefined;
  if (ctx.json) {
    ctx.printJson({
      ok: failure === undefined,
      status: res.status,
      statusText,
      method: sent.method,
      url: url.href,
      redirects: sent.redirects,
      headers: res.headers,
      body: out.json !== undefined ? out.json : res.text,
      ...(failure ? { error: failure.toJSON() } : {}),
    });
    return failure ? failure.exitCode : 0;
  }
  ctx.note(t`HTTP ${res.status} ${statusText}`);
  if (include) {
    ctx.print(t`HTTP/1.1 ${res.status} ${statusText}`);
    for (const [name, value] of Object.entries(res.headers)) ctx.print(t`${name}: ${value}`);
    ctx.print(t``);
  }
  // The body is what the user asked for: as it is to a pipe, escaped on a terminal (see printBytes).
  if (out.text !== '') ctx.printBytes(out.text.endsWith('\n') ? out.text : `${out.text}\n`);
  if (failure) throw failure;
  return 0;
}

/** An HTTP error status as an error: a refused token the same condition (and code) as in userinfo. */
function refusal(res: HttpResponse, url: URL, statusText: string): TogoError {
  const { error, description } = bearerError(res.headers['www-authenticate']);
  const why = error ? ` (${error}${description ? `: ${description}` : ''})` : '';
  return new TogoError(
    res.status === 401 ? 'TOKEN_REJECTED' : 'API_STATUS',
    `HTTP ${res.status} ${statusText} from ${url.href}${why}`,
    {
      ...(res.status === 401 || res.status === 403
        ? {
            hint: "The API refused the token: expired (log in again), or the wrong kind: Togo ID's APIs take the ID token (--use id_token), others the access token (--use access_token).",
          }
        : {}),
      details: { status: res.status, url: url.href },
    },
  );
}
