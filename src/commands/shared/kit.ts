/**
 * What every command definition uses: the runner it hands its work to, its entry in the command
 * list, repeatable and numeric flag parsers, and the examples block of its help.
 */
import type { Command } from 'commander';
import { isHttpUrl } from '../../config/resolve.js';
import { TogoError } from '../../errors.js';
import type { Ctx, Io } from './context.js';

/** A command's body (`src/commands/<name>/run.ts`): its context, then its own arguments. */
// biome-ignore lint/suspicious/noExplicitAny: each body has its own argument list, typed in its run.ts
export type Body = (ctx: Ctx, ...args: any[]) => Promise<number>;

/**
 * Runs a command's body, found by the command's name in the command list (src/commands/index.ts),
 * with its context, and collects its exit code. The body is loaded only when its command runs.
 */
export interface Runner {
  io: Io;
  run(cmd: Command, name: string, args: readonly unknown[]): Promise<void>;
  /** Loads another command's body, for a command that runs one (demo runs login). */
  load(name: string): Promise<Body>;
  /** Every command (src/commands/index.ts), for a command that lists them (completion). */
  commands: readonly CommandEntry[];
}

/** One command in the command list. */
export interface CommandEntry {
  /** What `togo --help` lists: the name, the summary and the argument. */
  meta: CommandMeta;
  /** Adds the command with every flag, its help and examples. */
  declare(program: Command, runner: Runner): void;
  /** Loads the command's body. */
  body(): Promise<Body>;
}

/** What the command list in `togo --help` shows of a command that is not running. */
export interface CommandMeta {
  name: string;
  summary: string;
  /** Its argument, as `--help` shows it: `[token]`, `<url>`. */
  args?: string;
  /** The words its first argument takes, when they are a fixed list (for completion). */
  words?: readonly string[];
}

/** Commander collects repeatable flags with this. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Parses a whole number of seconds or milliseconds for flags such as --timeout. */
export function parseIntFlag(name: string, min = 0) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min) {
      throw new TogoError(
        'USAGE',
        `${name} takes a whole number${min > 0 ? ` of at least ${min}` : ''}, not "${value}"`,
      );
    }
    return n;
  };
}

/**
 * Parses a flag that names a provider by URL (--issuer): an http(s) URL. Catches the two ways a
 * value goes astray: a token where the URL belongs, and the next flag taken as the value.
 */
export function parseUrlFlag(name: string) {
  return (value: string): string => {
    const v = value.trim();
    const ok = isHttpUrl(v);
    if (ok) return v;
    const hint = v.startsWith('-')
      ? `${name} needs a value before the next flag, e.g. ${name} https://id2.runswithtogo.com/identity.`
      : /^eyJ[\w-]*\.[\w-]*\./.test(v)
        ? `That is a token: give the token as the argument and ${name} the provider's URL.`
        : `Give the provider's URL, e.g. ${name} https://id2.runswithtogo.com/identity.`;
    const shown = v.length > 40 ? `${v.slice(0, 37)}...` : v;
    throw new TogoError('USAGE', `${name} takes an http(s) URL, not "${shown}"`, { hint });
  };
}

/** Formats examples for `addHelpText('after', …)`. */
export function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}`;
}

/**
 * Help text wrapped at spaces to 80 columns, the continuation lines indented by `indent`: a word
 * is never split (one longer than the line stays whole). Help is written once for every terminal.
 */
export function wrapHelp(text: string, indent: string, width = 80): string {
  const lead = /^ */.exec(text)?.[0] ?? '';
  const out: string[] = [];
  let line = lead;
  let empty = true;
  for (const word of text.slice(lead.length).split(' ')) {
    if (!empty && line.length + 1 + word.length > width) {
      out.push(line);
      line = indent + word;
    } else {
      line = empty ? line + word : `${line} ${word}`;
    }
    empty = false;
  }
  out.push(line);
  return out.join('\n');
}
