// npm run bench: measures togo against the runtime's floor and reports medians and ratios.
// It reports; it does not fail on noise. Results go to stdout (a table) and bench/results.json.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = `${root}bin/togo.js`;
const seedToken = readFileSync(`${root}test/fixtures/seed-id-token.txt`, 'utf8').trim();
const runs = Number(process.env.BENCH_RUNS ?? 30);
const warmup = 5;

function timeOnce(cmd, args) {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return { ms, status: r.status };
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Interleaves the cases run by run, so drift on a busy machine hits them all alike. */
function measure(cases) {
  const samples = new Map(cases.map((c) => [c.name, []]));
  for (let i = 0; i < warmup + runs; i++) {
    for (const c of cases) {
      const { ms, status } = timeOnce(c.cmd, c.args);
      if (status !== (c.expectStatus ?? 0)) throw new Error(`${c.name} exited ${status}`);
      if (i >= warmup) samples.get(c.name).push(ms);
    }
  }
  return cases.map((c) => ({ name: c.name, median: median(samples.get(c.name)) }));
}

const node = process.execPath;
const startup = measure([
  { name: 'node -e 0', cmd: node, args: ['-e', '0'] },
  { name: 'togo --help', cmd: node, args: [bin, '--help'] },
  { name: 'togo decode <seed token>', cmd: node, args: [bin, 'decode', seedToken] },
]);
const floor = startup[0].median;
const target = 1.2;
const rows = startup.map((r) => ({
  name: r.name,
  medianMs: Number(r.median.toFixed(1)),
  ratio: Number((r.median / floor).toFixed(2)),
  target: r.name === 'node -e 0' ? null : target,
}));

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
console.log(`Start-up, median of ${runs} runs (${machine})\n`);
const w = Math.max(...rows.map((r) => r.name.length));
console.log(`${'command'.padEnd(w)}  median ms  × node -e 0  target`);
for (const r of rows) {
  const verdict = r.target === null ? '' : r.ratio <= r.target ? `≤ ${r.target} ok` : `≤ ${r.target} MISSED`;
  console.log(
    `${r.name.padEnd(w)}  ${String(r.medianMs).padStart(9)}  ${String(r.ratio).padStart(11)}  ${verdict}`,
  );
}

writeFileSync(
  `${root}bench/results.json`,
  `${JSON.stringify({ date: new Date().toISOString(), machine, runs, startup: rows }, null, 2)}\n`,
);
console.log('\nWritten to bench/results.json');
