/**
 * Saving a session file (`togo login --save <file>`, `togo callback --save <file>`): its shape and
 * parser are in src/oidc/session-file.ts; it is written as every secret is, mode 0600, never through
 * a link (files.ts).
 */
import { type SessionFile, sessionFileText } from '../../oidc/session-file.js';
import { writeSecretFile } from './files.js';

export async function saveSessionFile(path: string, session: SessionFile): Promise<void> {
  await writeSecretFile(path, sessionFileText(session));
}
