import { describe, expect, it } from 'vitest';
import { trusted } from '../../src/ui/safe.js';
import { hang, table, visibleWidth, wrapText } from '../../src/ui/table.js';

const texts = (safes: { text: string }[]) => safes.map((s) => s.text);

describe('tables', () => {
  it('aligns columns two spaces apart and never pads the last one', () => {
    expect(
      texts(
        table([
          ['issuer', 'https://id.example'],
          ['client', 'app'],
        ]),
      ),
    ).toEqual(['  issuer  https://id.example', '  client  app']);
  });

  it('escapes a cell from outside, and measures it as escaped', () => {
    expect(
      texts(
        table(
          [
            ['a\nb', 'x'],
            ['cc', 'y'],
          ],
          { indent: '' },
        ),
      ),
    ).toEqual(['a\\nb  x', 'cc    y']);
  });

  it('wraps the last column under its own start on a terminal, and leaves it whole for a pipe', () => {
    const url = 'https://id.example/identity/connect/authorize?client_id=app&state=abc';
    const wrapped = texts(table([['url', url]], { indent: '', width: 40 }));
    expect(wrapped.length).toBeGreaterThan(1);
    for (const line of wrapped) expect(line.length).toBeLessThanOrEqual(40);
    expect(wrapped.slice(1).every((l) => l.startsWith('     '))).toBe(true);
    expect(wrapped.map((l, i) => (i === 0 ? l.slice(5) : l.trimStart())).join('')).toBe(url);
    expect(texts(table([['url', url]], { indent: '' }))).toEqual([`url  ${url}`]);
  });
});

describe('wrapping', () => {
  it('breaks at spaces and after URL separators, never inside a word', () => {
    expect(wrapText(trusted('the quick brown fox'), 10)).toEqual(['the quick', 'brown fox']);
    expect(wrapText(trusted('a/very-long-segment-here'), 5)).toEqual(['a/', 'very-long-segment-here']);
  });

  it('takes color codes as no width', () => {
    expect(visibleWidth('\x1b[31mred\x1b[39m')).toBe(3);
    expect(wrapText(trusted('\x1b[2mdim\x1b[22m'), 3)).toEqual(['\x1b[2mdim\x1b[22m']);
  });

  it('hangs continuation lines under the cell after a prefix', () => {
    expect(texts(hang('hint: ', 'run togo check --env mock and read the whole report', 40))).toEqual([
      'hint: run togo check --env mock and read',
      '      the whole report',
    ]);
  });
});
