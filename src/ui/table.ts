import { stripVTControlCharacters } from 'node:util';
import type { ChalkInstance } from 'chalk';

/**
 * A plain aligned table: columns separated by two spaces, the last column unpadded so long values
 * (URLs, tokens) wrap naturally and can be copied whole.
 */
export function renderTable(rows: string[][], style: ChalkInstance, header?: string[]): string {
  const all = header ? [header, ...rows] : rows;
  if (all.length === 0) return '';
  const widths: number[] = [];
  for (const row of all) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, visible(cell));
    });
  }
  const line = (row: string[], paint?: (s: string) => string) =>
    row
      .map((cell, i) => {
        const text = i === row.length - 1 ? cell : cell + ' '.repeat(widths[i]! - visible(cell));
        return paint ? paint(text) : text;
      })
      .join('  ')
      .trimEnd();
  const out: string[] = [];
  if (header) out.push(line(header, style.dim));
  for (const row of rows) out.push(line(row));
  return out.join('\n');
}

/** Width on screen: color codes take no room. */
function visible(text: string): number {
  return stripVTControlCharacters(text).length;
}
