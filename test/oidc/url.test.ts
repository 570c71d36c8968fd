import { describe, expect, it } from 'vitest';
import { formDecode, isLoopbackHost, splitQuery, splitRaw } from '../../src/oidc/url.js';

describe('URL helpers', () => {
  it('knows the loopback hosts of RFC 8252 §7.3, and nothing else', () => {
    for (const h of ['localhost', '127.0.0.1', '127.1.2.3', '[::1]']) expect(isLoopbackHost(h)).toBe(true);
    for (const h of ['127.0.0.1.example.com', 'localhost.example', '10.0.0.1', '::1', '0.0.0.0']) {
      expect(isLoopbackHost(h)).toBe(false);
    }
  });

  it('splits the raw text without normalising it, dropping the fragment', () => {
    expect(splitRaw('https://id.example/connect/authorize?a=%2x&b#frag')).toEqual({
      path: '/connect/authorize',
      query: 'a=%2x&b',
    });
    expect(splitRaw('https://id.example/p#x?y')).toEqual({ path: '/p', query: '' });
  });

  it('splits a query into raw pairs with where each value starts', () => {
    const query = 'a=1&&flag&b=x%20y';
    const pairs = splitQuery(query);
    expect(pairs.map((p) => [p.rawName, p.rawValue])).toEqual([
      ['a', '1'],
      ['flag', ''],
      ['b', 'x%20y'],
    ]);
    for (const p of pairs.filter((p) => p.rawValue)) {
      expect(query.slice(p.valueOffset, p.valueOffset + p.rawValue.length)).toBe(p.rawValue);
    }
  });

  it('form-decodes + as a space, and gives nothing for bad percent-encoding', () => {
    expect(formDecode('a+b%2Bc')).toBe('a b+c');
    expect(formDecode('%E0%A4%A')).toBeUndefined();
  });
});
