/** The HTTP client of a run, wired to its context: environment (proxy), Ctrl-C, --debug, clean-up. */
import { createHttpClient, type HttpClient } from '../../http/client.js';
import { waitingForRequest } from '../../ui/progress.js';
import type { Ctx } from './context.js';

export interface NetworkOptions {
  timeoutMs: number;
  caFile?: string;
}

/**
 * One HTTP client per run: every networked step shares it, so no URL is fetched twice, and every
 * request that does not answer at once says what the run waits for (see Ctx.waiting).
 */
export function httpFor(ctx: Ctx, options: NetworkOptions): HttpClient {
  const http = createHttpClient({
    timeoutMs: options.timeoutMs,
    caFile: options.caFile,
    env: ctx.env,
    signal: ctx.signal,
    onEvent: ctx.debug ? (line) => ctx.note(ctx.styleErr.dim(line)) : undefined,
    onSlow: (request) => ctx.waiting(waitingForRequest(request), request.timeoutMs, request.waitedMs),
    ...(ctx.dispatcher ? { dispatcher: ctx.dispatcher } : {}),
  });
  ctx.defer(() => http.close());
  return http;
}
