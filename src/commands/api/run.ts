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
import { readStdin } from '../shared/input.js';
import { pickToken, readTokenSources } from '../shared/session.js';
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
  const headers: Record<string, string> = {};
  for (const h of flags.header ?? []) {
    const [name, value] = parseHeader(h);
    headers[name] = value;
  }
  let dpop: import('../../provider/dpop.js').DpopSession | undefined;
  let dpopToken: string | undefined;
  if (headers.authorization === undefined) {
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
    const token = await pickToken(sources, kind, {
      required: true,
      what: kind === 'id_token' ? "ID token (Togo ID's APIs take the ID token)" : 'access token',
    });
    const { dpopFromSession } = await import('../../provider/dpop.js');
    dpop =
      token.kind === 'given' ? undefined : await dpopFromSession(sources.session?.file, token.kind, ctx.now);
    if (dpop) dpopToken = token.token;
    else headers.authorization = `Bearer ${token.token}`;
    ctx.note(
      ctx.styleErr.dim(
        `Authorization: ${dpop ? 'DPoP' : 'Bearer'} <${token.kind === 'given' ? 'token' : kind} from ${token.source}>${dpop ? ' with a DPoP proof' : ''}`,
      ),
    );
    if (first.protocol === 'http:' && !isLoopback(first.hostname)) {
      ctx.warn(t`sending a bearer token over plain http to ${first.host}: anyone on the way can use it`);
    }
  } else {
    ctx.note(ctx.styleErr.dim('Authorization: as given with -H'));
  }

  let body: string | undefined;
  if (flags.data !== undefined) {
    body = await readData(ctx, flags.data);
    if (headers['content-type'] === undefined) {
      headers['content-type'] = isJson(body) ? 'application/json' : 'application/x-www-form-urlencoded';
    }
  }
  let method = (flags.request ?? (body !== undefined ? 'POST' : 'GET')).toUpperCase();
  if (!METHOD.test(method)) {
    throw new TogoError(
      'USAGE',
      `-X takes an HTTP method such as GET or PATCH, not ${JSON.stringify(flags.request)}`,
    );
  }

  const { httpFor } = await import('../shared/http.js');
  const http = httpFor(ctx, { timeoutMs: flags.timeout * 1000, ...(flags.ca ? { caFile: flags.ca } : {}) });
  let url = first;
  const redirects: string[] = [];
  let res: HttpResponse;
  for (;;) {
    const init = { method, headers, ...(body !== undefined ? { body } : {}), maxBytes: MAX_BODY_BYTES };
    res =
      dpop && dpopToken
        ? await (await import('../../provider/dpop.js')).requestWithDpop(
            http,
            url.href,
            init,
            dpop,
            dpopToken,
          )
        : await http.request(url.href, init);
    const location = res.headers.location;
    if (![301, 302, 303, 307, 308].includes(res.status) || !location) break;
    if (!flags.location) {
      ctx.note(t`redirected to ${new URL(location, url).href}; add -L to follow`);
      break;
    }
    if (redirects.length >= MAX_REDIRECTS) {
      throw new TogoError('HTTP_REDIRECTS', `${rawUrl} redirected more than ${MAX_REDIRECTS} times`, {
        details: { chain: [first.href, ...redirects] },
      });
    }
    const next = new URL(location, url);
    if (next.protocol !== 'http:' && next.protocol !== 'https:') {
      throw new TogoError('URL_MALFORMED', `redirected to a non-http URL: ${next.href}`);
    }
    // The token is for the origin the user named: a redirect elsewhere (another host, port or scheme)
    // goes on without credentials, as curl and browsers do.
    if (next.origin !== first.origin) {
      if (dpopToken)
        ctx.warn(t`redirected to another origin (${next.origin}); not sending the DPoP token there`);
      dpopToken = undefined;
      const dropped = CREDENTIAL_HEADERS.filter((h) => headers[h] !== undefined);
      for (const h of dropped) delete headers[h];
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

  const statusText = STATUS_CODES[res.status] ?? '';
  const out = bodyOut(res);
  const failed = res.status >= 400;
  let failure: TogoError | undefined;
  if (failed) {
    const { error, description } = bearerError(res.headers['www-authenticate']);
    const why = error ? ` (${error}${description ? `: ${description}` : ''})` : '';
    // A refused token is the same condition as in userinfo: the same code and exit code.
    const refused = res.status === 401;
    failure = new TogoError(
      refused ? 'TOKEN_REJECTED' : 'API_STATUS',
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

  if (ctx.json) {
    ctx.printJson({
      ok: !failed,
      status: res.status,
      statusText,
      method,
      url: url.href,
      redirects,
      headers: res.headers,
      body: out.json !== undefined ? out.json : res.text,
      ...(failure ? { error: failure.toJSON() } : {}),
    });
    return failure ? failure.exitCode : 0;
  }
  ctx.note(t`HTTP ${res.status} ${statusText}`);
  if (flags.include) {
    ctx.print(t`HTTP/1.1 ${res.status} ${statusText}`);
    for (const [name, value] of Object.entries(res.headers)) ctx.print(t`${name}: ${value}`);
    ctx.print(t``);
  }
  // The body is what the user asked for: as it is to a pipe, escaped on a terminal (see printBytes).
  if (out.text !== '') ctx.printBytes(out.text.endsWith('\n') ? out.text : `${out.text}\n`);
  if (failure) throw failure;
  return 0;
}
