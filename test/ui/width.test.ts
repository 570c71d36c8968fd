import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockProvider } from '../../src/index.js';
import type { MockProvider } from '../../src/mock/types.js';
import { BIN, runCli } from '../helpers/run-cli.js';
import { SEED_TOKEN } from '../helpers/tokens.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: the terminal's own color codes are removed
const SGR = /\u001b\[[0-9;]*m/g;

/**
 * What a line wrapped at 80 columns may not do: be wider, or split a word. Every word of the wrapped
 * output is a word of the same output to a pipe (never wrapped), except the pieces of a URL or a
 * list broken where its reader expects a part to end (after / ? & = or a comma).
 */
function expectFits(wrapped: string, unwrapped: string): void {
  const lines = wrapped.replace(SGR, '').replace(/\r/g, '').split('\n');
  const wide = lines.filter((l) => l.length > 80);
  expect(wide).toEqual([]);
  // Parentheses may be added around a value's source when it moves under the value.
  const bare = (w: string) => w.replace(/[()]/g, '');
  const known = new Set(unwrapped.replace(SGR, '').split(/\s+/).map(bare));
  const joined = unwrapped.replace(SGR, '').replace(/\s+/g, '');
  const split = lines
    .flatMap((l) => l.trim().split(/\s+/))
    .map(bare)
    .filter((w) => w !== '' && !known.has(w) && !/[/?&=,]$/.test(w) && !joined.includes(w));
  expect(split).toEqual([]);
}

describe('output at 80 columns', () => {
  it('togo config wraps its table without breaking a word', async () => {
    const narrow = await runCli(['config'], { tty: true, columns: 80 });
    const pipe = await runCli(['config']);
    expect(narrow.code).toBe(0);
    expectFits(narrow.stdout, pipe.stdout);
    expect(narrow.stdout).toMatch(
      /authorizationEndpoint\s+https:\/\/id2\.runswithtogo\.com\/identity\/connect\/authorize/,
    );
  });

  it('togo config list fits', async () => {
    const narrow = await runCli(['config', 'list'], { tty: true, columns: 80 });
    expectFits(narrow.stdout, (await runCli(['config', 'list'])).stdout);
  });

  const children: import('node:child_process').ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  });

  /** The emulator's banner as a person sees it: on a pseudo-terminal of 80 columns (util-linux's script). */
  function banner(columns: number | undefined): Promise<string> {
    const command = `${columns ? `stty cols ${columns} rows 50; ` : ''}exec ${process.execPath} ${BIN} mock --port 0 --no-color`;
    const child = columns
      ? spawn('script', ['-qec', command, '/dev/null'], {
          env: { ...process.env, XDG_CONFIG_HOME: '/nonexistent' },
        })
      : spawn(process.execPath, [BIN, 'mock', '--port', '0', '--no-color'], {
          env: { ...process.env, XDG_CONFIG_HOME: '/nonexistent' },
        });
    children.push(child);
    let out = '';
    return new Promise((resolve, reject) => {
      const done = (d: Buffer) => {
        out += d.toString();
        if (out.includes('Serving until Ctrl-C')) {
          child.kill('SIGKILL');
          resolve(out.slice(0, out.indexOf('Serving until Ctrl-C')));
        }
      };
      child.stdout?.on('data', done);
      child.stderr?.on('data', done);
      child.on('exit', () => reject(new Error(`the emulator ended before serving:\n${out}`)));
    });
  }

  it("togo mock's banner fits, its URLs broken only at their boundaries", async () => {
    const [narrow, pipe] = await Promise.all([banner(80), banner(undefined)]);
    expect(narrow).toContain('login page');
    // The ports differ between the two runs: compare with the port taken out.
    const portless = (s: string) => s.replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT');
    expectFits(portless(narrow), portless(pipe));
  }, 30_000);

  it.each([[[]], [['mock']], [['config']], [['completion']], [['demo']]])(
    'togo %j --help fits 80 columns on a terminal',
    (args: string[]) => {
      const command = `stty cols 80 rows 50; exec ${process.execPath} ${BIN} ${args.join(' ')} --help`;
      const run = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8' });
      expect(run.status).toBe(0);
      const pipe = spawnSync(process.execPath, [BIN, ...args, '--help'], { encoding: 'utf8' });
      expectFits(run.stdout, pipe.stdout);
    },
  );
});

/**
 * Each command's human output as a person sees it: on a pseudo-terminal of 80 columns (util-linux's
 * script), stdout and stderr together, every line checked against the same output to a pipe.
 */
describe('every command at 80 columns on a terminal', () => {
  let mock: MockProvider;
  let state: string;
  beforeAll(async () => {
    mock = await startMockProvider({ port: 0, autoLogin: 'joe@m.test' });
    state = mkdtempSync(join(tmpdir(), 'togo-width-'));
  });
  afterAll(async () => {
    await mock.close();
    rmSync(state, { recursive: true, force: true });
  });

  const env = () => ({
    PATH: process.env.PATH ?? '',
    TOGO_MOCK_ISSUER: mock.issuer,
    XDG_STATE_HOME: state,
    XDG_CONFIG_HOME: '/nonexistent',
  });

  /** Runs togo without blocking this process (the emulator answers from it): on a terminal, or to a pipe. */
  function run(args: string[], columns?: number): Promise<{ code: number | null; out: string }> {
    const togo = [process.execPath, BIN, ...args, '--no-color'];
    const child = columns
      ? spawn(
          'script',
          ['-qec', `stty cols ${columns} rows 50; exec ${togo.map(shellWord).join(' ')}`, '/dev/null'],
          {
            env: env(),
          },
        )
      : spawn(togo[0]!, togo.slice(1), { env: env() });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    return new Promise((resolve) => child.on('close', (code) => resolve({ code, out })));
  }
  const shellWord = (w: string) => `'${w.replace(/'/g, "'\\''")}'`;

  it.each([
    ['login (its summary)', ['login', '--env', 'mock', '--headless', '--response-type', 'code']],
    ['discover', ['discover', '--env', 'mock']],
    ['check', ['check', '--env', 'mock']],
    ['decode', ['decode', SEED_TOKEN]],
    ['sessions', ['sessions']],
  ])(
    '%s fits, breaking no word',
    async (_, args) => {
      const narrow = await run(args, 80);
      const pipe = await run(args);
      expect(narrow.code, narrow.out).toBe(pipe.code);
      expect(narrow.out.trim()).not.toBe('');
      expectFits(narrow.out, pipe.out);
    },
    60_000,
  );
});
