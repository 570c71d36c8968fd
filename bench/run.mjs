// npm run bench: togo measured against the runtime's floor and the tools developers would use instead.
// It reports; it does not fail on noise (exit 0 whatever the ratios; non-zero only when the bench
// itself cannot run: a section that cannot run, a Node line that cannot be had, togo failing a
// command). Results: a table on stdout, bench/results.json (git-ignored) and, for runs of
// 10 or more per case, the generated section of docs/performance.md.
// Options (after `npm run bench --`): --runs N (default 30; BENCH_RUNS), --warmup N (BENCH_WARMUP),
// --startup-only (or BENCH_ONLY=startup,discover,... to pick sections), --no-docs.
// The load section (the emulator under load, a few minutes) keeps its own generated section of
// docs/performance.md, written whenever it runs its full series (not BENCH_LOAD=small).
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { discoverSection } from './discover.mjs';
import { footprintSection } from './footprint.mjs';
import { flag, root, runs, table } from './lib.mjs';
import { loadSection } from './load.mjs';
import { loginSection } from './login.mjs';
import { startupSection } from './startup.mjs';

const machine = `${cpus().length} × ${cpus()[0]?.model?.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Linux ${release()}, Node ${process.version}`;
const only = flag('startup-only') ? ['startup'] : process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
const sections = [
  ['startup', startupSection],
  ['discover', discoverSection],
  ['login', loginSection],
  ['footprint', footprintSection],
  ['load', loadSection],
];

const out = [];
const loadOut = [];
const say = (text, into = out) => {
  console.log(text);
  into.push(text);
};
const heading = `togo bench — ${new Date().toISOString()}\nmachine: ${machine}`;
say(`${heading}\nruns per case: ${runs}\n`);
loadOut.push(`${heading}\n`);
const results = { date: new Date().toISOString(), machine, runs };
let mainSections = 0;
let loadForDocs = false;
for (const [name, fn] of sections) {
  if (only && !only.includes(name)) continue;
  const into = name === 'load' ? loadOut : out;
  if (name !== 'load') mainSections += 1;
  try {
    const s = await fn();
    say(`${s.text}\n`, into);
    results[name] = s.json;
    if (name === 'load') loadForDocs = s.docs;
  } catch (e) {
    say(`## ${name}: could not run — ${e.stack ?? e}\n`, into);
    results[name] = { error: String(e.message ?? e) };
    process.exitCode = 1;
  }
}
// Slow is reported, broken is a failure: a Node line not measured or a togo command that failed.
for (const l of results.startup?.lines ?? []) if (l.missing) process.exitCode = 1;
for (const s of results.startup?.startup ?? []) if (s.error) process.exitCode = 1;

/** Every target in one place: value, target, verdict. */
function targets(r) {
  const rows = [];
  for (const s of r.startup?.startup ?? []) {
    if (s.target)
      rows.push([
        `start-up, Node ${s.line}: ${s.name}`,
        `${s.ratio ?? '-'}× node`,
        `≤ ${s.target}×`,
        s.verdict,
      ]);
  }
  for (const m of r.startup?.memory ?? [])
    rows.push([
      `peak memory, Node ${m.line}: togo decode`,
      `${m.decodeRatio ?? '-'}× node`,
      `≤ ${m.target}×`,
      m.verdict,
    ]);
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
  const l = r.load;
  if (l?.flat) {
    rows.push([
      'emulator memory under load',
      `${l.flat.ratio ?? '-'}× (${l.flat.from} → ${l.memory.at(-1)?.logins} logins)`,
      `≤ ${l.flat.target}×`,
      l.flat.verdict,
    ]);
  }
  if (l?.heapFlat) {
    rows.push([
      'emulator heap kept under load',
      `${l.heapFlat.ratio ?? '-'}× (${l.heapFlat.from} → ${l.memory.at(-1)?.logins} logins)`,
      `≤ ${l.heapFlat.target}×`,
      l.heapFlat.verdict,
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
say(`## Targets\n${table(['what', 'measured', 'target', 'verdict'], summary)}`);

writeFileSync(join(root, 'bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log('\nWritten to bench/results.json');

// The performance page keeps the latest run between markers; the rest of the page is prose. The
// load section has markers of its own, so running one part leaves the other's figures alone.
function writeDocs(name, lines) {
  const BEGIN = `<!-- generated by npm run bench${name}: begin -->`;
  const END = `<!-- generated by npm run bench${name}: end -->`;
  const page = join(root, 'docs/performance.md');
  const text = readFileSync(page, 'utf8');
  const begin = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (begin < 0 || end < begin) {
    console.log(`docs/performance.md has no generated section (${BEGIN} … ${END}): not written`);
  } else {
    const generated = `${BEGIN}\n\n\`\`\`\n${lines.join('\n').trim()}\n\`\`\`\n\n${END}`;
    writeFileSync(page, text.slice(0, begin) + generated + text.slice(end + END.length));
    console.log(`Written to docs/performance.md${name ? ` ${name.trim()}` : ''}`);
  }
}
if (flag('no-docs')) {
  console.log('docs/performance.md left as it is (--no-docs)');
} else {
  if (mainSections > 0 && runs < 10) {
    console.log(`docs/performance.md left as it is: ${runs} runs per case are a smoke test, not figures`);
  } else if (mainSections > 0) {
    writeDocs('', out);
  }
  if (results.load && !loadForDocs) {
    console.log(
      'docs/performance.md: the load figures left as they are (BENCH_LOAD=small or the section failed)',
    );
  } else if (results.load) {
    writeDocs(' (load)', loadOut);
  }
}
