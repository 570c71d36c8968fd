import type { ChalkInstance } from 'chalk';
import type { SupplyingFile } from '../../config/resolve.js';
import { limitDepth, MAX_DEPTH } from '../../oidc/depth.js';
import { colorLevel, styleFor } from '../../ui/color.js';

export interface Writer {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface Reader extends AsyncIterable<string | Uint8Array> {
  isTTY?: boolean;
}

/** What the outside world gives a run: streams, environment, clock. Tests pass their own. */
export interface Io {
  stdout: Writer;
  stderr: Writer;
  stdin: Reader;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Milliseconds since the epoch. */
  now: () => number;
  /** Aborted on Ctrl-C. */
  signal: AbortSignal;
}

export interface GlobalOptions {
  json?: boolean;
  color?: boolean;
  debug?: boolean;
  quiet?: boolean;
}

/** Everything a command needs, built once per run from Io and the global flags. */
export interface Ctx extends Io {
  json: boolean;
  debug: boolean;
  quiet: boolean;
  /** Styles for stdout and for stderr; each is plain when its stream is not a terminal. */
  style: ChalkInstance;
  styleErr: ChalkInstance;
  /** A result line on stdout. */
  print(text: string): void;
  /** Narration and progress on stderr; silent with --quiet. */
  note(text: string): void;
  /** A warning on stderr; shown even with --quiet. */
  warn(text: string): void;
  /** Exactly one JSON document on stdout. */
  printJson(doc: unknown): void;
  /**
   * Config files that supplied settings: each is named once on stderr (not with --quiet), and every
   * JSON document printed afterwards carries them as `configFiles`. Pass it to resolveConfig.
   */
  onConfigFiles(files: readonly SupplyingFile[]): void;
  /** Registers clean-up (close a listener, an HTTP client) to run when the command ends, however it ends. */
  defer(cleanup: () => unknown): void;
  /** Runs the registered clean-ups, last registered first. */
  cleanup(): Promise<void>;
}

/** Room above MAX_DEPTH for togo's own wrapping of a cut value. */
const JSON_MAX_DEPTH = MAX_DEPTH + 16;

export async function makeCtx(io: Io, opts: GlobalOptions): Promise<Ctx> {
  const noColor = opts.color === false;
  const style = await styleFor(colorLevel(io.stdout, io.env, noColor || opts.json === true));
  const styleErr = await styleFor(colorLevel(io.stderr, io.env, noColor));
  const quiet = opts.quiet === true;
  const cleanups: Array<() => unknown> = [];
  const configFiles = new Map<string, SupplyingFile>();
  return {
    stdout: io.stdout,
    stderr: io.stderr,
    // Read on demand: touching process.stdin costs start-up time that most commands never need.
    get stdin() {
      return io.stdin;
    },
    env: io.env,
    cwd: io.cwd,
    now: io.now,
    get signal() {
      return io.signal;
    },
    json: opts.json === true,
    debug: opts.debug === true,
    quiet,
    style,
    styleErr,
    print: (text) => io.stdout.write(`${text}\n`),
    note: (text) => {
      if (!quiet) io.stderr.write(`${text}\n`);
    },
    warn: (text) => io.stderr.write(`${styleErr.yellow('warning:')} ${text}\n`),
    // Values from outside are cut where they enter; this bound keeps any other path from overflowing.
    printJson: (doc) => {
      const withConfig =
        configFiles.size > 0 && typeof doc === 'object' && doc !== null && !Array.isArray(doc)
          ? { ...doc, configFiles: [...configFiles.values()] }
          : doc;
      io.stdout.write(`${JSON.stringify(limitDepth(withConfig, JSON_MAX_DEPTH).value, null, 2)}\n`);
    },
    onConfigFiles: (files) => {
      for (const f of files) {
        if (configFiles.has(f.path)) continue;
        configFiles.set(f.path, f);
        const who =
          f.origin === 'directory'
            ? 'found in the current directory'
            : f.origin === 'user'
              ? 'your user config'
              : 'named by --config or TOGO_CONFIG';
        if (!quiet) io.stderr.write(`${styleErr.dim(`Using settings from ${f.path} (${who}).`)}\n`);
      }
    },
    defer: (cleanup) => {
      cleanups.push(cleanup);
    },
    cleanup: async () => {
      while (cleanups.length > 0) await cleanups.pop()?.();
    },
  };
}
