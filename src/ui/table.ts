import { stripVTControlCharacters } from 'node:util';
import type { ChalkInstance } from 'chalk';

/** Width on screen: color codes take no room. */
const visible = (text: string) => stripVTControlCharacters(text).length;

/**
 * Aligns rows into columns separated by two spaces. The last column is never padded, so a line
 * carries no trailing blanks and long values (URLs, tokens) stay whole, greppable and copyable.
 */
export function table(rows: string[][], indent = '  '): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      if (i < row.length - 1) widths[i] = Math.max(widths[i] ?? 0, visible(cell));
    });
  }
  return rows.map(
    (row) =>
      indent +
      row
        .map((cell, i) => (i < row.length - 1 ? cell + ' '.repeat((widths[i] ?? 0) - visible(cell)) : cell))
        .join('  ')
        .trimEnd(),
  );
}

/** The same table as one string, unindented, with an optional dimmed header row. */
export function renderTable(rows: string[][], style: ChalkInstance, header?: string[]): string {
  return table(header ? [header.map((h) => style.dim(h)), ...rows] : rows, '').join('\n');
}

/** A section heading followed by its lines, with a blank line before it. */
export function section(title: string, lines: string[]): string[] {
  return ['', title, ...lines];
}
