import { main } from '../../src/cli/main.js';

export interface RunOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  stdin?: string;
  /** Pretend stdout (and stderr) is a terminal. */
  tty?: boolean;
  now?: number;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs togo in-process with captured streams, a fixed clock and a clean environment. */
export async function runCli(argv: string[], options: RunOptions = {}): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const stdinText = options.stdin;
  const stdin = {
    isTTY: stdinText === undefined,
    async *[Symbol.asyncIterator]() {
      if (stdinText !== undefined) yield stdinText;
    },
  };
  const code = await main(argv, {
    stdout: {
      write: (s: string) => {
        stdout += s;
        return true;
      },
      isTTY: options.tty === true,
    },
    stderr: {
      write: (s: string) => {
        stderr += s;
        return true;
      },
      isTTY: options.tty === true,
    },
    stdin,
    // A clean environment: no TOGO_* from the developer's shell, no config directory of theirs.
    env: { NO_COLOR: '1', XDG_CONFIG_HOME: '/nonexistent-togo-test-config', ...options.env },
    cwd: options.cwd ?? '/nonexistent-togo-test-cwd',
    now: () => options.now ?? Date.UTC(2025, 0, 1),
    signal: new AbortController().signal,
  });
  return { code, stdout, stderr };
}
