import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../src/commands/index.js';
import { BIN } from '../helpers/run-cli.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: the terminal's own color codes are removed
const SGR = /\u001b\[[0-9;]*m/g;
const run = promisify(execFile);
const NAMES = ['', ...commands.map((c) => c.meta.name)];
const MARK = '=== togo help of ';

/**
 * `togo <name> --help` for every name, in one shell: on a pseudo-terminal of 80 columns (util-linux's
 * script), as a person sees it, or to a pipe, where nothing is wrapped for a terminal.
 */
async function helps(terminal: boolean): Promise<Map<string, string>> {
  const each = NAMES.map((n) => `echo '${MARK}${n}'; ${process.execPath} ${BIN} ${n} --help`).join('; ');
  const { stdout } = terminal
    ? await run('script', ['-qec', `stty cols 80 rows 50; ${each}`, '/dev/null'], { maxBuffer: 1 << 24 })
    : await run('bash', ['-c', each], { maxBuffer: 1 << 24 });
  const out = new Map<string, string>();
  for (const part of stdout.replace(SGR, '').replace(/\r/g, '').split(MARK).slice(1)) {
    const end = part.indexOf('\n');
    out.set(part.slice(0, end), part.slice(end + 1));
  }
  return out;
}

describe('every --help fits 80 columns', () => {
  let narrow: Map<string, string>;
  let pipe: Map<string, string>;
  beforeAll(async () => {
    [narrow, pipe] = await Promise.all([helps(true), helps(false)]);
  }, 120_000);

  it.each(NAMES)('togo %s --help: no line past 80 columns, no word broken', (name) => {
    const help = narrow.get(name) ?? '';
    expect(help).toContain('Usage: togo');
    const lines = help.split('\n');
    expect(lines.filter((l) => l.length > 80)).toEqual([]);
    // Every word on the terminal is a word of the unwrapped help: each break fell between words.
    const words = new Set((pipe.get(name) ?? '').split(/\s+/));
    const broken = lines.flatMap((l) => l.trim().split(/\s+/)).filter((w) => w !== '' && !words.has(w));
    expect(broken).toEqual([]);
  });

  it('a long example continues on the next line as the shell continues it', () => {
    expect(narrow.get('login-url')).toMatch(
      /\$ togo login-url --flavor standard \\\n {6}--authorization-endpoint \S+\s*\\\n/,
    );
  });
});
