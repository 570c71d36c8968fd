// Load and soak of `togo mock` as a long-running service: code-flow logins (PKCE and the token
// exchange) against the emulator in a child process, one at a time and 10 at once; logins per
// second, p50/p95, and the emulator's resident memory as the logins add up. Loopback only, a fixed
// number of logins, an overall deadline. It reports; a figure out of its target is a verdict in the
// table, never a failure (a login that fails is: the bench cannot measure what does not work).
// BENCH_LOAD=small runs a short series (a smoke test: its figures are not written to the docs).
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, bin, median, node, round, table } from './lib.mjs';

const small = process.env.BENCH_LOAD === 'small';
/** Logins after which the emulator's resident memory is read; the last is the soak's length. */
const CHECKPOINTS = small ? [500, 1000, 2000] : [1000, 10_000, 20_000, 30_000, 40_000, 50_000];
/** The figures the target compares: the memory must be flat from the first to the last. */
const FLAT_FROM = small ? 1000 : 10_000;
const SEQUENTIAL = small ? 200 : 1000;
const WARMUP = small ? 50 : 200;
const CONCURRENCY = 10;
const FLAT_TARGET = 1.1;
/** A bound on the whole section: past it the soak stops where it is and says so. */
const DEADLINE_MS = 80 * 60_000;
const REDIRECT_URI = 'http://127.0.0.1:53682/callback';

/** The emulator, as a team runs it for its test suite. */
async function startEmulator() {
  const child = spawn(node, [bin, 'mock', '--json', '--port', '0', '--auto-login', 'joe@m.test'], {
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
    if (stderr.length > 1e6) stderr = stderr.slice(-1e5);
  });
  const doc = await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      stdout += d;
      try {
        resolve(JSON.parse(stdout));
      } catch {}
    });
    child.on('exit', (code) => reject(new Error(`togo mock exited ${code}: ${stderr.slice(-300)}`)));
  });
  return { child, doc, stderr: () => stderr };
}

/** Resident memory of a process in KiB (Linux /proc; null elsewhere). */
function rssKiB(pid) {
  try {
    const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** One login of a new browser: authorize (auto-login), the code, the token exchange. Milliseconds. */
async function login(doc) {
  const started = performance.now();
  const verifier = randomBytes(32).toString('base64url');
  const url = new URL(doc.authorizationEndpoint);
  url.search = new URLSearchParams({
    client_id: 'togo-cli',
    redirect_uri: REDIRECT_URI,
    response_type: 'code',
    scope: 'openid email profile',
    state: randomBytes(16).toString('base64url'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();
  const agent = new Agent();
  let next = url.href;
  let code;
  for (let hop = 0; hop < 15 && code === undefined; hop++) {
    const res = await agent.fetch(next);
    await res.arrayBuffer();
    const location = res.headers.get('location');
    if (!location) throw new Error(`stopped at ${next} (HTTP ${res.status})`);
    next = new URL(location, next).href;
    if (next.startsWith(REDIRECT_URI)) code = new URL(next).searchParams.get('code');
  }
  if (!code) throw new Error(`no code: ${next}`);
  const res = await fetch(doc.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      client_id: 'togo-cli',
      code_verifier: verifier,
    }),
  });
  const tokens = await res.json();
  if (res.status !== 200 || typeof tokens.id_token !== 'string') {
    throw new Error(`token endpoint: HTTP ${res.status} ${JSON.stringify(tokens).slice(0, 200)}`);
  }
  return performance.now() - started;
}

const percentile = (values, p) => {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

/** `count` logins, `concurrency` at once; latencies and logins per second. */
async function series(doc, count, concurrency, deadline) {
  const latencies = [];
  let started = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (started < count && Date.now() < deadline) {
      started += 1;
      latencies.push(await login(doc));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - t0) / 1000;
  return {
    logins: latencies.length,
    perSecond: round(latencies.length / seconds, 0),
    p50: round(percentile(latencies, 50)),
    p95: round(percentile(latencies, 95)),
  };
}

const mib = (kib) => (kib === null ? null : round(kib / 1024));

export async function loadSection() {
  const deadline = Date.now() + DEADLINE_MS;
  const emulator = await startEmulator();
  const { doc, child } = emulator;
  const health = async () => await (await fetch(doc.healthUrl)).json();
  try {
    const first = await health();
    const memory = [
      {
        logins: 0,
        rssKiB: rssKiB(child.pid),
        stored: first.stored,
        heapKiB: first.memory.heapUsedBytes / 1024,
        between: [],
        heapBetween: [],
      },
    ];
    // Memory also sampled twice a second between checkpoints: one reading can catch garbage V8
    // has not collected yet, the samples of a stretch show where it sits. The heap in use (from
    // the health path) falls to what is live after each of V8's full collections, so its lowest
    // sample in a stretch is what the emulator keeps, whatever the resident figure holds besides.
    let samples = [];
    let heapSamples = [];
    const sampler = setInterval(() => {
      const v = rssKiB(child.pid);
      if (v !== null) samples.push(v);
      health().then(
        (h) => heapSamples.push(h.memory.heapUsedBytes / 1024),
        () => {},
      );
    }, 500);
    sampler.unref(); // a failed login must not leave it holding the process
    const checkpoint = async (logins) => {
      const h = await health();
      memory.push({
        logins,
        rssKiB: rssKiB(child.pid),
        stored: h.stored,
        heapKiB: h.memory.heapUsedBytes / 1024,
        between: samples,
        heapBetween: heapSamples,
      });
      samples = [];
      heapSamples = [];
    };
    await series(doc, WARMUP, 1, deadline);
    const one = await series(doc, SEQUENTIAL, 1, deadline);
    let done = WARMUP + SEQUENTIAL;
    const ten = [];
    for (const at of CHECKPOINTS) {
      if (Date.now() >= deadline) break;
      if (at > done) {
        const s = await series(doc, at - done, CONCURRENCY, deadline);
        ten.push({ until: at, ...s });
        done += s.logins;
      }
      await checkpoint(done);
    }
    clearInterval(sampler);
    const stopped = done < CHECKPOINTS.at(-1);
    // Throughput at 10 at once over the whole soak after the first checkpoint (the warm part).
    const warm = ten.slice(1);
    const tenAtOnce = {
      logins: warm.reduce((n, s) => n + s.logins, 0),
      perSecond: round(
        warm.reduce((n, s) => n + s.perSecond * s.logins, 0) / warm.reduce((n, s) => n + s.logins, 0),
        0,
      ),
      p50: round(warm.reduce((n, s) => n + s.p50 * s.logins, 0) / warm.reduce((n, s) => n + s.logins, 0)),
      p95: Math.max(...warm.map((s) => s.p95)),
    };
    const base = memory.find((m) => m.logins === FLAT_FROM)?.rssKiB ?? null;
    const last = memory.at(-1)?.rssKiB ?? null;
    const peakAfter = Math.max(...memory.filter((m) => m.logins >= FLAT_FROM).map((m) => m.rssKiB ?? 0));
    const ratio = base ? round(peakAfter / base, 2) : null;
    const verdict = ratio === null ? 'n/a' : ratio <= FLAT_TARGET ? 'met' : 'MISSED';
    // The same comparison for the heap the emulator keeps (lowest heap in use in each stretch).
    const lows = memory.filter((m) => m.logins >= FLAT_FROM && m.heapBetween.length > 0);
    const heapBase = lows[0] ? Math.min(...lows[0].heapBetween) : null;
    const heapPeak = lows.length ? Math.max(...lows.map((m) => Math.min(...m.heapBetween))) : null;
    const heapRatio = heapBase && heapPeak ? round(heapPeak / heapBase, 2) : null;
    const heapVerdict = heapRatio === null ? 'n/a' : heapRatio <= FLAT_TARGET ? 'met' : 'MISSED';
    const rows = [
      ['1 at a time', one.logins, one.perSecond, one.p50, one.p95],
      [`${CONCURRENCY} at once`, tenAtOnce.logins, tenAtOnce.perSecond, tenAtOnce.p50, tenAtOnce.p95],
    ];
    const text = [
      `## The emulator under load (target: resident memory flat within ${Math.round((FLAT_TARGET - 1) * 100)}% from ${FLAT_FROM.toLocaleString('en')} logins on)`,
      `method: togo mock --json --port 0 --auto-login joe@m.test (defaults: --max-sessions 1000, --session-ttl 3600) as a child; each login a new cookie jar: authorize with PKCE, the login page and auto-login, the code, the token exchange (6 requests) over loopback; ${WARMUP} warm-up logins, then ${SEQUENTIAL} one at a time, then ${CONCURRENCY} at once up to ${CHECKPOINTS.at(-1).toLocaleString('en')}; p95 of ${CONCURRENCY} at once is the worst of its stretches; resident memory = VmRSS of the emulator's process, stored = its health path's counts, read after each checkpoint; on the way = VmRSS sampled every 0.5 s since the checkpoint before; heap = the JavaScript heap in use (the health path's heapUsedBytes), lowest = its lowest sample since the checkpoint before, which V8's full collections bring down to what is live`,
      table(['logins', 'count', 'logins/s', 'p50 ms', 'p95 ms'], rows),
      '',
      table(
        [
          'after logins',
          'resident MiB',
          'sessions kept',
          'entries kept',
          'MiB on the way: median',
          'max',
          'heap MiB',
          'heap on the way: lowest',
          'median',
        ],
        memory.map((m) => [
          m.logins.toLocaleString('en'),
          mib(m.rssKiB),
          m.stored.sessions,
          m.stored.entries,
          mib(median(m.between)),
          m.between.length ? mib(Math.max(...m.between)) : null,
          mib(m.heapKiB),
          m.heapBetween.length ? mib(Math.min(...m.heapBetween)) : null,
          mib(median(m.heapBetween)),
        ]),
      ),
      `resident memory from ${FLAT_FROM.toLocaleString('en')} logins on: at most ${ratio ?? '-'}× the figure at ${FLAT_FROM.toLocaleString('en')} (target ≤ ${FLAT_TARGET}×): ${verdict}`,
      `heap kept (lowest heap in use of each stretch) from ${FLAT_FROM.toLocaleString('en')} logins on: at most ${heapRatio ?? '-'}× the stretch ending at ${FLAT_FROM.toLocaleString('en')} (target ≤ ${FLAT_TARGET}×): ${heapVerdict}`,
      ...(stopped
        ? [
            `stopped at ${done.toLocaleString('en')} logins: the section's ${DEADLINE_MS / 60_000} minutes were up`,
          ]
        : []),
    ].join('\n');
    return {
      text,
      docs: !small,
      json: {
        small,
        oneAtATime: one,
        tenAtOnce,
        stretches: ten,
        memory: memory.map((m) => ({
          logins: m.logins,
          rssMiB: mib(m.rssKiB),
          heapMiB: mib(m.heapKiB),
          heapLowestMiB: m.heapBetween.length ? mib(Math.min(...m.heapBetween)) : null,
          stored: m.stored,
          onTheWayMiB: {
            median: mib(median(m.between)),
            max: m.between.length ? mib(Math.max(...m.between)) : null,
          },
        })),
        flat: { from: FLAT_FROM, ratio, target: FLAT_TARGET, verdict, lastMiB: mib(last) },
        heapFlat: { from: FLAT_FROM, ratio: heapRatio, target: FLAT_TARGET, verdict: heapVerdict },
        stoppedAt: stopped ? done : null,
      },
    };
  } finally {
    child.kill('SIGINT');
    await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve()));
  }
}
