// Install footprint (packed, unpacked, production dependencies with the emulator's tree apart) and
// what each command path loads from dist/ (static imports read from the files, plus a load trace).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { benchEnv, bin, loginUrlArgs, node, root, seedLoginUrl, seedToken, table } from './lib.mjs';

/** Top-level dependencies only the emulator (`togo mock`, `togo demo`) needs. */
const EMULATOR = ['oidc-provider'];

const kib = (bytes) => (bytes === null ? null : (bytes / 1024).toFixed(0));

/** Bytes of the files in a package directory, its own nested node_modules left out (counted apart). */
function dirSize(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const p = join(dir, entry.name);
    if (entry.isDirectory()) total += dirSize(p);
    else if (entry.isFile()) total += lstatSync(p).size;
  }
  return total;
}

function npm(args) {
  return execFileSync('npm', args, {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** Marks esbuild leaves in a bundle: `// node_modules/<name>/…` comments before each module. */
function bundledPackages(distFiles) {
  const found = new Set();
  for (const f of distFiles) {
    for (const m of readFileSync(f, 'utf8').matchAll(/^\/\/ node_modules\/((?:@[^/]+\/)?[^/]+)\//gm)) {
      found.add(m[1]);
    }
  }
  return found;
}

function walkJs(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walkJs(join(dir, e.name)) : /\.(m?js|cjs)$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

function packageFootprint() {
  const pack = JSON.parse(npm(['pack', '--dry-run', '--json', '--ignore-scripts']))[0];
  const tree = JSON.parse(npm(['ls', '--omit=dev', '--all', '--json', '--long']));
  // Packages reachable from each top-level dependency, by install path.
  const reach = new Map();
  const sizes = new Map();
  const names = new Map();
  const collect = (n, into) => {
    for (const [name, dep] of Object.entries(n.dependencies ?? {})) {
      if (!dep.path || into.has(dep.path)) continue;
      into.add(dep.path);
      names.set(dep.path, `${name}@${dep.version}`);
      if (!sizes.has(dep.path)) sizes.set(dep.path, existsSync(dep.path) ? dirSize(dep.path) : 0);
      collect(dep, into);
    }
  };
  for (const [name, dep] of Object.entries(tree.dependencies ?? {})) {
    const set = new Set([dep.path]);
    names.set(dep.path, `${name}@${dep.version}`);
    if (!sizes.has(dep.path)) sizes.set(dep.path, dirSize(dep.path));
    collect(dep, set);
    reach.set(name, set);
  }
  const sum = (paths) => [...paths].reduce((a, p) => a + (sizes.get(p) ?? 0), 0);
  const cliPaths = new Set([...reach].filter(([n]) => !EMULATOR.includes(n)).flatMap(([, s]) => [...s]));
  const emuPaths = new Set(
    [...reach]
      .filter(([n]) => EMULATOR.includes(n))
      .flatMap(([, s]) => [...s].filter((p) => !cliPaths.has(p))),
  );
  const distFiles = walkJs(join(root, 'dist'));
  const bundled = bundledPackages(distFiles);
  const topLevel = [...reach].map(([name, set]) => ({
    name,
    packages: set.size,
    bytes: sum(set),
    emulatorOnly: EMULATOR.includes(name),
    bundledIntoDist: bundled.has(name),
  }));
  return {
    packed: { bytes: pack.size, unpackedBytes: pack.unpackedSize, files: pack.entryCount },
    dependencies: {
      all: { packages: sizes.size, bytes: sum(sizes.keys()) },
      cli: { packages: cliPaths.size, bytes: sum(cliPaths) },
      emulatorOnly: {
        packages: emuPaths.size,
        bytes: sum(emuPaths),
        tree: [...emuPaths].map((p) => names.get(p)),
      },
      topLevel,
    },
  };
}

// ---- what each command path loads ----

const importRe = /(?:^|[\s;}])(?:import|export)\s*(?:[\w*{}\s,$]+\s*from\s*)?["']([^"']+)["']/g;
const dynamicRe = /import\(\s*["']([^"']+)["']\s*\)/g;
// CommonJS: require() of a command body (dist/commands/) happens only when that command runs.
const requireRe = /require\(\s*["']([^"']+)["']\s*\)/g;
const isLazyRequire = (s) => s.startsWith('./commands/');
const undiciMarker = /node_modules\/undici\/|Symbol\.for\("undici\.|from\s*["']undici["']/;
const oidcMarker = /(?:from\s*|import\(\s*)["']oidc-provider["']/;

/** Files reachable from bin/togo.cjs through static imports; dynamic imports listed, not followed. */
function staticClosure() {
  const seen = new Map();
  const stack = [bin];
  while (stack.length) {
    const file = stack.pop();
    if (seen.has(file) || !existsSync(file)) continue;
    const text = readFileSync(file, 'utf8');
    const requires = [...text.matchAll(requireRe)].map((m) => m[1]);
    const statics = [
      ...[...text.matchAll(importRe)].map((m) => m[1]),
      ...requires.filter((r) => !isLazyRequire(r)),
    ];
    const dynamics = [...[...text.matchAll(dynamicRe)].map((m) => m[1]), ...requires.filter(isLazyRequire)];
    seen.set(file, {
      bytes: Buffer.byteLength(text),
      bare: statics.filter((s) => !s.startsWith('.') && !s.startsWith('node:')),
      dynamic: dynamics.map((s) => (s.startsWith('.') ? relative(root, resolve(dirname(file), s)) : s)),
      undici: undiciMarker.test(text),
      oidcProvider: oidcMarker.test(text),
    });
    for (const s of statics) if (s.startsWith('.')) stack.push(resolve(dirname(file), s));
  }
  const files = [...seen].map(([f, info]) => ({ file: relative(root, f), ...info }));
  return {
    files: files.map((f) => f.file),
    bytes: files.reduce((a, f) => a + f.bytes, 0),
    bare: [...new Set(files.flatMap((f) => f.bare))],
    dynamicTargets: [...new Set(files.flatMap((f) => f.dynamic))].sort(),
    undici: files.filter((f) => f.undici).map((f) => f.file),
    oidcProvider: files.filter((f) => f.oidcProvider).map((f) => f.file),
  };
}

/** Runs a command under the load trace: every module loaded (CommonJS and ES modules), with its size. */
function traceCommand(args, input) {
  const dir = mkdtempSync(join(tmpdir(), 'togo-trace-'));
  const file = join(dir, 'trace.tsv');
  const hooks = pathToFileURL(join(root, 'bench/trace-hooks.mjs')).href;
  const preload = `data:text/javascript,${encodeURIComponent(
    `import{register}from'node:module';register(${JSON.stringify(hooks)},{data:{file:${JSON.stringify(file)}}});`,
  )}`;
  try {
    const requireHook = join(root, 'bench/trace-require.cjs');
    const r = spawnSync(node, ['--import', preload, '--require', requireHook, bin, ...args], {
      input,
      stdio: [input === undefined ? 'ignore' : 'pipe', 'ignore', 'pipe'],
      env: { ...benchEnv, TOGO_TRACE_FILE: file },
    });
    const lines = existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : [];
    const urls = [...new Set(lines.map((l) => l.split('\t')[1]).filter((u) => u?.startsWith('file:')))];
    const paths = urls
      .map((u) => fileURLToPath(u))
      .filter((p) => p !== bin && !p.startsWith(join(root, 'bench')));
    const texts = paths.map((p) => readFileSync(p, 'utf8'));
    const packages = [
      ...new Set(
        paths.map((p) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(p)?.[1]).filter((n) => n !== undefined),
      ),
    ];
    return {
      status: r.status,
      modules: paths.length,
      bytes: texts.reduce((a, t) => a + Buffer.byteLength(t), 0),
      distFiles: paths.filter((p) => p.startsWith(join(root, 'dist'))).map((p) => relative(root, p)),
      packages,
      undici: texts.some((t) => undiciMarker.test(t)) || packages.includes('undici'),
      oidcProvider: packages.includes('oidc-provider'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function footprintSection() {
  const pkg = packageFootprint();
  const closure = staticClosure();
  const paths = [
    ['togo --help', ['--help']],
    ['togo decode <seed>', ['decode', seedToken]],
    ['togo login-url --offline', loginUrlArgs],
    ['togo inspect-url <seed>', ['inspect-url', seedLoginUrl]],
    ['togo discover (refused)', ['discover', 'http://127.0.0.1:9/identity', '--timeout', '1']],
  ].map(([name, args]) => ({ name, ...traceCommand(args) }));
  const lightPaths = paths.filter((p) => !p.name.startsWith('togo discover'));
  const clean = lightPaths.every((p) => !p.undici && !p.oidcProvider);
  const d = pkg.dependencies;
  const text = [
    '## Install footprint',
    'method: npm pack --dry-run --json --ignore-scripts; npm ls --omit=dev --all --json --long and the bytes of each installed package (its nested node_modules counted apart); emulator only = reached only through oidc-provider',
    table(
      ['what', 'packages', 'KiB'],
      [
        [`packed tarball (${pkg.packed.files} files)`, 1, kib(pkg.packed.bytes)],
        ['unpacked package', 1, kib(pkg.packed.unpackedBytes)],
        ['production dependencies, all', d.all.packages, kib(d.all.bytes)],
        ['  used by the CLI (non-emulator)', d.cli.packages, kib(d.cli.bytes)],
        ['  emulator only (oidc-provider tree)', d.emulatorOnly.packages, kib(d.emulatorOnly.bytes)],
      ],
    ),
    table(
      ['dependency', 'packages', 'KiB', 'bundled into dist', 'emulator only'],
      d.topLevel.map((t) => [
        t.name,
        t.packages,
        kib(t.bytes),
        t.bundledIntoDist ? 'yes' : 'no',
        t.emulatorOnly ? 'yes' : 'no',
      ]),
    ),
    '',
    '## What each command path loads',
    'method: static imports followed from bin/togo.cjs (command bodies and dynamic imports listed, not followed), and each command run once with its require cache and an ESM resolve hook traced',
    `static closure of bin/togo.cjs: ${closure.files.length} files, ${kib(closure.bytes)} KiB; undici code in it: ${closure.undici.length ? closure.undici.join(', ') : 'none'}; oidc-provider import in it: ${closure.oidcProvider.length ? closure.oidcProvider.join(', ') : 'none'}; packages imported: ${closure.bare.join(', ') || 'none'}`,
    table(
      ['command path', 'modules', 'KiB', 'packages from node_modules', 'undici', 'oidc-provider'],
      paths.map((p) => [
        p.name,
        p.modules,
        kib(p.bytes),
        p.packages.join(' ') || 'none',
        p.undici ? 'LOADED' : 'no',
        p.oidcProvider ? 'LOADED' : 'no',
      ]),
    ),
    `help/decode/login-url/inspect-url free of undici and oidc-provider: ${clean ? 'yes' : 'NO'}`,
  ].join('\n');
  return { text, json: { ...pkg, staticClosure: closure, commandPaths: paths, lightPathsClean: clean } };
}
