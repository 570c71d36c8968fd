/**
 * Canned HTTP answers for fast tests of a command's logic: an undici MockAgent handed to the run
 * through the context's HTTP seam (`runCli(argv, { dispatcher })`), so a test that needs one or
 * two answers from a provider starts no server at all. Every request must have an answer: one
 * without is an error (no real network), and `requests` records what the command sent.
 * End-to-end tests against real providers stay in test/e2e/.
 */
import { MockAgent } from 'undici';
import { afterEach } from 'vitest';

export interface CannedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface CannedHttp {
  dispatcher: MockAgent;
  /** What the command sent, in order. */
  requests: CannedRequest[];
  /** Answers `method url` (every time) with a JSON body, or a string as it is. */
  reply(method: string, url: string, status: number, body: unknown, headers?: Record<string, string>): void;
}

function flat(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2)
      out[String(headers[i]).toLowerCase()] = String(headers[i + 1]);
  } else if (headers && typeof headers === 'object') {
    for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = String(v);
  }
  return out;
}

/** A fresh set of canned answers for each test; closed after it. */
export function useCannedHttp(): () => CannedHttp {
  const open: MockAgent[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((a) => a.close()));
  });
  return () => {
    const dispatcher = new MockAgent();
    dispatcher.disableNetConnect();
    open.push(dispatcher);
    const requests: CannedRequest[] = [];
    return {
      dispatcher,
      requests,
      reply(method, url, status, body, headers = {}) {
        const u = new URL(url);
        const text = typeof body === 'string' ? body : JSON.stringify(body);
        const type = typeof body === 'string' ? 'text/plain' : 'application/json';
        dispatcher
          .get(u.origin)
          .intercept({ method, path: `${u.pathname}${u.search}` })
          .reply(
            status,
            (opts) => {
              requests.push({
                method: opts.method,
                url: `${u.origin}${opts.path}`,
                headers: flat(opts.headers),
                body: typeof opts.body === 'string' ? opts.body : String(opts.body ?? ''),
              });
              return text;
            },
            { headers: { 'content-type': type, ...headers } },
          )
          .persist();
      },
    };
  };
}
