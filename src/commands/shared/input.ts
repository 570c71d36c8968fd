import { TogoError } from '../../errors.js';
import { MAX_TOKEN_BYTES } from '../../oidc/token.js';
import { t } from '../../ui/safe.js';
import type { Ctx } from './context.js';

/**
 * The token argument, or standard input when it is `-` or absent and stdin is not a terminal.
 * Reading stops at a size cap, so megabytes of garbage fail fast instead of filling memory.
 */
export async function readTokenArgument(ctx: Ctx, arg: string | undefined): Promise<string> {
  if (arg !== undefined && arg !== '-') return arg;
  if (arg === undefined && ctx.stdin.isTTY) {
    throw new TogoError('TOKEN_MISSING', 'no token given');
  }
  if (ctx.stdin.isTTY) ctx.note(t`Reading the token from standard input (end with Ctrl-D)…`);
  return readStdin(ctx, MAX_TOKEN_BYTES);
}

/**
 * Reads standard input to its end. Ctrl-C ends the read at once (exit 130): a terminal read
 * otherwise waits for the next line before it notices.
 */
export async function readStdin(ctx: Ctx, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  const interrupted = () => new TogoError('INTERRUPTED', 'interrupted while reading standard input');
  if (ctx.signal.aborted) throw interrupted();
  const iterator = ctx.stdin[Symbol.asyncIterator]();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(interrupted());
    ctx.signal.addEventListener('abort', onAbort, { once: true });
  });
  aborted.catch(() => {});
  try {
    for (;;) {
      const next = await Promise.race([iterator.next(), aborted]);
      if (next.done) break;
      const chunk = next.value;
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk);
      size += buf.length;
      if (size > maxBytes) {
        throw new TogoError(
          'INPUT_TOO_LARGE',
          `standard input is larger than ${Math.round(maxBytes / 1024)} KiB`,
        );
      }
      chunks.push(buf);
    }
  } catch (error) {
    // Lets go of the terminal, so the process can end.
    void iterator.return?.();
    throw error;
  } finally {
    if (onAbort) ctx.signal.removeEventListener('abort', onAbort);
  }
  return Buffer.concat(chunks).toString('utf8');
}
