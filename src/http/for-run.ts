import type { Ctx } from '../cli/context.js';
import { createHttpClient, type HttpClient } from './client.js';

/** The flags every networked command shares. */
export interface NetworkFlags {
  /** Seconds. */
  timeout?: number;
  ca?: string;
}

/** One HTTP client for a command's run: its env, Ctrl-C, and request narration with --debug. */
export function httpClientFor(ctx: Ctx, flags: NetworkFlags): HttpClient {
  return createHttpClient({
    timeoutMs: (flags.timeout ?? 10) * 1000,
    ...(flags.ca ? { caFile: flags.ca } : {}),
    env: ctx.env,
    signal: ctx.signal,
    ...(ctx.debug ? { onEvent: (line: string) => ctx.stderr.write(`${ctx.styleErr.dim(line)}\n`) } : {}),
  });
}
