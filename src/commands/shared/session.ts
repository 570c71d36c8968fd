/**
 * What the session commands (userinfo, logout-url, logout, introspect, revoke, api) share: where
 * their tokens come from, which provider they talk to, and the endpoint they need from its
 * discovery document.
 *
 * Token sources, for every command alike: `--token <token>`, `--token-file <file>` (a raw token, a
 * pasted redirect URL, or a session file), `TOGO_TOKEN`, and `--session <file>` (what
 * `togo login --save <file>` writes). A token is never printed, echoed in an error or narrated.
 *
 * Heavy modules (jose, undici) are imported inside the functions, so declaring the flags for
 * `--help` stays cheap.
 */
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ConfigOptionValues } from '../../config/resolve.js';
import { TogoError } from '../../errors.js';
import type { HttpClient } from '../../http/client.js';
import {
  parseSessionFile,
  SESSION_TOKEN_NAMES,
  type SessionFile,
  type SessionTokenName,
} from '../../oidc/session-file.js';
import type { Discovery } from '../../provider/discovery.js';
import type { PinnedProvider } from '../../provider/gate.js';
import { t } from '../../ui/safe.js';
import { settingsWhere } from './config-flags.js';
import type { Ctx } from './context.js';

export interface TokenFlags {
  token?: string;
  tokenFile?: string;
  session?: string;
}

export interface NetworkFlags {
  timeout: number;
  ca?: string;
}

/** Where the tokens of a run come from, once read. Holds tokens: never print it. */
export interface TokenSources {
  /** A token the user handed over directly (--token, a raw --token-file, TOGO_TOKEN). */
  given?: { input: string; source: string };
  /** `from`: the flag that named the file; only --session may choose the issuer (see providerSettings). */
  session?: {
    path: string;
    file: SessionFile;
    from: '--session' | '--token-file';
    /** Found in the store (no file named): togo's to refresh. */
    stored?: true;
  };
}

export interface PickedToken {
  token: string;
  kind: SessionTokenName | 'given';
  /** For narration: "--token", "TOGO_TOKEN", "the access_token of session.json". */
  source: string;
}

const MAX_FILE_BYTES = 256 * 1024;

export const TOKEN_SOURCES_HINT =
  'Run `togo login` for this environment (it keeps the session), or pass --token <token>, --token-file <file>, --session <file>, or set TOGO_TOKEN.';

async function readSmallFile(ctx: Ctx, file: string, what: string): Promise<{ path: string; text: string }> {
  const path = resolve(ctx.cwd, file);
  let text: string;
  try {
    const info = await stat(path);
    if (info.size > MAX_FILE_BYTES) {
      throw new TogoError('INPUT_TOO_LARGE', `${path} is ${info.size} bytes; a ${what} is a few kilobytes`);
    }
    text = await readFile(path, 'utf8');
    // A session holds live tokens: say so when others may read it, as ssh does for keys.
    if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) {
      ctx.warn(t`${path} can be read by other users (mode ${(info.mode & 0o777).toString(8)}); chmod 600 it`);
    }
  } catch (error) {
    if (error instanceof TogoError) throw error;
    throw new TogoError(
      'INPUT_UNREADABLE',
      `cannot read the ${what} ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      { cause: error },
    );
  }
  return { path, text };
}

/** Reads every token source the user gave; nothing is required yet (see pickToken). */
export async function readTokenSources(
  ctx: Ctx,
  flags: TokenFlags,
  config?: ConfigOptionValues,
): Promise<TokenSources> {
  const out: TokenSources = {};
  if (flags.session !== undefined) {
    const { path, text } = await readSmallFile(ctx, flags.session, 'session file');
    out.session = { path, file: parseSessionFile(text, path), from: '--session' };
  }
  if (flags.token !== undefined) {
    out.given = { input: flags.token, source: '--token' };
  } else if (flags.tokenFile !== undefined) {
    const { path, text } = await readSmallFile(ctx, flags.tokenFile, 'token file');
    if (text.trimStart().startsWith('{')) {
      if (out.session) {
        throw new TogoError('USAGE', '--token-file and --session both name a session file', {
          hint: 'Give one session file, with --session.',
        });
      }
      out.session = { path, file: parseSessionFile(text, path), from: '--token-file' };
    } else {
      out.given = { input: text, source: path };
    }
  } else if (ctx.env.TOGO_TOKEN?.trim() && !out.session) {
    out.given = { input: ctx.env.TOGO_TOKEN, source: 'TOGO_TOKEN' };
  }
  // Nothing named: the session `togo login` kept for this environment's issuer and client.
  if (!out.session && !out.given && config) {
    const found = await storedSessionFor(ctx, config);
    if (found) out.session = { ...found, from: '--session', stored: true };
  }
  if (out.session) {
    const f = out.session.file;
    const has = SESSION_TOKEN_NAMES.filter((k) => f.tokens[k]).join(', ');
    ctx.note(
      ctx.styleErr.dim(
        `Session ${out.session.path}: ${has}${f.obtainedAt ? `, obtained ${f.obtainedAt}` : ''}${f.clientId ? ` by ${f.clientId}` : ''}.`,
      ),
    );
  }
  return out;
}

/**
 * The token a command needs: the one the user gave directly, else the session's token of `kind`.
 * `required: false` returns undefined when there is none.
 */
export async function pickToken(
  sources: TokenSources,
  kind: SessionTokenName,
  options: { required: true; what: string },
): Promise<PickedToken>;
export async function pickToken(
  sources: TokenSources,
  kind: SessionTokenName,
  options: { required: false; what: string },
): Promise<PickedToken | undefined>;
export async function pickToken(
  sources: TokenSources,
  kind: SessionTokenName,
  options: { required: boolean; what: string },
): Promise<PickedToken | undefined> {
  if (sources.given) {
    const { extractToken } = await import('../../oidc/token.js');
    // Accepts `Bearer …`, an Authorization header line or a redirect URL as decode does.
    const { token } = extractToken(sources.given.input, kind);
    return { token, kind: 'given', source: sources.given.source };
  }
  const session = sources.session;
  const fromSession = session?.file.tokens[kind];
  if (session && fromSession) {
    return { token: fromSession, kind, source: `the ${kind} of ${session.path}` };
  }
  if (!options.required) return undefined;
  if (session) {
    const has = SESSION_TOKEN_NAMES.filter((k) => session.file.tokens[k]);
    throw new TogoError('TOKEN_MISSING', `${session.path} holds no ${kind} (it has ${has.join(', ')})`, {
      hint:
        kind === 'id_token'
          ? `Pass the ${options.what} with --token, or log in again with --response-type "id_token token" or "code id_token".`
          : kind === 'refresh_token'
            ? // Only the code flow returns one, only for offline_access, which needs consent (OIDC Core
              // §11), and only to a client the provider gives them: Togo ID gives none, the emulator's
              // togo-offline does.
              `Pass the ${options.what} with --token, or, as a client the provider gives refresh tokens (Togo ID gives none; on the emulator, --client-id togo-offline), log in again with: togo login --response-type code --scope "openid offline_access" --prompt consent --save ${session.path}`
            : `Pass the ${options.what} with --token, or log in again with --response-type "id_token token" (Togo flavor) or code (standard), which return one, and --save.`,
    });
  }
  throw new TogoError('TOKEN_MISSING', `no ${options.what} given`, { hint: TOKEN_SOURCES_HINT });
}

/**
 * The stored session of the environment in effect (its issuer and client id), if the store has one.
 * The store is the user's own files (store.ts), read as a `--session` file of theirs is.
 */
export async function storedSessionFor(
  ctx: Ctx,
  config: ConfigOptionValues,
): Promise<{ path: string; file: SessionFile } | undefined> {
  const { storeDir, findStoredSession } = await import('./store.js');
  const dir = storeDir(ctx.env);
  if (!dir) return undefined;
  const { resolveConfig } = await import('../../config/load.js');
  const { note: _note, ...where } = settingsWhere(ctx);
  const { settings } = await resolveConfig({ flags: config, ...where });
  if (!settings.issuer || !settings.clientId) return undefined;
  return findStoredSession(dir, settings.issuer, settings.clientId);
}

export interface ProviderSettings {
  issuer: string;
  clientId?: string;
  /** From TOGO_CLIENT_SECRET only; never printed. */
  clientSecret?: string;
  /** The settings resolved, and whether the user confirmed a directory config (for --client-key). */
  resolved?: import('../../config/resolve.js').ResolvedConfig;
}

/**
 * The provider to talk to, by the gate's rule for files (src/provider/gate.ts). The configuration
 * pins the issuer (flags, TOGO_*, config files, else the default environment). A session file is
 * data: its issuer must be that one, except that a session file of the user's own (owned by them,
 * mode 600, as `togo login --save` writes it) named with --session chooses the issuer when nothing
 * was chosen for this run. A session issued elsewhere than an issuer chosen for this run is refused:
 * its tokens belong to that other issuer. Says on stderr which issuer is used and why.
 */
export async function providerSettings(
  ctx: Ctx,
  config: ConfigOptionValues,
  session: TokenSources['session'],
): Promise<ProviderSettings> {
  const { resolveConfig } = await import('../../config/load.js');
  const { clientSecretOf, howToSet, pinnedIssuer } = await import('../../config/resolve.js');
  const { assertFileIssuer, fileOwnership } = await import('../../provider/gate.js');
  // Resolved without its "Nothing configured" note: the issuer used is named below, once known.
  const { note: _note, ...where } = settingsWhere(ctx);
  const resolved = await resolveConfig({ flags: config, ...where });
  const { settings: s, sources } = resolved;
  // Only a choice made for this run (a flag, a TOGO_* variable) overrides the session.
  const chosen = (kind: string | undefined) => kind === 'flag' || kind === 'env';
  const envChosen = chosen(sources.environment?.kind);
  const issuerExplicit = chosen(sources.issuer?.kind) || envChosen;
  const clientExplicit = chosen(sources.clientId?.kind) || envChosen;
  const how =
    pinnedIssuer(resolved)?.by ??
    (sources.environment?.kind === 'default'
      ? `nothing configured: the default environment ${s.environment ?? ''}`.trim()
      : (sources.issuer?.label ?? 'your configuration'));

  let issuer = s.issuer;
  let sessionChose = false;
  const fileIssuer = session?.file.issuer;
  if (session && fileIssuer !== undefined) {
    const file = {
      what: session.from === '--session' ? 'the session file' : 'the token file',
      path: session.path,
      issuer: fileIssuer,
    };
    if (issuerExplicit && issuer) {
      assertFileIssuer(file, { issuer, how });
    } else {
      const owned = fileOwnership(session.path);
      const why =
        session.from !== '--session'
          ? 'a session file passed with --token-file is read for its tokens only (pass your own with --session)'
          : owned.own
            ? undefined
            : owned.why;
      if (why === undefined) {
        issuer = fileIssuer;
        sessionChose = true;
      } else if (issuer) {
        assertFileIssuer(file, { issuer, how }, why);
      } else {
        assertFileIssuer(file, { issuer: '(none)', how: 'no issuer configured' }, why);
      }
    }
  }
  let clientId = s.clientId;
  if (session?.file.clientId && (!clientExplicit || !clientId)) clientId = session.file.clientId;
  else if (session?.file.clientId && clientId && session.file.clientId !== clientId) {
    ctx.warn(
      t`the session's tokens were issued to ${session.file.clientId}, but the client id is ${clientId}`,
    );
  }
  if (!issuer) throw new TogoError('SETTING_MISSING', 'no issuer', { hint: howToSet('issuer') });
  if (sessionChose && session) {
    ctx.note(ctx.styleErr.dim(t`Using ${issuer}, the issuer of the session file ${session.path}.`));
  } else if (!issuerExplicit && sources.environment?.kind === 'default') {
    ctx.note(
      ctx.styleErr.dim(
        t`Nothing configured: using the ${s.environment ?? ''} environment (${issuer}). Choose another with --env or TOGO_ENV; \`togo config\` shows the settings.`,
      ),
    );
  }
  // The user's own session file chose the issuer: the secret may go there. Otherwise the
  // configuration's rule holds (never to an issuer a directory config chose, unless confirmed).
  const clientSecret = sessionChose ? ctx.env.TOGO_CLIENT_SECRET || undefined : clientSecretOf(resolved);
  return {
    issuer,
    ...(clientId ? { clientId } : {}),
    ...(clientSecret ? { clientSecret } : {}),
    // The user's own session file chose the issuer: nothing of the configuration's applies.
    ...(sessionChose ? {} : { resolved }),
  };
}

export type EndpointField =
  | 'userinfo_endpoint'
  | 'end_session_endpoint'
  | 'introspection_endpoint'
  | 'revocation_endpoint';

const ENDPOINT_USE: Record<EndpointField, string> = {
  userinfo_endpoint: 'userinfo (OIDC Core §5.3)',
  end_session_endpoint: 'RP-initiated logout',
  introspection_endpoint: 'token introspection (RFC 7662)',
  revocation_endpoint: 'token revocation (RFC 7009)',
};

export interface DiscoveredEndpoint {
  endpoint: string;
  discovery: Discovery;
  http: HttpClient;
  /** The pinned issuer and its document, as the gate (src/provider/gate.ts) reads endpoints from. */
  pinned: PinnedProvider;
}

/**
 * Fetches the issuer's discovery document (its issuer must match exactly, Discovery §4.3) and picks
 * one endpoint from it. A provider that does not advertise it is a provider error (exit 3) whose
 * hint names the metadata field.
 */
export async function discoverEndpoint(
  ctx: Ctx,
  issuer: string,
  field: EndpointField,
  net: NetworkFlags,
): Promise<DiscoveredEndpoint> {
  const { httpFor } = await import('./http.js');
  const { assertIssuer, fetchDiscovery } = await import('../../provider/discovery.js');
  const http = httpFor(ctx, { timeoutMs: net.timeout * 1000, ...(net.ca ? { caFile: net.ca } : {}) });
  const discovery = await fetchDiscovery(http, issuer);
  assertIssuer(discovery, issuer);
  const endpoint = discovery.metadata[field];
  if (typeof endpoint !== 'string' || endpoint === '') {
    throw new TogoError(
      'PROVIDER_ENDPOINT_MISSING',
      `${issuer} advertises no ${field} in its discovery document`,
      {
        hint: `The provider does not offer ${ENDPOINT_USE[field]}, or does not publish "${field}" at ${discovery.url}.`,
        details: { issuer, field, discoveryUrl: discovery.url },
      },
    );
  }
  const { credentialEndpoint } = await import('../../provider/gate.js');
  const pinned = { issuer, metadata: discovery.metadata, documentFrom: discovery.url };
  credentialEndpoint(pinned, field);
  ctx.note(ctx.styleErr.dim(`${field}: ${endpoint}`));
  return { endpoint, discovery, http, pinned };
}

/** A short, non-reversible name for a token, to say which one was used without showing it. */
export async function fingerprint(token: string): Promise<string> {
  const { createHash } = await import('node:crypto');
  return `sha256:${createHash('sha256').update(token).digest('hex').slice(0, 12)}`;
}
