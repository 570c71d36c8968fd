import { describe, expect, it } from 'vitest';
import { colorLevel, styleFor } from '../../src/ui/color.js';
import { escapeText } from '../../src/ui/safe.js';

const tty = { isTTY: true };
const pipe = { isTTY: false };

describe('the color level, decided once per stream', () => {
  it('--no-color wins over everything, then NO_COLOR (when not empty)', () => {
    expect(colorLevel(tty, { FORCE_COLOR: '3' }, true)).toBe(0);
    expect(colorLevel(tty, { NO_COLOR: '1', FORCE_COLOR: '3' })).toBe(0);
    expect(colorLevel(tty, { NO_COLOR: '' })).toBe(1);
  });

  it('FORCE_COLOR colors a pipe too, at the level it names', () => {
    expect(colorLevel(pipe, { FORCE_COLOR: '' })).toBe(1);
    expect(colorLevel(pipe, { FORCE_COLOR: '2' })).toBe(2);
    expect(colorLevel(pipe, { FORCE_COLOR: '3' })).toBe(3);
    expect(colorLevel(tty, { FORCE_COLOR: 'false' })).toBe(0);
  });

  it('a pipe or a dumb terminal stays plain; a terminal gets what it says it can show', () => {
    expect(colorLevel(pipe, {})).toBe(0);
    expect(colorLevel(tty, { TERM: 'dumb' })).toBe(0);
    expect(colorLevel(tty, { TERM: 'xterm' })).toBe(1);
    expect(colorLevel(tty, { TERM: 'xterm-256color' })).toBe(2);
    expect(colorLevel(tty, { COLORTERM: 'truecolor' })).toBe(3);
  });

  it('styles escape outside text before coloring it', async () => {
    const outside = 'a\u001b[2Jb';
    const shown = escapeText(outside);
    expect(shown).not.toContain('\u001b');
    expect((await styleFor(0)).red(outside).text).toBe(shown);
    const red = (await styleFor(1)).red(outside).text;
    expect(red).toContain(shown);
    expect(red.startsWith('\u001b[31m')).toBe(true);
  });
});
