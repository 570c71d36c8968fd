// `togo discover` against a local Togo-shaped provider: requests per run (document + JWKS, exactly
// two) and wall time against bare Node fetching the same two documents.
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { bin, measure, node, ratio, runs, table, verdict } from './lib.mjs';

export const DISCOVER_TARGET = 1.3;

// The floor: Node starts, fetches the document, then the JWKS it names, and parses both.
const floorScript =
  'const d = await (await fetch(process.argv[1] + "/.well-known/openid-configuration")).json();' +
  'await (await fetch(d.jwks_uri)).json();';

export async function discoverSection() {
  const counts = new Int32Array(new SharedArrayBuffer(12));
  const worker = new Worker(new URL('./discover-server.mjs', import.meta.url), {
    workerData: { counts: counts.buffer },
  });
  const [{ issuer }] = await once(worker, 'message');
  try {
    /** Counts what one timed run asked the server for: reset before, read after. */
    const reset = () => {
      for (let i = 0; i < 3; i++) Atomics.store(counts, i, 0);
    };
    const counted = () => ({ total: counts[0], doc: counts[1], jwks: counts[2] });
    const cases = [
      {
        name: 'node: fetch document + JWKS',
        cmd: node,
        args: ['--input-type=module', '-e', floorScript, issuer],
        before: reset,
        check: counted,
      },
      {
        name: `togo discover <local issuer>`,
        cmd: node,
        args: [bin, 'discover', issuer],
        before: reset,
        check: counted,
      },
    ];
    const [floor, togo] = measure(cases, { usage: true });
    const requests = (r) => {
      const totals = r.extra.map((e) => e.total);
      return { min: Math.min(...totals), max: Math.max(...totals), last: r.extra.at(-1) };
    };
    const togoReq = requests(togo);
    const floorReq = requests(floor);
    const x = ratio(togo.medianMs, floor.medianMs);
    const exactlyTwo = togoReq.min === 2 && togoReq.max === 2;
    const json = {
      issuer,
      floor: { medianMs: floor.medianMs, cpuMs: floor.cpuMs, requests: floorReq, error: floor.error },
      togo: { medianMs: togo.medianMs, cpuMs: togo.cpuMs, requests: togoReq, error: togo.error },
      ratio: x,
      target: DISCOVER_TARGET,
      verdict: verdict(x, DISCOVER_TARGET),
      requestsVerdict: exactlyTwo ? 'met' : 'MISSED',
    };
    const reqText = (q) => (q.min === q.max ? String(q.min) : `${q.min}–${q.max}`);
    const text = [
      `## Discover (target ≤ ${DISCOVER_TARGET}× the floor; exactly 2 requests: document and JWKS)`,
      `method: a node:http provider in a worker thread on 127.0.0.1 counts requests per run; floor = node fetching the document then its jwks_uri; median wall time of ${runs} interleaved runs`,
      table(
        ['command', 'wall ms', '× floor', 'CPU ms', 'requests', 'target'],
        [
          [
            floor.name,
            floor.medianMs,
            1,
            floor.cpuMs,
            reqText(floorReq),
            floor.error ? `error: ${floor.error}` : 'floor',
          ],
          [
            togo.name,
            togo.medianMs,
            x,
            togo.cpuMs,
            reqText(togoReq),
            togo.error
              ? `error: ${togo.error}`
              : `≤ ${DISCOVER_TARGET} ${json.verdict}; 2 requests ${json.requestsVerdict}`,
          ],
        ],
      ),
    ].join('\n');
    return { text, json };
  } finally {
    worker.postMessage('close');
    await once(worker, 'exit');
  }
}
