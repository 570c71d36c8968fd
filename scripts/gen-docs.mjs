// Writes the generated reference pages of docs/ (see scripts/docs.ts): one page per command, the
// command index and the error codes. Run with `npm run docs`; test/docs/drift.test.ts fails when
// the committed pages differ from what this writes.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

// Inside node_modules, so the bundle's imports of packages resolve.
mkdirSync('node_modules/.cache', { recursive: true });
const scratch = mkdtempSync('node_modules/.cache/togo-docs-');
try {
  const outfile = join(scratch, 'docs.mjs');
  await build({
    entryPoints: ['scripts/docs.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    logLevel: 'warning',
    // Only the command definitions run; the bodies and their packages are never loaded.
    packages: 'external',
  });
  const { generateDocs } = await import(pathToFileURL(resolve(outfile)).href);
  const pages = generateDocs();
  // A page of a command that no longer exists goes too.
  mkdirSync('docs/commands', { recursive: true });
  for (const file of readdirSync('docs/commands')) {
    if (!pages.has(`commands/${file}`)) rmSync(join('docs/commands', file));
  }
  for (const [path, text] of pages) {
    mkdirSync(dirname(join('docs', path)), { recursive: true });
    writeFileSync(join('docs', path), text);
  }
  console.log(`wrote ${pages.size} pages under docs/`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
