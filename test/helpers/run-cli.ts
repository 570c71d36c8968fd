import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { Io } from '../../src/cli/context.js';
import { main } from '../../src/cli/main.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  stdin?: string;
  /** Milliseconds since the epoch; defaults to 2025-01-01T00:00:00Z. */
  now?: number;
  cwd?: string;
  signal?: AbortSignal;
  tty?: boolean;
}

/** Runs togo in-process with captured streams: fast, and the same code path as the binary. */
export async function runCli(argv: string[], options: RunOptions = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const stdin = Readable.from(options.stdin === undefined ? [] : [options.stdin]) as unknown as Io['stdin'];
  (stdin as { isTTY?: boolean }).isTTY = options.stdin === undefined ? (options.tty ?? true) : false;
  const io: Io = {
    stdout: { write: (s: string) => (stdout += s), isTTY: options.tty ?? false },
    stderr: { write: (s: string) => (stderr += s), isTTY: options.tty ?? false },
    stdin,
    // A clean environment: no TOGO_* from the developer's shell, no config directory of theirs.
    env: { XDG_CONFIG_HOME: '/nonexistent-togo-test-config', ...options.env },
    cwd: options.cwd ?? '/nonexistent-togo-test-cwd',
    now: () => options.now ?? Date.UTC(2025, 0, 1),
    signal: options.signal ?? new AbortController().signal,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

export const BIN = fileURLToPath(new URL('../../bin/togo.js', import.meta.url));

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
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 15_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal === 'SIGINT' ? 130 : -1), stdout, stderr });
    });
    child.stdin.end(options.stdin ?? '');
  });
}

export type RunResult = CliResult;
