import type { Io } from '../../src/cli/context.js';
import { main } from '../../src/cli/main.js';

/** Runs togo in-process, as the shell would, with captured stdout and stderr. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (for --json runs). */
  json<T = Record<string, unknown>>(): T;
}

export async function runCli(
  argv: string[],
  opts: {
    env?: Record<string, string | undefined>;
    cwd?: string;
    now?: number;
    signal?: AbortSignal;
    stdin?: string;
  } = {},
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: { write: (s: string) => (stdout += s), isTTY: false },
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
    stdin: Object.assign(
      (async function* () {
        if (opts.stdin !== undefined) yield opts.stdin;
      })(),
      { isTTY: opts.stdin === undefined },
    ),
    env: opts.env ?? {},
    cwd: opts.cwd ?? process.cwd(),
    now: () => opts.now ?? Date.now(),
    signal: opts.signal ?? new AbortController().signal,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr, json: () => JSON.parse(stdout) };
}
