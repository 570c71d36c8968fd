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
  /** What `--help` says of it, one paragraph a string. */
  description: readonly string[];
}

/** Adds the command `meta` names, with its summary and its description (src/commands/meta.ts). */
export function commandFor(program: Command, meta: CommandMeta): Command {
  return program.command(meta.name).summary(meta.summary).description(meta.description.join('\n\n'));
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

/**
 * Formats examples for `addHelpText('after', …)`. An example wider than 80 columns continues on the
 * next lines as a shell continues it (` \\` at the end), broken only between words outside quotes
 * and `$(…)`, so it still runs when pasted; a trailing `# comment` stays with the last words.
 */
export function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => wrapExample(l)).join('\n')}`;
}

const EXAMPLE_WIDTH = 80;

function wrapExample(command: string): string {
  const first = '  $ ';
  const next = '      ';
  const out: string[] = [];
  let line = first;
  for (const word of flagsWithValues(shellWords(command))) {
    const fresh = line === first || line === next;
    if (!fresh && line.length + 1 + word.length + (word.startsWith('#') ? 0 : 2) > EXAMPLE_WIDTH) {
      out.push(`${line} \\`);
      line = next + word;
    } else {
      line = fresh ? line + word : `${line} ${word}`;
    }
  }
  out.push(line);
  return out.join('\n');
}

/**
 * A flag and its value kept together (`--client-id my-app`), and a short pipe's tail (`| jq .body`),
 * so a break never falls between them.
 */
function flagsWithValues(words: readonly string[]): string[] {
  const out: string[] = [];
  for (const [i, word] of words.entries()) {
    const last = out.at(-1);
    if (word === '|' && words.slice(i).join(' ').length <= 40) {
      out.push(words.slice(i).join(' '));
      break;
    }
    if (last && /^--?[\w-]+$/.test(last) && !/^[-#|&;]/.test(word)) out[out.length - 1] = `${last} ${word}`;
    else out.push(word);
  }
  return out;
}

/**
 * The words of a shell command, split at spaces outside quotes and `$(…)`; a `# comment` at the end
 * is one word. Runs of spaces (a comment aligned with others) become one.
 */
function shellWords(command: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote: string | undefined;
  let depth = 0;
  for (let i = 0; i < command.length; i++) {
    const c = command[i] as string;
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') {
      quote = c;
    } else if (c === '(' && command[i - 1] === '$') {
      depth++;
    } else if (c === ')' && depth > 0) {
      depth--;
    } else if (c === '#' && word === '' && depth === 0) {
      words.push(command.slice(i).trim());
      return words;
    } else if (c === ' ' && depth === 0) {
      if (word) words.push(word);
      word = '';
      continue;
    }
    word += c;
  }
  if (word) words.push(word);
  return words;
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
