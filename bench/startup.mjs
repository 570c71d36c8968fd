// Start-up of the offline commands on each Node line users run, against bare `node -e 0` of the
// same Node, with the other JWT decoders on the same token, and peak memory: one interleaved series
// of runs over every line, so the noise of a busy machine hits them all alike.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  benchEnv,
  bin,
  loginUrlArgs,
  measure,
  node,
  nodeLines,
  ratio,
  resourceMethod,
  root,
  rssMethod,
  runs,
  seedLoginUrl,
  seedToken,
  table,
  verdict,
  warmup,
} from './lib.mjs';

/** The case of a token served from the store, by its label. */
const TOKEN = 'togo token (from the store)';

/** The Node lines measured: the maintained LTS lines and the one before them. */
export const LINES = [20, 22, 24];

/**
 * Start-up targets, medians as a ratio to `node -e 0` of the same Node. Node 22 and 24: the lines
 * users run. Node 20: no slower than it was before the work for 22 and 24 (the last figures then).
 */
export const STARTUP_TARGETS = {
  20: { 'togo --help': 1.16, 'togo decode <seed>': 1.19, 'togo login-url --offline': 1.26 },
  22: {
    'togo --help': 1.25,
    'togo decode <seed>': 1.3,
    'togo login-url --offline': 1.4,
    [TOKEN]: 1.25,
  },
  24: {
    'togo --help': 1.25,
    'togo decode <seed>': 1.3,
    'togo login-url --offline': 1.4,
    [TOKEN]: 1.25,
  },
};
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

const DEBIAN_JWT = 'jwt -show - (Debian jwt, golang-jwt)';
const JWT_CLI = 'jwt (npm jwt-cli), token on stdin';
const JOSE = 'node -e + jose decodeJwt';
const JOSE_SCRIPT =
  "import { decodeJwt } from 'jose'; console.log(JSON.stringify(decodeJwt(process.argv[1]), null, 2));";

/** Decoded at all: the seed's email claim is in the output. Expanded: Togo's `user` claim as plain text. */
function decodeCheck(r) {
  return {
    decoded: r.stdout.includes('joe@m.test'),
    userClaimExpanded: /(?<!\\")Campervan Owner/.test(r.stdout),
  };
}

/** The cases of one Node line; `name` is unique over all lines, `label` is what the tables show. */
function lineCases(line, jc, stored) {
  const at = (label, c) => ({
    ...c,
    label,
    line: line.major,
    node: true,
    name: `node ${line.major}: ${label}`,
  });
  const cases = [
    at('node -e 0', { cmd: line.path, args: ['-e', '0'], role: 'floor' }),
    at('togo --help', { cmd: line.path, args: [bin, '--help'], role: 'togo' }),
    at('togo decode <seed>', {
      cmd: line.path,
      args: [bin, 'decode', seedToken],
      role: 'togo',
      check: decodeCheck,
    }),
    at('togo login-url --offline', { cmd: line.path, args: [bin, ...loginUrlArgs], role: 'togo' }),
    at('togo inspect-url <seed>', { cmd: line.path, args: [bin, 'inspect-url', seedLoginUrl], role: 'togo' }),
    at(TOKEN, {
      cmd: line.path,
      args: [bin, 'token', ...stored.who],
      env: { XDG_STATE_HOME: stored.state },
      role: 'togo',
      check: servedFromStore,
    }),
    at(JOSE, {
      cmd: line.path,
      args: ['--input-type=module', '-e', JOSE_SCRIPT, seedToken],
      cwd: root,
      role: 'tool',
      check: decodeCheck,
      skipAfterError: true,
    }),
  ];
  if (jc) {
    cases.push(
      at(JWT_CLI, {
        cmd: line.path,
        args: [jc],
        input: seedToken,
        role: 'tool',
        check: decodeCheck,
        skipAfterError: true,
      }),
    );
  }
  return cases;
}

/**
 * A session in a store of the bench's own, kept by a real `togo login` against the emulator, which
 * is then closed: `togo token` must serve it from the store, as any request would be refused.
 */
async function storedSession() {
  const state = mkdtempSync(join(tmpdir(), 'togo-bench-state-'));
  const { startMockProvider } = await import(join(root, 'dist/index.js'));
  const mock = await startMockProvider({ port: 0, autoLogin: 'joe@m.test', accessTokenTtl: 24 * 3600 });
  const who = ['--issuer', mock.issuer, '--client-id', 'togo-cli'];
  try {
    const args = ['--redirect-uri', 'http://127.0.0.1/callback', '--response-type', 'id_token token'];
    // The login's requests are answered by this process's emulator: the child runs asynchronously.
    const r = await new Promise((resolve) => {
      const child = spawn(node, [bin, 'login', ...who, ...args, '--headless'], {
        env: { ...benchEnv, XDG_STATE_HOME: state },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (status) => resolve({ status, stderr }));
    });
    if (r.status !== 0) throw new Error(`togo login for the stored session exited ${r.status}: ${r.stderr}`);
  } finally {
    await mock.close();
  }
  return { state, who };
}

/** Served from the store: its narration says so, and stdout is one token. */
function servedFromStore(r) {
  if (!r.stderr.includes('From the store') || r.stdout.trim().split('.').length !== 3) {
    throw new Error(`not served from the store: ${r.stderr.trim().split('\n')[0]}`);
  }
  return {};
}

export async function startupSection() {
  const lines = nodeLines(LINES);
  const present = lines.filter((l) => !l.missing);
  const dj = debianJwt();
  const jc = jwtCli();
  const stored = await storedSession();
  const cases = present.flatMap((l) => lineCases(l, jc, stored));
  if (dj) {
    cases.push({
      name: DEBIAN_JWT,
      label: DEBIAN_JWT,
      cmd: dj,
      args: ['-show', '-'],
      input: seedToken,
      role: 'tool',
      check: decodeCheck,
      skipAfterError: true,
    });
  }

  // A compiled-code cache of the bench's own, filled by the warm-up rounds: every line starts as
  // a user's second run does, whatever the user's cache holds.
  const cacheDir = mkdtempSync(join(tmpdir(), 'togo-bench-cache-'));
  for (const c of cases) if (c.args[0] === bin) c.env = { ...c.env, TOGO_COMPILE_CACHE: cacheDir };
  let results;
  try {
    results = measure(cases, { usage: true });
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
    rmSync(stored.state, { recursive: true, force: true });
  }
  const byName = new Map(results.map((r) => [r.name, r]));
  const get = (line, label) => byName.get(`node ${line}: ${label}`);

  const startup = [];
  const decoders = [];
  const memory = [];
  for (const line of present) {
    const floor = get(line.major, 'node -e 0');
    const decode = get(line.major, 'togo decode <seed>');
    for (const c of cases.filter((x) => x.line === line.major && x.role !== 'tool')) {
      const r = byName.get(c.name);
      const x = ratio(r.medianMs, floor.medianMs);
      const target = STARTUP_TARGETS[line.major]?.[c.label] ?? null;
      startup.push({
        line: line.major,
        version: line.version,
        name: c.label,
        medianMs: r.medianMs,
        ratio: x,
        cpuMs: r.cpuMs,
        cpuRatio: ratio(r.cpuMs, floor.cpuMs),
        target,
        verdict: verdict(x, target),
        error: r.error,
      });
    }
    const tools = [
      { name: 'togo decode <seed>', r: decode },
      { name: JOSE, r: get(line.major, JOSE) },
      { name: JWT_CLI, r: jc ? get(line.major, JWT_CLI) : null, missing: INSTALL.jwtCli },
      { name: DEBIAN_JWT, r: dj ? byName.get(DEBIAN_JWT) : null, missing: INSTALL.jwt },
    ];
    for (const t of tools) {
      if (!t.r) {
        decoders.push({ line: line.major, name: t.name, status: t.missing, medianMs: null });
        continue;
      }
      const last = t.r.extra.at(-1);
      decoders.push({
        line: line.major,
        name: t.name,
        status: t.r.error && t.r.runs === 0 ? `fails: ${t.r.error}` : 'ok',
        decoded: last?.decoded ?? false,
        userClaimExpanded: last?.userClaimExpanded ?? false,
        medianMs: t.r.medianMs,
        ratioToNode: ratio(t.r.medianMs, floor.medianMs),
        ratioToTogo: ratio(t.r.medianMs, decode.medianMs),
        maxRssKiB: t.r.maxRssKiB,
      });
    }
    const memRatio = ratio(decode.maxRssKiB, floor.maxRssKiB);
    memory.push({
      line: line.major,
      floorMiB: floor.maxRssKiB === null ? null : Number((floor.maxRssKiB / 1024).toFixed(1)),
      decodeMiB: decode.maxRssKiB === null ? null : Number((decode.maxRssKiB / 1024).toFixed(1)),
      decodeRatio: memRatio,
      target: MEMORY_TARGET,
      verdict: verdict(memRatio, MEMORY_TARGET),
    });
  }

  const missingLines = lines.filter((l) => l.missing).map((l) => `Node ${l.major}: ${l.missing}`);
  const text = [
    '## Start-up on each Node line (ratio to `node -e 0` of the same Node)',
    `method: median wall time of ${runs} runs per command (${warmup} warm-up rounds), every command of every line interleaved round by round, spawnSync of the Node binary itself (npx only resolves it); togo with a compiled-code cache of the bench's own, filled by the warm-up; the targets are on wall time; ${resourceMethod}`,
    `lines: ${lines.map((l) => (l.missing ? `${l.major} missing` : l.version)).join(', ')}`,
    ...missingLines,
    table(
      ['Node', 'command', 'wall ms', '× node', 'CPU ms', 'CPU ×', 'target'],
      startup.map((r) => [
        r.line,
        r.name,
        r.medianMs,
        r.ratio,
        r.cpuMs,
        r.cpuRatio,
        r.error
          ? `error: ${r.error}`
          : r.target
            ? `≤ ${r.target} ${r.verdict}`
            : r.name === 'node -e 0'
              ? 'floor'
              : '',
      ]),
    ),
    '',
    '## The same decode with other tools (same token, same runs)',
    'method: as above, ratios to `node -e 0` of the line; Debian\'s jwt is a Go program, the same runs on every line; "decoded" = the seed\'s claims are in the output; "user claim" = Togo\'s JSON-in-a-string claim shown expanded',
    table(
      ['Node', 'decoder', 'wall ms', '× node', '× togo', 'decoded', 'user claim', 'status'],
      decoders.map((d) => [
        d.line,
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
    `method: median max RSS over the same runs, ${rssMethod}`,
    table(
      ['Node', 'node -e 0 MiB', 'togo decode MiB', '× node', 'target'],
      memory.map((m) => [m.line, m.floorMiB, m.decodeMiB, m.decodeRatio, `≤ ${m.target} ${m.verdict}`]),
    ),
  ].join('\n');

  return { text, json: { lines, startup, decoders, memory } };
}
