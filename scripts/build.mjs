// Bundles the CLI and the library with esbuild, then writes the library's type declarations.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

rmSync('dist', { recursive: true, force: true });

await build({
  entryPoints: { cli: 'src/cli/entry.ts', index: 'src/index.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true, // commands' heavy modules become chunks loaded only when a command needs them
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  chunkNames: 'chunks/[name]-[hash]',
  // Kept as packages: `open` ships a helper script beside its code; the emulator and the browser
  // driver are large and loaded only by the commands that use them.
  external: ['open', 'oidc-provider', 'playwright-core'],
  banner: {
    // Some bundled CommonJS code calls require(); give it one.
    js: "import { createRequire as __togoCreateRequire } from 'node:module'; const require = __togoCreateRequire(import.meta.url);",
  },
  legalComments: 'none',
  logLevel: 'warning',
});

execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
  stdio: 'inherit',
});
