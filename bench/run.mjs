// npm run bench: togo measured against the runtime's floor and the tools developers would use instead.
// It reports; it does not fail on noise (exit 0 whatever the ratios; non-zero only when the bench
// itself cannot run). Results: a table on stdout and bench/results.json (git-ignored).
// BENCH_RUNS (default 30) sets the measured runs per case; BENCH_ONLY=startup,discover,... picks sections.
import { writeFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { discoverSection } from './discover.mjs';
import { footprintSection } from './footprint.mjs';
import { root, runs } from './lib.mjs';
import { loginSection } from './login.mjs';
import { startupSection } from './startup.mjs';

const machine = `${cpus().length} × ${cpus()[0]?.model?.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Linux ${release()}, Node ${process.version}`;
const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
const sections = [
  ['startup', startupSection],
  ['discover', discoverSection],
  ['login', loginSection],
  ['footprint', footprintSection],
];

console.log(`togo bench — ${new Date().toISOString()}\nmachine: ${machine}\nruns per case: ${runs}\n`);
const results = { date: new Date().toISOString(), machine, runs };
for (const [name, fn] of sections) {
  if (only && !only.includes(name)) continue;
  try {
    const s = await fn();
    console.log(`${s.text}\n`);
    results[name] = s.json;
  } catch (e) {
    console.log(`## ${name}: could not run — ${e.stack ?? e}\n`);
    results[name] = { error: String(e.message ?? e) };
  }
}

writeFileSync(join(root, 'bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log('Written to bench/results.json');
