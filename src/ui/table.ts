import { stripVTControlCharacters } from 'node:util';
import type { Style } from './color.js';
import { type Cell, cellText, lines, type Safe, trusted } from './safe.js';

/** Width on screen: color codes take no room; a character is one column. */
export function visibleWidth(text: string): number {
  // Printable ASCII only (the common case): one column per character, nothing to strip.
  if (/^[\x20-\x7e]*$/.test(text)) return text.length;
  return [...stripVTControlCharacters(text)].length;
}

/** The narrowest a wrapped column gets: below this, a long value is left whole instead. */
const MIN_WRAP = 20;

/** An SGR sequence (togo's own colors) at the start of the text: it takes no room on screen. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: ESC starts the color codes being skipped
const SGR = /^\u001b\[[0-9;]*m/;
/** Spaces at the end of a line, before any color codes that close there: where the line broke. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: ESC starts the color codes being kept
const TRAILING_SPACES = / +((?:\u001b\[[0-9;]*m)*)$/;
const endLine = (line: string) => line.replace(TRAILING_SPACES, '$1');

/**
 * Splits safe text into pieces that may end a line: after a space (dropped at a break) and after
 * `/`, `?`, `&` or `=` (kept: a URL is broken only where its reader expects a part to end). A
 * piece is never split, so a word is never broken; a piece wider than the line overflows whole.
 */
function pieces(text: string, atSpacesOnly = false): { text: string; width: number; space: boolean }[] {
  const out: { text: string; width: number; space: boolean }[] = [];
  let current = '';
  let width = 0;
  let i = 0;
  while (i < text.length) {
    const sgr = SGR.exec(text.slice(i, i + 32));
    if (sgr) {
      current += sgr[0];
      i += sgr[0].length;
      continue;
    }
    const ch = String.fromCodePoint(text.codePointAt(i) ?? 0);
    i += ch.length;
    current += ch;
    width += 1;
    if (ch === ' ' || (!atSpacesOnly && (ch === '/' || ch === '?' || ch === '&' || ch === '='))) {
      out.push({ text: current, width, space: ch === ' ' });
      current = '';
      width = 0;
    }
  }
  if (current !== '') out.push({ text: current, width, space: false });
  return out;
}

/**
 * Safe text cut into lines of at most `width` columns at word and URL boundaries (see `pieces`);
 * at spaces only for narration, where a URL is left whole for the terminal to copy.
 * Without a width (output to a pipe or a file), one line: piped output stays whole and greppable.
 */
export function wrapText(
  text: Safe,
  width: number | undefined,
  options: { atSpacesOnly?: boolean } = {},
): string[] {
  if (width === undefined || visibleWidth(text.text) <= width) return [text.text];
  const out: string[] = [];
  let line = '';
  let lineWidth = 0;
  for (const p of pieces(text.text, options.atSpacesOnly)) {
    // A trailing space takes no room at the end of a line: it is where the line breaks.
    const fits = lineWidth + p.width - (p.space ? 1 : 0) <= width;
    if (!fits && lineWidth > 0) {
      out.push(endLine(line));
      line = '';
      lineWidth = 0;
    }
    if (lineWidth === 0 && out.length > 0 && p.space && p.width === 1) {
      // A run of spaces at a break: the continuation line starts at its indentation, not after it.
      line += p.text.replace(' ', '');
      continue;
    }
    line += p.text;
    lineWidth += p.width;
  }
  out.push(endLine(line));
  return out;
}

/**
 * A cell after a prefix, wrapped to the terminal: the continuation lines start under the cell.
 * `width` is the whole line's (the terminal's columns), undefined for no wrapping.
 */
export function hang(prefix: Cell, cell: Cell, width: number | undefined): Safe[] {
  const head = cellText(prefix);
  const indent = visibleWidth(head);
  const room = width === undefined ? undefined : Math.max(width - indent, MIN_WRAP);
  return wrapText(trusted(cellText(cell)), room).map((l, i) =>
    trusted(`${i === 0 ? head : ' '.repeat(indent)}${l}`),
  );
}

export interface TableOptions {
  /** Before every line; two spaces by default. */
  indent?: string;
  /** The terminal's columns: the last column wraps to fit. Undefined (a pipe): never wrapped. */
  width?: number;
}

/**
 * Aligns rows into columns separated by two spaces. Every cell that is not already Safe is text
 * from outside and is escaped. The last column is never padded, so a line carries no trailing
 * blanks; on a terminal it wraps at word and URL boundaries under its own start, and to a pipe
 * long values (URLs, tokens) stay whole, greppable and copyable.
 */
export function table(rows: readonly (readonly Cell[])[], options: TableOptions = {}): Safe[] {
  return tableRows(rows, options).flat();
}

/** The table's lines row by row: a wrapped row has more than one. */
export function tableRows(rows: readonly (readonly Cell[])[], options: TableOptions = {}): Safe[][] {
  const indent = options.indent ?? '  ';
  const texts = rows.map((row) => row.map(cellText));
  const widths: number[] = [];
  for (const row of texts) {
    row.forEach((cell, i) => {
      if (i < row.length - 1) widths[i] = Math.max(widths[i] ?? 0, visibleWidth(cell));
    });
  }
  return texts.map((row) => {
    const head = row
      .slice(0, -1)
      .map((cell, i) => `${cell}${' '.repeat((widths[i] ?? 0) - visibleWidth(cell))}  `)
      .join('');
    const last = row[row.length - 1] ?? '';
    return hang(trusted(indent + head), trusted(last), options.width).map((l) => trusted(l.text.trimEnd()));
  });
}

/**
 * A table under a header row that fits the terminal: as columns when every line fits, otherwise
 * one block per row (its first cell, then each other cell beside its column's name), where every
 * value has the width of the terminal to wrap in. To a pipe, always columns.
 */
export function headedTable(header: readonly string[], rows: readonly (readonly Cell[])[], s: Style): Safe[] {
  const columns = table([header.map((h) => s.bold(h)), ...rows], { width: s.columns });
  const width = s.columns;
  if (width === undefined || columns.every((l) => visibleWidth(l.text) <= width)) return columns;
  return rows.flatMap((row) => [
    trusted(`  ${cellText(row[0] ?? '')}`),
    ...table(
      row.slice(1).map((cell, i) => [s.dim(header[i + 1] ?? ''), cell]),
      { indent: '    ', width },
    ),
  ]);
}

/** The same table as one Safe, unindented, with an optional dimmed header row; wrapped to the style's terminal. */
export function renderTable(
  rows: readonly (readonly Cell[])[],
  style: Style,
  header?: readonly Cell[],
): Safe {
  return lines(
    table(header ? [header.map((h) => style.dim(h)), ...rows] : rows, { indent: '', width: style.columns }),
  );
}

/** A section heading followed by its lines, with a blank line before it. */
export function section(title: Cell, body: readonly Cell[]): Safe[] {
  return [trusted(''), trusted(cellText(title)), ...body.map((l) => trusted(cellText(l)))];
}
