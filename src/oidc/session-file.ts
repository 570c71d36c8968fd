/**
 * The session file: what `togo login --save <file>` writes (mode 0600) and userinfo, api, logout,
 * introspect and revoke read back with `--session <file>`. Its shape, its parser and its text live
 * here; the command layer reads and writes the file itself (src/commands/shared/session-file.ts).
 */
import { TogoError } from '../errors.js';
import type { SavedDpopKey } from './dpop.js';

/** The tokens a session file may hold, by their token-response names. */
export type SessionTokenName = 'id_token' | 'access_token' | 'refresh_token';
export const SESSION_TOKEN_NAMES: readonly SessionTokenName[] = ['id_token', 'access_token', 'refresh_token'];

/** The tokens a login obtained, as `togo login --save` writes them and the session commands read them. */
export interface SessionTokens {
  id_token?: string;
  access_token?: string;
  refresh_token?: string;
  token_type?: string;
  expires_in?: number;
  scope?: string;
}

/** The file `togo login --save <file>` writes (mode 0600), read back by userinfo, api, logout… */
export interface SessionFile {
  version: 1;
  issuer?: string;
  clientId?: string;
  /** The provider's flavor: which token its APIs take (Togo: the ID token; standard: the access token). */
  flavor?: 'togo' | 'standard';
  obtainedAt?: string;
  /** The user the login verified (the ID token's sub): a refresh must return the same one. */
  sub?: string;
  /** When the access token expires (from expires_in at obtainedAt), as an ISO date. */
  expiresAt?: string;
  tokens: SessionTokens;
  /** `login --dpop --save`: the key the access token is bound to, so later requests can prove it. */
  dpop?: SavedDpopKey;
}

/** The file's text: indented JSON with a final newline. */
export function sessionFileText(session: SessionFile): string {
  return `${JSON.stringify(session, null, 2)}\n`;
}

/** Checks a session file's shape; the message names the field, never a token. */
export function parseSessionFile(text: string, path: string): SessionFile {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new TogoError('SESSION_INVALID', `${path} is not JSON (${(error as Error).message})`, {
      cause: error,
    });
  }
  const bad = (what: string) => new TogoError('SESSION_INVALID', `${path}: ${what}`);
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw bad('not a JSON object');
  const d = doc as Record<string, unknown>;
  if (d.version !== 1) {
    throw bad(`version is ${JSON.stringify(d.version ?? null)}; togo reads session files of version 1`);
  }
  for (const key of ['issuer', 'clientId', 'obtainedAt', 'sub', 'expiresAt'] as const) {
    if (d[key] !== undefined && typeof d[key] !== 'string') throw bad(`"${key}" is not a string`);
  }
  const tokens = d.tokens;
  if (typeof tokens !== 'object' || tokens === null || Array.isArray(tokens)) {
    throw bad('"tokens" is missing or not an object');
  }
  const t = tokens as Record<string, unknown>;
  for (const key of [...SESSION_TOKEN_NAMES, 'token_type', 'scope'] as const) {
    if (t[key] !== undefined && typeof t[key] !== 'string') throw bad(`"tokens.${key}" is not a string`);
  }
  if (!SESSION_TOKEN_NAMES.some((k) => typeof t[k] === 'string' && t[k] !== '')) {
    throw bad('"tokens" holds no id_token, access_token or refresh_token');
  }
  return doc as SessionFile;
}
