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

export async function readStdin(ctx: Ctx, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.stdin) {
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
  return Buffer.concat(chunks).toString('utf8');
}
