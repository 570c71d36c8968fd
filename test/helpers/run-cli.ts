import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/commands/shared/context.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  stdin?: string;
  /** Milliseconds since the epoch, or a clock; defaults to 2025-01-01T00:00:00Z. */
  now?: number | (() => number);
  cwd?: string;
  signal?: AbortSignal;
  tty?: boolean;
  /** The terminal's width, as a terminal reports it; human tables wrap to it. */
  columns?: number;
  /** Where the run's HTTP requests go: canned answers (see ./canned-http.ts) instead of the network. */
  dispatcher?: Io['dispatcher'];
  /** Called with each piece of stderr as it is written (to act on a line while the run goes on). */
  onStderr?: (text: string) => void;
}

/** Runs togo in-process with captured streams: fast, and the same code path as the binary. */
export async function runCli(argv: string[], options: RunOptions = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const stdin = Readable.from(options.stdin === undefined ? [] : [options.stdin]) as unknown as Io['stdin'];
  (stdin as { isTTY?: boolean }).isTTY = options.stdin === undefined ? (options.tty ?? true) : false;
  const io: Io = {
    stdout: { write: (s: string) => (stdout += s), isTTY: options.tty ?? false, columns: options.columns },
    stderr: {
      write: (s: string) => {
        stderr += s;
        options.onStderr?.(s);
        return true;
      },
      isTTY: options.tty ?? false,
      columns: options.columns,
    },
    stdin,
    // A clean environment: no TOGO_* from the developer's shell, no config directory of theirs.
    env: { XDG_CONFIG_HOME: '/nonexistent-togo-test-config', ...options.env },
    cwd: options.cwd ?? '/nonexistent-togo-test-cwd',
    now:
      typeof options.now === 'function'
        ? options.now
        : () => (options.now as number | undefined) ?? Date.UTC(2025, 0, 1),
    signal: options.signal ?? new AbortController().signal,
    ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

export const BIN = fileURLToPath(new URL('../../bin/togo.cjs', import.meta.url));

/** Runs the built binary (npm test builds it first), for end-to-end checks of the real process. */
export function runBin(
  argv: string[],
  options: { env?: Record<string, string>; stdin?: string; timeoutMs?: number } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...argv], {
      env: { PATH: process.env.PATH ?? '', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal === 'SIGINT' ? 130 : -1), stdout, stderr });
    });
    child.stdin.end(options.stdin ?? '');
  });
}

export type RunResult = CliResult;

export interface RunningBin {
  child: import('node:child_process').ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (130 when ended by SIGINT without handling it). */
  exit: Promise<number>;
  /** Resolves once stderr matches. */
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
}

/** Starts the built binary and lets the test talk to it while it runs (a login waiting, say). */
export function startBin(
  argv: string[],
  env: Record<string, string> = {},
  options: { cwd?: string } = {},
): RunningBin {
  const child = spawn(process.execPath, [BIN, ...argv], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ...env },
    ...(options.cwd ? { cwd: options.cwd } : {}),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiters: Array<() => void> = [];
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => {
    err += d;
    for (const w of waiters.splice(0)) w();
  });
  const exit = new Promise<number>((resolve) => {
    child.on('close', (code, signal) => resolve(code ?? (signal === 'SIGINT' ? 130 : -1)));
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  exit.then(() => clearTimeout(timer));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exit,
    async waitForStderr(pattern, timeoutMs = 30_000) {
      // Woken by each chunk on stderr, by the exit (all of stderr is in by then) or by the deadline.
      const deadline = Date.now() + timeoutMs;
      let exited = false;
      void exit.then(() => {
        exited = true;
      });
      for (;;) {
        const m = err.match(pattern);
        if (m) return m;
        if (exited || Date.now() >= deadline) {
          const why = exited ? 'before togo exited' : `within ${timeoutMs} ms`;
          throw new Error(`stderr never matched ${pattern} ${why}; it was:\n${err}`);
        }
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          new Promise<void>((r) => waiters.push(r)),
          exit,
          new Promise<void>((r) => {
            timer = setTimeout(r, Math.max(1, deadline - Date.now()));
          }),
        ]);
        clearTimeout(timer);
      }
    },
  };
}
