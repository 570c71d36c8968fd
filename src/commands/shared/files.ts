import { chmod, writeFile } from 'node:fs/promises';
import { TogoError } from '../../errors.js';

/** Writes a file only its owner can read: pending logins and saved tokens are secrets. */
export async function writeSecretFile(path: string, text: string): Promise<void> {
  try {
    await writeFile(path, text, { mode: 0o600 });
    // writeFile keeps the mode of a file that already existed.
    await chmod(path, 0o600);
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
