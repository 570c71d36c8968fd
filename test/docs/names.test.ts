import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { completionSpec } from '../../src/commands/completion/run.js';
import { commands } from '../../src/commands/index.js';
import { BUILTIN_ENVIRONMENT_NAMES } from '../../src/config/settings.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The pages people read (generated pages come from the code itself) and the runnable examples. */
function pages(): { name: string; text: string }[] {
  const docs = readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`);
  const examples = readdirSync(join(ROOT, 'examples')).map((f) => `examples/${f}`);
  return ['README.md', ...docs, ...examples].map((name) => ({
    name,
    text: readFileSync(join(ROOT, name), 'utf8'),
  }));
}

/** The program's global flags, as bin/togo declares them. */
function root(): Command {
  return new Command('togo')
    .option('--json')
    .option('--no-color')
    .option('-q, --quiet')
    .option('--debug')
    .option('-h, --help')
    .option('-V, --version');
}

describe('the docs name only what exists', () => {
  const spec = completionSpec(root(), {}, commands);
  const flags = new Map(
    spec.commands.map((c) => [
      c.name,
      new Set([...c.flags, ...spec.global].flatMap((f) => [f.long, ...(f.short ? [f.short] : [])])),
    ]),
  );
  const all = pages();
  // Environments a page defines for its reader: in a config file example, or with config add-env.
  const defined = new Set<string>([...BUILTIN_ENVIRONMENT_NAMES]);
  for (const { text } of all) {
    for (const m of text.matchAll(/config add-env ([A-Za-z0-9_.-]+)/g)) defined.add(m[1] ?? '');
    for (const block of text.matchAll(/"environments":\s*\{([\s\S]*?)\n\s{0,2}\}/g)) {
      for (const m of (block[1] ?? '').matchAll(/^\s{4}"([A-Za-z0-9_.-]+)":\s*\{/gm)) defined.add(m[1] ?? '');
    }
  }

  /** Each `togo <command> …` on a line, up to a pipe, a comment or the end of the command. */
  const uses = all.flatMap(({ name, text }) =>
    text
      .split('\n')
      .flatMap((line, i) =>
        [...line.matchAll(/\btogo ([a-z][a-z-]+)((?:[^|;#`&)>≤]|\\$)*)/g)]
          .filter((m) => flags.has(m[1] ?? ''))
          .map((m) => ({ where: `${name}:${i + 1}`, command: m[1] ?? '', rest: m[2] ?? '' })),
      ),
  );

  it('finds the commands the pages show', () => {
    expect(uses.length).toBeGreaterThan(50);
  });

  it('every flag a page gives a command is a flag of that command', () => {
    const unknown = uses.flatMap((u) =>
      [...u.rest.matchAll(/(?:^|\s)(--?[a-zA-Z][\w-]*)/g)]
        .map((m) => m[1] ?? '')
        .filter((f) => !flags.get(u.command)?.has(f))
        .map((f) => `${u.where}: togo ${u.command} ${f}`),
    );
    expect(unknown).toEqual([]);
  });

  it('every environment a page gives a command exists, built in or defined on a page', () => {
    const unknown = uses.flatMap((u) =>
      [...u.rest.matchAll(/--env[ =]([A-Za-z0-9_.-]+)/g)]
        .map((m) => m[1] ?? '')
        .filter((e) => !defined.has(e))
        .map((e) => `${u.where}: togo ${u.command} --env ${e}`),
    );
    expect(unknown).toEqual([]);
  });
});
