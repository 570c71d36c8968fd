import { describe, expect, it } from 'vitest';
import { escapeJson, escapeText, isSafe, join, lines, Safe, t, trusted } from '../../src/ui/safe.js';

describe('text from outside is made visible before it reaches the terminal', () => {
  it('shows escapes, bidi overrides and invisible characters as escapes', () => {
    expect(escapeText('a\x1b[31mb\u202ec\u200bd\r\n\t')).toBe('a\\x1b[31mb\\u202ec\\u200bd\\r\\n\\t');
    expect(escapeText('\u{e0001}')).toBe('\\u{e0001}');
  });

  it('leaves letters of any script and emoji as they are', () => {
    expect(escapeText('Zoë 東京 Ωμέγα 🚐')).toBe('Zoë 東京 Ωμέγα 🚐');
  });

  it('escapes what JSON.stringify leaves raw, so the document still parses to the same value', () => {
    const value = { name: 'evil\u202e\x9b\u2028' };
    const json = escapeJson(JSON.stringify(value, null, 2));
    expect(json).not.toMatch(/[\u202e\x9b\u2028]/);
    expect(json).toContain('\n');
    expect(JSON.parse(json)).toEqual(value);
  });
});

describe('the t`…` template and its helpers', () => {
  it('escapes every interpolated value but keeps a Safe and togo’s own words as they are', () => {
    const name = 'joe\n\x1b]52;c;AAAA\x07';
    const out = t`Signed in as ${name}\n${trusted('\x1b[1mbold\x1b[22m')} ${42}`;
    expect(out.text).toBe('Signed in as joe\\n\\x1b]52;c;AAAA\\x07\n\x1b[1mbold\x1b[22m 42');
  });

  it('joins lines and cells, escaping each plain string', () => {
    expect(lines(['one', t`two`, 'th\nree']).text).toBe('one\ntwo\nth\\nree');
    expect(join(['a', 'b\tc'], ', ').text).toBe('a, b\\tc');
  });

  it('throws when a Safe is turned back into a plain string', () => {
    const safe = t`x`;
    expect(() => `${safe}`).toThrow(/turned into a plain string/);
    expect(() => String(safe)).toThrow(TypeError);
    expect(JSON.stringify({ safe })).toBe('{"safe":"x"}');
  });

  it('cannot be made outside the module, and is recognised by its brand', () => {
    expect(() => new Safe(Symbol('other') as never, 'raw')).toThrow(TypeError);
    expect(isSafe(t`x`)).toBe(true);
    expect(isSafe({ text: 'x' })).toBe(false);
    expect(isSafe('x')).toBe(false);
  });
});
