/**
 * One refresh at a time per stored session: a lock file beside the session, created with O_EXCL.
 * A second `togo token` waits for the first to finish and then reads what it stored, so a provider
 * that rotates refresh tokens never sees one used twice. A lock left by a run that died (older than
 * STALE_MS) is taken over.
 */
import { closeSync, constants, openSync, statSync, unlinkSync, watch, writeSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { TogoError } from '../../errors.js';

/** A refresh takes one token request; a lock older than this belongs to a run that died. */
export const STALE_MS = 60_000;

function tryCreate(path: string): boolean {
  try {
    const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
    try {
      writeSync(fd, `${process.pid}\n`);
    } finally {
      closeSync(fd);
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new TogoError(
      'OUTPUT_UNWRITABLE',
      `cannot create the lock ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      { cause: error },
    );
  }
}

function isStale(path: string, now: number): boolean {
  try {
    return now - statSync(path).mtimeMs > STALE_MS;
  } catch {
    return false;
  }
}

/** Resolves when the lock file goes away (or a short while passes, to look again), or rejects on abort. */
function lockChanged(path: string, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const name = basename(path);
    let watcher: ReturnType<typeof watch> | undefined;
    const done = () => {
      clearTimeout(timer);
      watcher?.close();
      signal.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      done();
      reject(new TogoError('INTERRUPTED', 'stopped waiting for another togo token run'));
    };
    const timer = setTimeout(() => {
      done();
      resolve();
    }, ms);
    try {
      watcher = watch(dirname(path), (_event, file) => {
        if (file === null || file === name) {
          done();
          resolve();
        }
      });
      watcher.on('error', () => undefined);
    } catch {
      // No watching here: the timer looks again.
    }
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `work` holding the lock at `path`; `waited` says whether another run held it first. Waits at
 * most `timeoutMs` for it.
 */
export async function withLock<T>(
  path: string,
  timeoutMs: number,
  signal: AbortSignal,
  work: (waited: boolean) => Promise<T>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let waited = false;
  while (!tryCreate(path)) {
    waited = true;
    if (isStale(path, Date.now())) {
      try {
        unlinkSync(path);
      } catch {
        // another run took it over first
      }
      continue;
    }
    const left = deadline - Date.now();
    if (left <= 0) {
      throw new TogoError(
        'NET_TIMEOUT',
        `another togo token run has been refreshing this session for longer than ${Math.round(timeoutMs / 1000)} s (lock ${path})`,
        {
          hint: `Wait for it, or remove ${path} if no togo is running; it is taken over after ${STALE_MS / 1000} s.`,
        },
      );
    }
    await lockChanged(path, Math.min(left, 250), signal);
  }
  try {
    return await work(waited);
  } finally {
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  }
}
