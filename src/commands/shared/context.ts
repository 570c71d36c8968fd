import type { SupplyingFile } from '../../config/resolve.js';
import type { Dispatcher } from '../../http/undici.js';
import { limitDepth, MAX_DEPTH } from '../../oidc/depth.js';
import { colorLevel, type Style, styleFor } from '../../ui/color.js';
import { spinnerLine, waitingLine } from '../../ui/progress.js';
import { escapeJson, escapeText, type Safe, t } from '../../ui/safe.js';
import { wrapText } from '../../ui/table.js';

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
  /**
   * Where the run's HTTP requests go instead of togo's own agent (as gh's factory hands commands
   * their HTTP client): tests give canned answers through it. Unset in real runs.
   */
  dispatcher?: Dispatcher;
}

export interface GlobalOptions {
  json?: boolean;
  color?: boolean;
  debug?: boolean;
  quiet?: boolean;
}

/** What a command may know of an output stream; it writes through Ctx's methods only. */
export interface Terminal {
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/**
 * Everything a command needs, built once per run from Io and the global flags.
 *
 * Human output goes through print, note and warn, which take only a Safe (see src/ui/safe.ts): a
 * command cannot write text from outside togo to the terminal without it being escaped. The
 * streams themselves are not writable from here.
 */
export interface Ctx extends Omit<Io, 'stdout' | 'stderr'> {
  stdout: Terminal;
  stderr: Terminal;
  json: boolean;
  debug: boolean;
  quiet: boolean;
  /**
   * Styles for stdout and for stderr; each is plain when its stream is not a terminal, and carries
   * the terminal's width for wrapping (none for a pipe or a file).
   */
  style: Style;
  styleErr: Style;
  /** A result line on stdout. */
  print(text: Safe): void;
  /** Narration and progress on stderr; silent with --quiet. */
  note(text: Safe): void;
  /** A warning on stderr; shown even with --quiet. */
  warn(text: Safe): void;
  /** A line on stderr that is not narration (errors, CI annotations); shown even with --quiet. */
  printErr(text: Safe): void;
  /** A progress line on stderr, redrawn in place (a terminal only); `undefined` clears it. */
  progress(text: Safe | undefined): void;
  /**
   * Says what the run waits for until the returned function is called: a spinner with the seconds
   * waited on a terminal, one plain line to a pipe, nothing with --quiet. `limitMs` is the most the
   * wait can last (its deadline), shown beside it; `waitedMs` how long it has lasted already.
   */
  waiting(what: Safe, limitMs?: number, waitedMs?: number): () => void;
  /**
   * Bytes the user asked for as they are (a response body, a raw document, a token, a claim):
   * unchanged to a pipe or a file, where a program reads them; escaped on a terminal, where a
   * person reads them and they could otherwise move the cursor, hide text, set the clipboard or
   * plant links. Line breaks and tabs stay on a terminal (a body keeps its shape); every other
   * control, bidi and invisible character is shown escaped.
   */
  printBytes(text: string): void;
  /** Exactly one JSON document on stdout; invisible and bidi characters in it as \u escapes. */
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

/** A terminal's width; none for a pipe, a file, or a terminal that reports no size (0). */
const widthOf = (w: Writer) => (w.columns !== undefined && w.columns > 0 ? w.columns : undefined);

export async function makeCtx(io: Io, opts: GlobalOptions): Promise<Ctx> {
  const { style, styleErr } = await stylesFor(io, opts);
  const quiet = opts.quiet === true;
  const spinner = spinnerOn(io, styleErr);
  const configFiles = new Map<string, SupplyingFile>();
  return {
    stdout: { isTTY: io.stdout.isTTY, columns: io.stdout.columns },
    stderr: { isTTY: io.stderr.isTTY, columns: io.stderr.columns },
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
    dispatcher: io.dispatcher,
    json: opts.json === true,
    debug: opts.debug === true,
    quiet,
    style,
    styleErr,
    ...resultOutput(io, spinner, configFiles),
    ...narration(io, quiet, styleErr, spinner, configFiles),
    ...cleanups(),
  };
}

/** Styles for stdout and stderr: colour as each stream and the flags allow, width as each has. */
async function stylesFor(io: Io, opts: GlobalOptions): Promise<{ style: Style; styleErr: Style }> {
  const noColor = opts.color === false;
  const style = await styleFor(
    colorLevel(io.stdout, io.env, noColor || opts.json === true),
    widthOf(io.stdout),
  );
  const styleErr = await styleFor(colorLevel(io.stderr, io.env, noColor), widthOf(io.stderr));
  return { style, styleErr };
}

/** What goes to stdout: result lines, raw bytes, the one JSON document (with the config files named). */
function resultOutput(
  io: Io,
  spinner: Spinner,
  configFiles: ReadonlyMap<string, SupplyingFile>,
): Pick<Ctx, 'print' | 'printBytes' | 'printJson'> {
  return {
    print: (text) => {
      spinner.clear();
      io.stdout.write(`${text.text}\n`);
    },
    printBytes: (text) => io.stdout.write(io.stdout.isTTY ? escapeBytes(text) : text),
    // Values from outside are cut where they enter; this bound keeps any other path from overflowing.
    printJson: (doc) => {
      const withConfig =
        configFiles.size > 0 && typeof doc === 'object' && doc !== null && !Array.isArray(doc)
          ? { ...doc, configFiles: [...configFiles.values()] }
          : doc;
      io.stdout.write(
        `${escapeJson(JSON.stringify(limitDepth(withConfig, JSON_MAX_DEPTH).value, null, 2))}\n`,
      );
    },
  };
}

/** What goes to stderr: narration, warnings, errors, progress and waits, and the config files used. */
function narration(
  io: Io,
  quiet: boolean,
  styleErr: Style,
  spinner: Spinner,
  configFiles: Map<string, SupplyingFile>,
): Pick<Ctx, 'note' | 'warn' | 'printErr' | 'progress' | 'waiting' | 'onConfigFiles'> {
  // A line written to stderr while the spinner shows goes above it: the spinner is cleared first
  // and drawn again on its next frame.
  const err = (line: string) => {
    spinner.clear();
    io.stderr.write(line);
  };
  return {
    note: (text) => {
      // A sentence fits the terminal, broken between words; a URL or path is never cut.
      if (!quiet) err(`${wrapText(text, styleErr.columns, { atSpacesOnly: true }).join('\n')}\n`);
    },
    warn: (text) => err(`${t`${styleErr.yellow('warning:')} ${text}`.text}\n`),
    printErr: (text) => err(`${text.text}\n`),
    progress: (text) => {
      if (io.stderr.isTTY) io.stderr.write(text === undefined ? '\r\u001b[K' : `\r${text.text}`);
    },
    waiting: (what, limitMs, waitedMs = 0) => {
      if (quiet) return () => {};
      if (!io.stderr.isTTY) {
        io.stderr.write(`${waitingLine(what, limitMs, styleErr).text}\n`);
        return () => {};
      }
      return spinner.add(what, limitMs, waitedMs);
    },
    onConfigFiles: (files) => {
      for (const f of files) {
        if (configFiles.has(f.path)) continue;
        configFiles.set(f.path, f);
        if (!quiet) err(`${styleErr.dim(t`Using settings from ${f.path} (${configOrigin(f)}).`).text}\n`);
      }
    },
  };
}

function configOrigin(f: SupplyingFile): string {
  if (f.origin === 'directory') return 'found in the current directory';
  if (f.origin === 'user') return 'your user config';
  return 'named by --config or TOGO_CONFIG';
}

/** The clean-ups registered during a run, run last registered first. */
function cleanups(): Pick<Ctx, 'defer' | 'cleanup'> {
  const registered: Array<() => unknown> = [];
  return {
    defer: (cleanup) => {
      registered.push(cleanup);
    },
    cleanup: async () => {
      while (registered.length > 0) await registered.pop()?.();
    },
  };
}

interface Spinner {
  /** Shows a wait until the returned function is called; the newest unfinished wait is the one drawn. */
  add(what: Safe, limitMs: number | undefined, waitedMs: number): () => void;
  /** Takes the spinner's line off the terminal (it comes back on the next frame while a wait lasts). */
  clear(): void;
}

/** The one spinner of a run, on a terminal's stderr: several waits at once share its line. */
function spinnerOn(io: Io, s: Style): Spinner {
  const waits: Array<{ what: Safe; limitMs: number | undefined; started: number }> = [];
  let frame = 0;
  let drawn = false;
  let timer: NodeJS.Timeout | undefined;
  const clear = () => {
    if (!drawn) return;
    io.stderr.write('\r\u001b[K');
    drawn = false;
  };
  const draw = () => {
    const w = waits[waits.length - 1];
    if (!w) return;
    io.stderr.write(
      `\r\u001b[K${spinnerLine(frame++, w.what, performance.now() - w.started, w.limitMs, s).text}`,
    );
    drawn = true;
  };
  return {
    add(what, limitMs, waitedMs) {
      const wait = { what, limitMs, started: performance.now() - waitedMs };
      waits.push(wait);
      draw();
      if (!timer) {
        timer = setInterval(draw, 100);
        // The spinner never keeps a run alive: the wait it shows does.
        timer.unref();
      }
      return () => {
        const i = waits.indexOf(wait);
        if (i < 0) return;
        waits.splice(i, 1);
        if (waits.length > 0) return;
        clearInterval(timer);
        timer = undefined;
        clear();
      };
    },
    clear,
  };
}

/** Bytes for a terminal: line breaks and tabs kept, everything else escapeText escapes made visible. */
function escapeBytes(text: string): string {
  return text
    .split('\n')
    .map((line) => line.split('\t').map(escapeText).join('\t'))
    .join('\n');
}
