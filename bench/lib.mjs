// Shared by the bench sections: paths, interleaved medians, resource usage of child processes.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const bin = join(root, 'bin/togo.cjs');
export const node = process.execPath;

/** `--name value` from the command line (`npm run bench -- --runs 5`), else the environment. */
function setting(name, envName) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : process.env[envName];
}
export const flag = (name) => process.argv.includes(`--${name}`);

export const runs = Math.max(1, Number(setting('runs', 'BENCH_RUNS') ?? 30) || 30);
export const warmup = Math.max(0, Number(setting('warmup', 'BENCH_WARMUP') ?? Math.min(5, runs)) || 0);
export const seedToken = readFileSync(join(root, 'test/fixtures/seed-id-token.txt'), 'utf8').trim();
export const seedLoginUrl = readFileSync(join(root, 'test/fixtures/seed-login-url.txt'), 'utf8').trim();

/** `togo login-url` composing offline: a Togo-flavor URL with every required setting given. */
export const loginUrlArgs = [
  'login-url',
  '--offline',
  '--env',
  'togo-staging',
  '--client-id',
  'my-app',
  '--redirect-uri',
  'http://127.0.0.1:8765/callback',
];

/** GNU time, when installed: wall, user, sys and max RSS of a child, read from its -o file. */
export const gnuTime = ['/usr/bin/time', '/bin/time'].find(
  (p) => existsSync(p) && spawnSync(p, ['-f', '%M', 'true'], { stdio: 'ignore' }).status === 0,
);

/** Without GNU time: a preload that writes the process's own resource usage on exit (Node only). */
const preload = `data:text/javascript,${encodeURIComponent(
  "import{writeFileSync}from'node:fs';process.on('exit',()=>{const r=process.resourceUsage();" +
    "writeFileSync(process.env.BENCH_RUSAGE_FILE,[r.userCPUTime,r.systemCPUTime,r.maxRSS].join(' '))});",
)}`;

/**
 * bash, when installed: its `times` prints the user and sys time of the children it waited for in
 * milliseconds (GNU time prints them in 10 ms steps, too coarse for a 20 ms start). CPU time is
 * what a busy machine disturbs least: wall time waits for the scheduler, CPU time does not.
 */
const bash = gnuTime && ['/bin/bash', '/usr/bin/bash'].find((p) => existsSync(p));

export const resourceMethod = gnuTime
  ? bash
    ? `CPU = user+sys of the child from bash's times (1 ms steps; GNU time's own share included); max RSS from ${gnuTime} -f %M`
    : `${gnuTime} -f "%U %S %M" (user, sys, max RSS of the whole child; CPU in 10 ms steps)`
  : 'no GNU time (apt-get install time): a --import preload reporting process.resourceUsage() on exit, Node children only';

export const rssMethod = gnuTime
  ? `${gnuTime} -f %M (max RSS of the whole child)`
  : 'no GNU time: process.resourceUsage().maxRSS from a --import preload, Node children only';

/** `0m0.023s` as milliseconds. */
const bashTime = (t) => {
  const m = /^(\d+)m([\d.]+)s$/.exec(t);
  return m ? (Number(m[1]) * 60 + Number(m[2])) * 1000 : Number.NaN;
};

/**
 * The Node binaries of the lines the start-up section measures: this process's own for its line,
 * the others through `npx -y node@<major>` (downloaded once into npm's cache), each resolved once
 * to its executable so that npx itself is never what is timed.
 */
export function nodeLines(majors) {
  const own = Number(process.versions.node.split('.')[0]);
  return majors.map((major) => {
    if (major === own) return { major, version: process.version, path: process.execPath };
    const r = spawnSync('npx', ['-y', `node@${major}`, '-p', 'process.version + " " + process.execPath'], {
      cwd: tmpdir(),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 300_000,
    });
    const [version, path] = (r.stdout ?? '').trim().split(' ');
    if (r.status !== 0 || !path || !existsSync(path)) {
      const why = (r.stderr || r.error?.message || `exit ${r.status}`).trim().split('\n').pop();
      return { major, missing: `npx -y node@${major} failed: ${why}` };
    }
    return { major, version, path };
  });
}

export function median(values) {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export const round = (v, digits = 1) => (v === null || v === undefined ? null : Number(v.toFixed(digits)));
export const ratio = (v, floor) => (v === null || !floor ? null : Number((v / floor).toFixed(2)));

export const benchEnv = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };

/** One run of a case, wall-clock only (no wrapper process in the way). */
export function timeOnce(c) {
  const start = process.hrtime.bigint();
  const r = spawnSync(c.cmd, c.args, {
    cwd: c.cwd,
    input: c.input,
    stdio: [c.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    env: { ...benchEnv, ...c.env },
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return { ms, status: r.status, stdout: r.stdout?.toString() ?? '', stderr: r.stderr?.toString() ?? '' };
}

/** One run of a case under GNU time (or the preload): CPU ms and max RSS in KiB; null when unknown. */
export function usageOnce(c, dir) {
  const file = join(dir, 'usage.txt');
  rmSync(file, { force: true });
  let cmd = c.cmd;
  let args = c.args;
  const env = { ...benchEnv, ...c.env };
  if (gnuTime && bash) {
    cmd = bash;
    // `times` on descriptor 3: the child writes to pipes, as in the timed run (not to /dev/null, a
    // character device, which a program may take for a terminal and load more to find out).
    args = ['-c', '"$@"; times >&3', 'bash', gnuTime, '-o', file, '-f', '%M', c.cmd, ...c.args];
  } else if (gnuTime) {
    cmd = gnuTime;
    args = ['-o', file, '-f', '%U %S %M', c.cmd, ...c.args];
  } else if (c.node ?? c.cmd === node) {
    args = ['--import', preload, ...c.args];
    env.BENCH_RUSAGE_FILE = file;
  } else {
    return { cpuMs: null, maxRssKiB: null };
  }
  const r = spawnSync(cmd, args, {
    cwd: c.cwd,
    input: c.input,
    stdio: [c.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
    env,
  });
  if (!existsSync(file)) return { cpuMs: null, maxRssKiB: null };
  if (gnuTime && bash) {
    // The last line of `times`: the children's user and sys time.
    const [u, s] = (r.output?.[3]?.toString() ?? '').trim().split('\n').pop().split(/\s+/).map(bashTime);
    const rss = Number(readFileSync(file, 'utf8').trim().split('\n').pop());
    return { cpuMs: Number.isFinite(u + s) ? u + s : null, maxRssKiB: Number.isFinite(rss) ? rss : null };
  }
  // GNU time may prefix "Command exited with non-zero status N"; the numbers are on the last line.
  const last = readFileSync(file, 'utf8').trim().split('\n').pop() ?? '';
  const [u, s, m] = last.split(/\s+/).map(Number);
  if (gnuTime) return { cpuMs: (u + s) * 1000, maxRssKiB: m };
  return { cpuMs: (u + s) / 1000, maxRssKiB: m };
}

/**
 * Interleaves the cases run by run, so drift on a busy machine hits them all alike. Each round runs
 * every case once for wall time and, with `usage`, once more under GNU time for CPU and memory.
 * `c.before()` runs before each timed run; `c.check(result)` may throw to reject a run or return extra numbers to keep per run.
 */
export function measure(cases, { usage = false } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'togo-bench-'));
  const samples = new Map(cases.map((c) => [c.name, { ms: [], cpu: [], rss: [], extra: [], errors: [] }]));
  try {
    for (let i = 0; i < warmup + runs; i++) {
      for (const c of cases) {
        const s = samples.get(c.name);
        if (s.errors.length > 0 && c.skipAfterError) continue;
        c.before?.();
        const r = timeOnce(c);
        let extra;
        try {
          if (r.status !== (c.expectStatus ?? 0)) {
            throw new Error(`exited ${r.status}: ${(r.stderr || r.stdout).trim().split('\n')[0] ?? ''}`);
          }
          extra = c.check?.(r);
        } catch (e) {
          s.errors.push(e.message);
          continue;
        }
        if (i < warmup) continue;
        s.ms.push(r.ms);
        if (extra !== undefined) s.extra.push(extra);
        if (usage) {
          const u = usageOnce(c, dir);
          if (u.cpuMs !== null) s.cpu.push(u.cpuMs);
          if (u.maxRssKiB !== null) s.rss.push(u.maxRssKiB);
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return cases.map((c) => {
    const s = samples.get(c.name);
    return {
      name: c.name,
      runs: s.ms.length,
      medianMs: round(median(s.ms)),
      cpuMs: round(median(s.cpu)),
      maxRssKiB: median(s.rss),
      extra: s.extra,
      error: s.errors[0] ?? null,
    };
  });
}

export function verdict(value, target) {
  if (target === null || target === undefined) return '';
  if (value === null || value === undefined) return 'n/a';
  return value <= target ? 'met' : 'MISSED';
}

/** A plain text table: columns padded, numbers right-aligned. */
export function table(headers, rows) {
  const cells = rows.map((r) => r.map((v) => (v === null || v === undefined ? '-' : String(v))));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i].length)));
  const numeric = headers.map((_, i) => cells.every((r) => /^-?[\d.]+$|^-$/.test(r[i])));
  const line = (r) =>
    r
      .map((v, i) => (numeric[i] ? v.padStart(widths[i]) : v.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(headers), ...cells.map(line)].join('\n');
}

/** A cookie jar over fetch, redirects followed by hand as a browser would (see test/mock/flow.ts). */
export class Agent {
  cookies = new Map();

  async fetch(url, init = {}) {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0)
      headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || attrs.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a)))
        this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }
}
