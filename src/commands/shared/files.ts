import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fchmodSync,
  fsyncSync,
  lstatSync,
  openSync,
  renameSync,
  type Stats,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { TogoError } from '../../errors.js';

/**
 * Writes a file only its owner can read: pending logins and saved tokens are secrets.
 *
 * The text goes into a new file, created exclusively (O_EXCL, never through a symbolic link) with
 * mode 0600 beside the target, and is then renamed into place: togo never writes into a file it did
 * not create, so an existing file keeps neither its old mode nor its old owner, and a link is never
 * followed. A target that is a link, not a regular file, or another user's file is refused
 * (OUTPUT_REFUSED), and the file there is left as it was. Synchronous: one small file, and
 * node:fs/promises would cost the start of login-url to load.
 */
export async function writeSecretFile(path: string, text: string): Promise<void> {
  writeNew(path, text, 0o600, 'secrets');
}

/**
 * Writes a report (JUnit XML, …) the same way as a secret: a new file renamed into place, never
 * through a link nor over a file that is not a regular file of the user's. Its mode is the usual
 * 0666 less the umask, as a shell redirection would make it.
 */
export async function writeReportFile(path: string, text: string): Promise<void> {
  writeNew(path, text, 0o666, 'reports');
}

/** Writes a config file as a report is written: a new file renamed into place, no link followed. */
export function writeSettingsFile(path: string, text: string): void {
  writeNew(path, text, 0o666, 'settings');
}

/**
 * Refuses, before any work, a report path togo would not write to (a link, not a regular file,
 * another user's file), so a long run does not end in a report that cannot be written.
 */
export function checkReportTarget(path: string): void {
  refuseTarget(path, 'reports');
}

function refuseTarget(path: string, what: string): void {
  const refuse = (why: string): never => {
    throw new TogoError('OUTPUT_REFUSED', `togo does not write ${what} to ${path}: ${why}`);
  };
  let existing: Stats | undefined;
  try {
    existing = lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw unwritable(path, error);
  }
  if (existing) {
    if (existing.isSymbolicLink()) refuse('it is a symbolic link');
    if (!existing.isFile()) refuse('it is not a regular file');
    const uid = process.getuid?.();
    if (uid !== undefined && existing.uid !== uid) refuse(`it belongs to another user (uid ${existing.uid})`);
  }
}

function writeNew(path: string, text: string, mode: number, what: string): void {
  refuseTarget(path, what);

  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  let created = false;
  try {
    const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);
    const fd = openSync(temp, flags, mode);
    created = true;
    try {
      // The umask may narrow a secret's mode, never widen it; set exactly 0600 on the file togo made.
      if (mode === 0o600) fchmodSync(fd, 0o600);
      writeFileSync(fd, text, 'utf8');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    // rename replaces the directory entry itself: it never writes through a link planted meanwhile.
    renameSync(temp, path);
    created = false;
  } catch (error) {
    if (error instanceof TogoError) throw error;
    throw unwritable(path, error);
  } finally {
    if (created) {
      try {
        unlinkSync(temp);
      } catch {
        // already gone
      }
    }
  }
}

function unwritable(path: string, error: unknown): TogoError {
  return new TogoError(
    'OUTPUT_UNWRITABLE',
    `cannot write ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    { cause: error },
  );
}
