import { describe, expect, it } from 'vitest';
import { depthMarker, limitDepth } from '../../src/oidc/depth.js';

/** An object nested `levels` deep: { a: { a: … 'bottom' } }. */
function nested(levels: number): unknown {
  let v: unknown = 'bottom';
  for (let i = 0; i < levels; i++) v = { a: v };
  return v;
}

describe('values nested too deep are cut where they enter', () => {
  it('keeps a shallow value as it is, without copying it', () => {
    const claims = { sub: 'joe', user: { organizations: [{ id: 1 }] } };
    const limited = limitDepth(claims);
    expect(limited.cut).toBe(false);
    expect(limited.value).toBe(claims);
  });

  it('replaces what lies deeper than the limit with the marker, and says it cut', () => {
    const limited = limitDepth(nested(5), 3);
    expect(limited.cut).toBe(true);
    expect(limited.value).toEqual({ a: { a: { a: depthMarker(3) } } });
  });

  it('cuts arrays as it cuts objects', () => {
    const limited = limitDepth([[[['deep']]]], 2);
    expect(limited).toEqual({ value: [[depthMarker(2)]], cut: true });
  });

  it('walks a document far deeper than the stack would allow without overflowing', () => {
    const limited = limitDepth(JSON.parse(`${'['.repeat(20_000)}${']'.repeat(20_000)}`));
    expect(limited.cut).toBe(true);
    expect(() => JSON.stringify(limited.value)).not.toThrow();
  });

  it('keeps a "__proto__" key from JSON as an own property, not as the prototype', () => {
    const parsed = JSON.parse('{"__proto__": {"polluted": true}, "deep": {"a": {"b": {"c": 1}}}}');
    const { value } = limitDepth(parsed, 2) as { value: Record<string, unknown> };
    expect(Object.hasOwn(value, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  });
});
