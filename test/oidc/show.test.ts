import { describe, expect, it } from 'vitest';
import { show } from '../../src/oidc/show.js';

describe('a value from outside, shown in a message', () => {
  it('is a string as it is, anything else as JSON', () => {
    expect(show('RS256')).toBe('RS256');
    expect(show(['a', 1])).toBe('["a",1]');
    expect(show(null)).toBe('null');
  });

  it('never throws, whatever the value holds', () => {
    expect(show(JSON.parse('{"toString": null, "valueOf": null}'))).toBe('{"toString":null,"valueOf":null}');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(show(cyclic)).toBe('object');
    expect(show(undefined)).toBe('undefined');
    expect(show(10n)).toBe('bigint');
  });
});
