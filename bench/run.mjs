// npm run bench: togo measured against the runtime's floor and the tools developers would use instead.
// It reports; it does not fail on noise (exit 0 whatever the ratios; non-zero only when the bench
// itself cannot run). Results: a table on stdout and bench/results.json (git-ignored).
// BENCH_RUNS (default 30) sets the measured runs per case; BENCH_ONLY=startup,discover,... picks sections.
import { writeFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { discoverSection } from './discover.mjs';
import { footprintSection } from './footprint.mjs';
import { root, runs, table } from './lib.mjs';
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

/** Every target of issue 8 in one place: value, target, verdict. */
function targets(r) {
  const rows = [];
  for (const s of r.startup?.startup ?? []) {
    if (s.target) rows.push([`start-up: ${s.name}`, `${s.ratio ?? '-'}× node`, `≤ ${s.target}×`, s.verdict]);
  }
  const m = r.startup?.memory;
  if (m)
    rows.push(['peak memory: togo decode', `${m.decodeRatio ?? '-'}× node`, `≤ ${m.target}×`, m.verdict]);
  const d = r.discover;
  if (d?.togo) {
    rows.push(['discover: wall time', `${d.ratio ?? '-'}× floor`, `≤ ${d.target}×`, d.verdict]);
    const q = d.togo.requests;
    rows.push([
      'discover: requests',
      q.min === q.max ? q.min : `${q.min}–${q.max}`,
      'exactly 2',
      d.requestsVerdict,
    ]);
  }
  for (const f of r.login?.flows ?? []) {
    const q = f.requestsAfterCallback;
    rows.push([
      `login ${f.name}`,
      `${f.resultMs ?? '-'} ms, ${q ? q.max : '-'} req`,
      `< ${f.target} ms, ${f.expectRequests} req`,
      f.verdict,
    ]);
  }
  const fp = r.footprint;
  if (fp?.commandPaths) {
    rows.push([
      'help/decode/login-url/inspect-url load neither undici nor oidc-provider',
      fp.lightPathsClean ? 'clean' : 'loaded',
      'clean',
      fp.lightPathsClean ? 'met' : 'MISSED',
    ]);
  }
  return rows;
}
const summary = targets(results);
results.targets = summary.map(([what, value, target, verdict]) => ({ what, value, target, verdict }));
console.log(`## Targets\n${table(['what', 'measured', 'target', 'verdict'], summary)}\n`);

writeFileSync(join(root, 'bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log('Written to bench/results.json');
