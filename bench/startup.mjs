// Start-up of the offline commands against bare `node -e 0`, the other JWT decoders on the same token,
// and peak memory, all from one interleaved series of runs.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  bin,
  gnuTime,
  loginUrlArgs,
  measure,
  node,
  ratio,
  resourceMethod,
  root,
  runs,
  seedLoginUrl,
  seedToken,
  table,
  verdict,
  warmup,
} from './lib.mjs';

export const STARTUP_TARGET = 1.15;
export const MEMORY_TARGET = 1.25;

/** Debian's `jwt` (golang-jwt's command): found at /usr/bin/jwt when it is that program. */
function debianJwt() {
  const path = '/usr/bin/jwt';
  if (!existsSync(path)) return null;
  return path;
}

/** The `jwt-cli` npm package: the bench-local prefix first, then a global install. */
function jwtCli() {
  const candidates = [join(root, 'bench/.tools/node_modules/jwt-cli/index.js')];
  if (process.env.npm_config_prefix) {
    candidates.push(join(process.env.npm_config_prefix, 'lib/node_modules/jwt-cli/index.js'));
  }
  candidates.push('/usr/local/lib/node_modules/jwt-cli/index.js', '/usr/lib/node_modules/jwt-cli/index.js');
  return candidates.find((p) => existsSync(p)) ?? null;
}

const INSTALL = {
  jwt: 'missing (apt-get install jwt, or bash bench/install-tools.sh)',
  jwtCli: 'missing (bash bench/install-tools.sh: npm install --prefix bench/.tools jwt-cli)',
};

/** Decoded at all: the seed's email claim is in the output. Expanded: Togo's `user` claim as plain text. */
function decodeCheck(r) {
  return {
    decoded: r.stdout.includes('joe@m.test'),
    userClaimExpanded: /(?<!\\")Campervan Owner/.test(r.stdout),
  };
}

export function startupSection() {
  const cases = [
    { name: 'node -e 0', cmd: node, args: ['-e', '0'], role: 'floor' },
    { name: 'togo --help', cmd: node, args: [bin, '--help'], role: 'togo' },
    {
      name: 'togo decode <seed>',
      cmd: node,
      args: [bin, 'decode', seedToken],
      role: 'togo',
      check: decodeCheck,
    },
    {
      name: 'togo login-url --offline',
      cmd: node,
      args: [bin, ...loginUrlArgs],
      role: 'togo',
    },
    { name: 'togo inspect-url <seed>', cmd: node, args: [bin, 'inspect-url', seedLoginUrl], role: 'togo' },
  ];
  const tools = [];
  const dj = debianJwt();
  tools.push({ name: 'jwt -show - (Debian jwt, golang-jwt)', path: dj, missing: INSTALL.jwt });
  if (dj) {
    cases.push({
      name: 'jwt -show - (Debian jwt, golang-jwt)',
      cmd: dj,
      args: ['-show', '-'],
      input: seedToken,
      role: 'tool',
      check: decodeCheck,
      skipAfterError: true,
    });
  }
  const jc = jwtCli();
  tools.push({ name: 'jwt (npm jwt-cli), token on stdin', path: jc, missing: INSTALL.jwtCli });
  if (jc) {
    cases.push({
      name: 'jwt (npm jwt-cli), token on stdin',
      cmd: node,
      args: [jc],
      input: seedToken,
      role: 'tool',
      check: decodeCheck,
      skipAfterError: true,
    });
  }

  const results = measure(cases, { usage: true });
  const byName = new Map(results.map((r) => [r.name, r]));
  const floor = byName.get('node -e 0');
  const decode = byName.get('togo decode <seed>');

  const startup = cases
    .filter((c) => c.role !== 'tool')
    .map((c) => {
      const r = byName.get(c.name);
      const x = ratio(r.medianMs, floor.medianMs);
      return {
        name: c.name,
        medianMs: r.medianMs,
        ratio: x,
        cpuMs: r.cpuMs,
        cpuRatio: ratio(r.cpuMs, floor.cpuMs),
        target: c.role === 'floor' ? null : STARTUP_TARGET,
        verdict: c.role === 'floor' ? '' : verdict(x, STARTUP_TARGET),
        error: r.error,
      };
    });

  const decoders = [{ name: 'togo decode <seed>', path: bin, missing: null }, ...tools].map((t) => {
    if (!t.path) return { name: t.name, status: t.missing, medianMs: null, ratioToNode: null };
    const r = byName.get(t.name);
    const last = r.extra.at(-1);
    return {
      name: t.name,
      status: r.error && r.runs === 0 ? `fails: ${r.error}` : 'ok',
      decoded: last?.decoded ?? false,
      userClaimExpanded: last?.userClaimExpanded ?? false,
      medianMs: r.medianMs,
      ratioToNode: ratio(r.medianMs, floor.medianMs),
      ratioToTogo: ratio(r.medianMs, decode.medianMs),
      cpuMs: r.cpuMs,
      maxRssKiB: r.maxRssKiB,
    };
  });

  const memRatio = ratio(decode.maxRssKiB, floor.maxRssKiB);
  const memory = {
    method: resourceMethod,
    rows: results.map((r) => ({
      name: r.name,
      maxRssKiB: r.maxRssKiB,
      ratio: ratio(r.maxRssKiB, floor.maxRssKiB),
    })),
    decodeRatio: memRatio,
    target: MEMORY_TARGET,
    verdict: verdict(memRatio, MEMORY_TARGET),
  };

  const text = [
    `## Start-up (target ≤ ${STARTUP_TARGET}× node -e 0)`,
    `method: median wall time of ${runs} interleaved runs per command (${warmup} warm-up rounds), spawnSync from this process; CPU = user+sys ${gnuTime ? 'from GNU time' : 'from a preload'}`,
    table(
      ['command', 'wall ms', '× node', 'CPU ms', 'CPU ×', 'target'],
      startup.map((r) => [
        r.name,
        r.medianMs,
        r.ratio,
        r.cpuMs,
        r.cpuRatio,
        r.error ? `error: ${r.error}` : r.target ? `≤ ${r.target} ${r.verdict}` : 'floor',
      ]),
    ),
    '',
    '## The same decode with other tools (same token, same runs)',
    'method: as above; "decoded" = the seed\'s claims are in the output; "user claim" = Togo\'s JSON-in-a-string claim shown expanded',
    table(
      ['decoder', 'wall ms', '× node', '× togo', 'decoded', 'user claim', 'status'],
      decoders.map((d) => [
        d.name,
        d.medianMs,
        d.ratioToNode,
        d.ratioToTogo,
        d.medianMs === null ? null : d.decoded ? 'yes' : 'no',
        d.medianMs === null ? null : d.userClaimExpanded ? 'expanded' : 'raw string',
        d.status,
      ]),
    ),
    '',
    `## Peak memory (target: togo decode ≤ ${MEMORY_TARGET}× node -e 0)`,
    `method: median max RSS over the same runs, ${resourceMethod}`,
    table(
      ['command', 'max RSS MiB', '× node'],
      memory.rows.map((r) => [
        r.name,
        r.maxRssKiB === null ? null : (r.maxRssKiB / 1024).toFixed(1),
        r.ratio,
      ]),
    ),
    `togo decode: ${memRatio ?? 'n/a'}× node -e 0 — ${memory.verdict}`,
  ].join('\n');

  return { text, json: { startup, decoders, memory } };
}
