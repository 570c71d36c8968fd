// Builds togo with esbuild.
//
// The CLI is CommonJS, for start-up: Node loads a CommonJS entry without starting its ES module
// loader, and `require` is synchronous. dist/cli.cjs holds the program (commander, every command's
// flags and help) and nothing else; each command's body is its own bundle in dist/commands/, read
// only when that command runs, so `togo --help` never parses the verifier, undici or the emulator.
// The library (dist/index.js) is an ES module with its type declarations in dist/types/.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { build } from 'esbuild';

rmSync('dist', { recursive: true, force: true });

// Kept as packages: `open` ships a helper script beside its code; undici, the emulator's provider
// and the browser driver are large and loaded only by the commands that use them.
const external = ['node-forge', 'open', 'oidc-provider', 'playwright-core', 'undici'];
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20.19',
  legalComments: 'none',
  logLevel: 'warning',
};

// The command bodies, found by file name: src/commands/<name>/run.ts. The command list
// (src/commands/index.ts) loads each with `import('./<name>/run.js')`; in the build that becomes a
// require of its bundle.
const bodies = readdirSync('src/commands', { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(`src/commands/${d.name}/run.ts`))
  .map((d) => d.name);

/** Leaves each command body out of dist/cli.cjs; it is required from dist/commands/ when needed. */
const commandsApart = {
  name: 'commands-apart',
  setup(b) {
    b.onResolve({ filter: /^\.\/[\w-]+\/run\.js$/ }, (args) => {
      if (!args.importer.endsWith(`src${sep}commands${sep}index.ts`)) return undefined;
      const name = args.path.split('/')[1];
      return { path: `./commands/${name}.cjs`, external: true };
    });
  },
};

/**
 * commander requires node:child_process at load, for executable subcommands togo does not have;
 * loading it costs about 2 ms of every start. Give commander a stand-in that loads it on first use.
 */
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^node:child_process$/ }, (args) =>
      args.importer.includes('/node_modules/commander/')
        ? { path: 'lazy-child-process', namespace: 'togo' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'togo' }, () => ({
      contents:
        "module.exports = new Proxy({}, { get: (_target, name) => require('node:child_process')[name] });",
      loader: 'js',
    }));
  },
};

await build({
  ...common,
  entryPoints: { cli: 'src/cli/entry.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
  external,
  plugins: [commandsApart, lazyChildProcess],
  // `import()` of a command body becomes a synchronous require of its bundle.
  supported: { 'dynamic-import': false },
});

/**
 * Code a body reaches only on some of its paths, kept in a bundle of its own so that the common
 * path reads and compiles less: `import()` of another command's body (`togo token --login` runs the
 * login) becomes a require of that command's bundle, and `import()` of a module listed here a
 * require of its own bundle in dist/commands/. `togo token` serves a stored token from token.cjs;
 * a refresh or a new token loads session-refresh.cjs (undici, the verifier, the provider layer).
 */
const parts = { 'src/commands/shared/session-refresh.ts': 'session-refresh' };
const partsApart = {
  name: 'parts-apart',
  setup(b) {
    b.onResolve({ filter: /\.js$/ }, (args) => {
      if (args.kind !== 'dynamic-import' || !args.importer.includes(`${sep}src${sep}commands${sep}`)) {
        return undefined;
      }
      const target = join(args.resolveDir, args.path).replace(/\.js$/, '.ts');
      const body = relative('src/commands', target).match(/^([\w-]+)[\\/]run\.ts$/);
      if (body && bodies.includes(body[1])) return { path: `./${body[1]}.cjs`, external: true };
      const part = parts[relative('.', target).split(sep).join('/')];
      return part ? { path: `./${part}.cjs`, external: true } : undefined;
    });
  },
};

// The emulator's commands import oidc-provider (an ES module) with import(), as Node 20 needs it
// loaded; every other body turns import() of a package (the browser opener) into require(), which
// Node 20.19 and later do for ES modules too, so the compiled-code cache in bin/togo.cjs covers it.
const withProvider = ['mock', 'demo', 'conformance'];
await build({
  ...common,
  entryPoints: bodies
    .filter((n) => withProvider.includes(n))
    .map((name) => ({ in: `src/commands/${name}/run.ts`, out: name })),
  outdir: 'dist/commands',
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
  external,
});
await build({
  ...common,
  entryPoints: bodies
    .filter((n) => !withProvider.includes(n))
    .map((name) => ({ in: `src/commands/${name}/run.ts`, out: name }))
    .concat(Object.entries(parts).map(([file, name]) => ({ in: file, out: name }))),
  outdir: 'dist/commands',
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
  external,
  plugins: [partsApart],
  supported: { 'dynamic-import': false },
});

// The CLI's bundles in ASCII: esbuild escapes strings and identifiers but leaves comments and regular
// expressions as written, and one character beyond ASCII makes V8 hold the whole source in two
// bytes per character, which costs every start about a millisecond more to read and compile. In a
// comment, a string or a regular expression, \uXXXX stands for the same character.
for (const file of ['cli.cjs', ...readdirSync('dist/commands').map((f) => `commands/${f}`)]) {
  const text = readFileSync(`dist/${file}`, 'utf8');
  const ascii = text.replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  if (ascii !== text) writeFileSync(`dist/${file}`, ascii);
}

// The build's identity, a hash of the CLI's bundles: bin/togo.cjs keys its compiled-code cache on it
// and keeps only this build's entries. The second line names the command bodies: dist/cli.cjs is
// cached once per command, as each command runs a different part of it. The third names the
// bundles that call import() at run time: a script restored from a code cache has no loader for
// import(), so those compile the usual way.
const buildHash = createHash('sha256');
const withImport = [];
for (const file of [
  'cli.cjs',
  ...readdirSync('dist/commands')
    .sort()
    .map((f) => `commands/${f}`),
]) {
  const code = readFileSync(`dist/${file}`);
  buildHash.update(`${file}\0`).update(code);
  if (code.includes('import(')) withImport.push(file);
}
writeFileSync(
  'dist/build-id',
  `${buildHash.digest('hex').slice(0, 16)}\n${[...bodies].sort().join(' ')}\n${withImport.join(' ')}\n`,
);

await build({
  ...common,
  entryPoints: { index: 'src/index.ts' },
  outdir: 'dist',
  format: 'esm',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  external,
});

// The library's type declarations, for the package. `npm test` builds with --no-types: no test reads
// them, and `npm run lint` type-checks the same sources (tsc takes most of the build's time).
if (!process.argv.includes('--no-types')) {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    stdio: 'inherit',
  });
}
