import { spawn } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import type { Io } from '../../../src/commands/shared/context.js';
import { orHang } from '../../helpers/hang.js';
import { BIN } from '../../helpers/run-cli.js';

describe('Ctrl-C while togo reads a token from the terminal', () => {
  it('ends the read at once with exit 130 and no empty hint', async () => {
    const stdin = new PassThrough();
    (stdin as unknown as { isTTY: boolean }).isTTY = true;
    let stderr = '';
    const controller = new AbortController();
    const io: Io = {
      stdout: { write: () => true },
      stderr: {
        write: (s: string) => {
          stderr += s;
          // Ctrl-C once togo says it is reading (and has begun to), as a person would press it.
          if (stderr.includes('Reading the token from standard input'))
            setImmediate(() => controller.abort());
          return true;
        },
      },
      stdin: stdin as unknown as Io['stdin'],
      env: {},
      cwd: '/',
      now: () => Date.now(),
      signal: controller.signal,
    };
    const running = main(['decode', '-'], io);
    expect(await orHang(running, 'decode after Ctrl-C')).toBe(130);
    expect(stderr).toContain('[INTERRUPTED] interrupted while reading standard input');
    expect(stderr).not.toContain('hint:');
  });

  it('the first Ctrl-C (SIGINT) ends the process, which was waiting on standard input', async () => {
    // In a pseudo-terminal (util-linux's script), as a person runs it: Ctrl-C is typed once, after
    // togo says it is reading; the terminal's line discipline turns it into SIGINT.
    const child = spawn('script', ['-qefc', `exec ${process.execPath} ${BIN} decode -`, '/dev/null'], {
      env: { PATH: process.env.PATH ?? '', TOGO_COMPILE_CACHE: 'off', TERM: 'dumb' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    let typed = false;
    child.stdout.on('data', (d) => {
      output += d;
      if (!typed && output.includes('Reading the token from standard input')) {
        typed = true;
        child.stdin.write('\x03');
      }
    });
    const closed = new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    const code = await orHang(closed, 'decode - after Ctrl-C').finally(() => child.kill('SIGKILL'));
    expect(typed, output).toBe(true);
    expect(code, output).toBe(130);
    expect(output).toContain('[INTERRUPTED] interrupted while reading standard input');
  });
});
