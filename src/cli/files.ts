import { chmodSync, writeFileSync } from 'node:fs';
import { TogoError } from '../errors.js';

/** Writes a file only its owner can read: pending logins and saved tokens are secrets. */
export async function writeSecretFile(path: string, text: string): Promise<void> {
  try {
    // Synchronous: one small file, and node:fs/promises costs the start of login-url to load.
    writeFileSync(path, text, { mode: 0o600 });
    // writeFileSync keeps the mode of a file that already existed.
    chmodSync(path, 0o600);
  } catch (error) {
    throw new TogoError(
      'OUTPUT_UNWRITABLE',
      `cannot write ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      {
        cause: error,
      },
    );
  }
}
