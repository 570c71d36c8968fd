import { stripVTControlCharacters } from 'node:util';

const width = (s: string) => stripVTControlCharacters(s).length;

/**
 * Aligns rows into columns separated by two spaces. The last column is never padded, so a line
 * carries no trailing blanks and long values (URLs, tokens) stay whole and greppable.
 */
export function table(rows: string[][], indent = '  '): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      if (i < row.length - 1) widths[i] = Math.max(widths[i] ?? 0, width(cell));
    });
  }
  return rows.map(
    (row) =>
      indent +
      row
        .map((cell, i) => (i < row.length - 1 ? cell + ' '.repeat((widths[i] ?? 0) - width(cell)) : cell))
        .join('  ')
        .trimEnd(),
  );
}

/** A section heading followed by its lines, with a blank line before it unless it is first. */
export function section(title: string, lines: string[]): string[] {
  return ['', title, ...lines];
}
