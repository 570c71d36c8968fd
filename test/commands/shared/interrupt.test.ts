import { spawn } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import type { Io } from '../../../src/commands/shared/context.js';
import { BIN } from '../../helpers/run-cli.js';

describe('Ctrl-C while togo reads a token from the terminal', () => {
  it('ends the read at once with exit 130 and no empty hint', async () => {
    const stdin = new PassThrough();
    (stdin as unknown as { isTTY: boolean }).isTTY = true;
    let stderr = '';
    const controller = new AbortController();
    const io: Io = {
      stdout: { write: () => true },
      stderr: { write: (s: string) => (stderr += s) },
      stdin: stdin as unknown as Io['stdin'],
      env: {},
      cwd: '/',
      now: () => Date.now(),
      signal: controller.signal,
    };
    const started = Date.now();
    const running = main(['decode', '-'], io);
    setTimeout(() => controller.abort(), 100);
    expect(await running).toBe(130);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(stderr).toContain('[INTERRUPTED] interrupted while reading standard input');
    expect(stderr).not.toContain('hint:');
  });

  it('the first Ctrl-C (SIGINT) ends the process, which was waiting on standard input', async () => {
    const child = spawn(process.execPath, [BIN, 'decode', '-'], {
      env: { PATH: process.env.PATH ?? '', TOGO_COMPILE_CACHE: 'off' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    // Wait until togo is running, then interrupt it once; stdin stays open.
    await new Promise((r) => setTimeout(r, 700));
    const started = Date.now();
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve(null);
      }, 5000);
      child.on('close', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    expect(code).toBe(130);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(stderr).toContain('[INTERRUPTED]');
  });
});
