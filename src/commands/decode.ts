import type { DecodeFlags } from '../cli/commands/decode.js';
import type { Ctx } from '../cli/context.js';
import { decodeToken, extractToken } from '../oidc/token.js';

export async function decodeCommand(
  ctx: Ctx,
  tokenArg: string | undefined,
  flags: DecodeFlags,
): Promise<number> {
  const { token } = extractToken(tokenArg ?? '', flags.field);
  const decoded = decodeToken(token);
  ctx.printJson({ header: decoded.header, payload: decoded.payload });
  return 0;
}
