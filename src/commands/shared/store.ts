/**
 * The session store: what `togo login` verified, kept per issuer and client in the user's state
 * directory (`$XDG_STATE_HOME/togo`, else `~/.local/state/togo`), so that `togo token` and the
 * session commands find it without `--session <file>`. The directory is made 0700; each session is
 * a session file (src/oidc/session-file.ts) written as every secret is (files.ts: 0600, created
 * anew, never through a link). Every file here is the user's own, so the credential gate
 * (src/provider/gate.ts) lets it name its issuer, as a `--session` file of theirs may.
 *
 * Without XDG_STATE_HOME or HOME there is no store: nothing is kept, nothing is found.
 */
import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { TogoError } from '../../errors.js';
import { parseSessionFile, type SessionFile, type SessionTokenName } from '../../oidc/session-file.js';
import { t } from '../../ui/safe.js';
import type { Ctx } from './context.js';

/** What fits in a file name of 255 bytes with the lock's and the rename's suffixes beside it. */
const MAX_NAME_HEX = 200;

/** The store's directory for this environment, or undefined when neither variable is set. */
export function storeDir(env: Record<string, string | undefined>): string | undefined {
  const state = env.XDG_STATE_HOME;
  if (state && isAbsolute(state)) return join(state, 'togo');
  const home = env.HOME;
  if (home && isAbsolute(home)) return join(home, '.local', 'state', 'togo');
  return undefined;
}

/**
 * The file of the session of one issuer and client: their bytes in hex, a safe name on any file
 * system (no separator, no case to fold) that node:crypto need not be loaded for, which is most of
 * what a token served from the store would cost; a name too long for the file system is a hash.
 */
export function storedSessionPath(dir: string, issuer: string, clientId: string): string {
  const id = Buffer.from(`${issuer}\n${clientId}`, 'utf8').toString('hex');
  if (id.length <= MAX_NAME_HEX) return join(dir, `session-${id}.json`);
  // Loaded only for such a name (Node 20.16 and later have getBuiltinModule): node:crypto stays off
  // the common path.
  const { createHash } = process.getBuiltinModule('node:crypto');
  return join(dir, `session-h${createHash('sha256').update(`${issuer}\n${clientId}`).digest('hex')}.json`);
}

const STORED_NAME = /^session-h?[0-9a-f]+\.json$/;

/** Makes the store's directory (0700) or refuses one that is not the user's own directory. */
function ensureDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const info = lstatSync(dir);
    if (!info.isDirectory()) {
      throw new TogoError('OUTPUT_REFUSED', `togo does not keep sessions in ${dir}: it is not a directory`);
    }
    const uid = process.getuid?.();
    if (uid !== undefined && info.uid !== uid) {
      throw new TogoError(
        'OUTPUT_REFUSED',
        `togo does not keep sessions in ${dir}: it belongs to another user (uid ${info.uid})`,
      );
    }
    if ((info.mode & 0o077) !== 0) chmodSync(dir, 0o700);
  } catch (error) {
    if (error instanceof TogoError) throw error;
    throw new TogoError(
      'OUTPUT_UNWRITABLE',
      `cannot make the session store ${dir} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      { cause: error },
    );
  }
}

/** Keeps a session in the store, replacing the one of the same issuer and client; returns its path. */
export async function storeSession(
  dir: string,
  session: SessionFile & { issuer: string; clientId: string },
): Promise<string> {
  ensureDir(dir);
  const path = storedSessionPath(dir, session.issuer, session.clientId);
  const { saveSessionFile } = await import('./session-file.js');
  await saveSessionFile(path, session);
  return path;
}

/** The stored session of an issuer and client, or undefined. A damaged file is an error (SESSION_INVALID). */
export function findStoredSession(
  dir: string,
  issuer: string,
  clientId: string,
): { path: string; file: SessionFile } | undefined {
  const path = storedSessionPath(dir, issuer, clientId);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new TogoError(
      'INPUT_UNREADABLE',
      `cannot read the stored session ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      { cause: error },
    );
  }
  return { path, file: parseSessionFile(text, path) };
}

/** Every stored session, and the files that could not be read as one. */
export function listStoredSessions(dir: string): {
  sessions: { path: string; file: SessionFile }[];
  unreadable: { path: string; why: string }[];
} {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { sessions: [], unreadable: [] };
    throw new TogoError(
      'INPUT_UNREADABLE',
      `cannot read the session store ${dir} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      { cause: error },
    );
  }
  const sessions: { path: string; file: SessionFile }[] = [];
  const unreadable: { path: string; why: string }[] = [];
  for (const name of names.filter((n) => STORED_NAME.test(n)).sort()) {
    const path = join(dir, name);
    try {
      sessions.push({ path, file: parseSessionFile(readFileSync(path, 'utf8'), path) });
    } catch (error) {
      unreadable.push({ path, why: (error as Error).message });
    }
  }
  return { sessions, unreadable };
}

/** Removes a stored session; true when there was one. */
export function removeStoredSession(path: string): boolean {
  try {
    unlinkSync(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw new TogoError(
      'OUTPUT_UNWRITABLE',
      `cannot remove ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      { cause: error },
    );
  }
}

/** Whether a path is a session of the store (and so togo's to rewrite or remove). */
export function isStoredSession(dir: string | undefined, path: string): boolean {
  return dir !== undefined && path.startsWith(`${dir}/`) && STORED_NAME.test(path.slice(dir.length + 1));
}

/** Removes a session of the store that a logout ended (files elsewhere are the user's to keep). */
export function forgetStoredSession(ctx: Ctx, path: string): boolean {
  if (!isStoredSession(storeDir(ctx.env), path)) return false;
  const removed = removeStoredSession(path);
  if (removed) ctx.note(ctx.styleErr.dim(t`Removed the stored session ${path}.`));
  return removed;
}

/**
 * A token of a stored session was revoked: the session keeps what is still good, and is removed
 * once it holds neither an access token nor a refresh token.
 */
export async function dropStoredToken(
  ctx: Ctx,
  session: { path: string; file: SessionFile },
  kind: SessionTokenName,
): Promise<'removed' | 'updated' | 'untouched'> {
  if (!isStoredSession(storeDir(ctx.env), session.path)) return 'untouched';
  const tokens: SessionFile['tokens'] = { ...session.file.tokens };
  delete tokens[kind];
  if (!tokens.access_token && !tokens.refresh_token) {
    removeStoredSession(session.path);
    ctx.note(ctx.styleErr.dim(t`Removed the stored session ${session.path}.`));
    return 'removed';
  }
  const { saveSessionFile } = await import('./session-file.js');
  await saveSessionFile(session.path, { ...session.file, tokens });
  ctx.note(
    ctx.styleErr.dim(t`Removed the ${kind.replace('_', ' ')} from the stored session ${session.path}.`),
  );
  return 'updated';
}
