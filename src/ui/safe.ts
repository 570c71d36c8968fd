/**
 * The one boundary between text from outside togo and the terminal.
 *
 * Tokens, provider documents and responses, URLs, files and echoed input may hold terminal escape
 * sequences (ESC, CSI, OSC 8 links, OSC 52 clipboard writes), carriage returns, bidi overrides and
 * invisible characters that make a person read something togo never said. Human output is therefore
 * a `Safe`: text whose every character from outside has been made visible (`\x1b`, `\u202e`, `\n`).
 *
 * A `Safe` comes only from this module's constructors: the tagged template t`…` (its literal parts
 * are togo's own; every interpolation is escaped unless it is already Safe), `lines` and `join`,
 * and the styles and table helpers built on them. Ctx's print, note and warn take only a Safe, so
 * a renderer that hands them a plain string does not compile, and a Safe turned back into a plain
 * string (a plain template literal, `+`, `String()`, `join`) throws instead of being printed.
 */

/**
 * Characters never written raw: C0 and C1 controls and DEL (Cc), format characters (Cf: bidi
 * overrides and isolates, LRM/RLM/ALM, zero-width space and joiners, word joiner, BOM, tag
 * characters, soft hyphen), the line and paragraph separators, lone surrogates, and the Hangul
 * fillers that render as blank space.
 */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\u115f\u1160\u3164\uffa0]/gu;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

/** One character as its visible escape: `\n`, `\x1b`, `\u202e`, `\u{e0001}`. */
function escapeChar(c: string): string {
  const named = NAMED[c];
  if (named) return named;
  const cp = c.codePointAt(0) ?? 0;
  if (cp < 0x100) return `\\x${hex(cp, 2)}`;
  if (cp <= 0xffff) return `\\u${hex(cp, 4)}`;
  return `\\u{${cp.toString(16)}}`;
}

/**
 * Text from outside made terminal-safe: every control, invisible or bidi character shown as its
 * escape. A newline becomes `\n`, so a value never starts a new line of togo's layout. Ordinary text
 * (printable ASCII, letters and symbols of any script, emoji) passes unchanged.
 */
export function escapeText(text: string): string {
  return text.replace(UNSAFE, escapeChar);
}

/**
 * JSON text with the characters that JSON.stringify leaves raw (C1 controls, DEL, format and bidi
 * characters, U+2028/2029) as `\u` escapes. They can only occur inside JSON strings (a raw C0
 * control can only be the document's own line breaks), where a `\u` escape means the same
 * character, so the document parses to the same value.
 */
export function escapeJson(json: string): string {
  return json.replace(UNSAFE, (c) => {
    if (c === '\n') return c; // the layout of the document: JSON.stringify escapes those in strings
    let out = '';
    for (let i = 0; i < c.length; i++) out += `\\u${hex(c.charCodeAt(i), 4)}`;
    return out;
  });
}

/**
 * Marks a Safe across bundles: each command is bundled apart, so a class check (instanceof) would
 * not recognise a Safe made by another bundle's copy of this module.
 */
const BRAND: unique symbol = Symbol.for('togo.safe-text') as never;
const KEY = Symbol('togo.safe-text.constructor');

export class Safe {
  readonly [BRAND] = true;
  readonly text: string;

  /** Not callable from outside this module: KEY is not exported. */
  constructor(key: typeof KEY, text: string) {
    if (key !== KEY) throw new TypeError('a Safe is made by t`…`, lines(), join() or a style');
    this.text = text;
  }

  /**
   * A Safe turned into a plain string (a plain template literal, `+`, `String()`, `Array#join`)
   * would lose what it is and later be escaped again or printed raw: a bug in a renderer, made loud.
   */
  [Symbol.toPrimitive](): never {
    throw new TypeError('a Safe was turned into a plain string: build it with t`…`, lines() or join()');
  }

  toJSON(): string {
    return this.text;
  }
}

/** Whether a value is a Safe, made by any bundle's copy of this module. */
export function isSafe(value: unknown): value is Safe {
  return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
}

/** What the helpers take: a Safe as it is, anything else as text from outside, escaped. */
export type Cell = Safe | string | number;

/** The text of a cell: a Safe's as it is, anything else escaped. */
export function cellText(cell: Cell): string {
  return isSafe(cell) ? cell.text : escapeText(String(cell));
}

/** For this module and its helpers (styles, tables): text already made safe. */
export function trusted(text: string): Safe {
  return new Safe(KEY, text);
}

/**
 * togo's own words with outside values in them: the literal parts are written as they are (their
 * newlines are togo's layout); every interpolated value is escaped unless it is already a Safe.
 */
export function t(strings: TemplateStringsArray, ...values: Cell[]): Safe {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += cellText(value) + (strings[i + 1] ?? '');
  });
  return trusted(out);
}

/** Lines of output joined with newlines; a plain string among them is one escaped line. */
export function lines(list: readonly Cell[]): Safe {
  return trusted(list.map(cellText).join('\n'));
}

/** Cells joined with a separator, each escaped unless already Safe. */
export function join(list: readonly Cell[], separator: Cell = ''): Safe {
  return trusted(list.map(cellText).join(cellText(separator)));
}
