import { describe, expect, it } from 'vitest';
import { describeTime, isoDate, relativeTime } from '../../src/oidc/time.js';

const NOW = Date.UTC(2025, 0, 1) / 1000;

describe('times in tokens', () => {
  it('says how long ago or how soon, in the largest unit that fits, rounded down', () => {
    expect(relativeTime(NOW, NOW)).toBe('just now');
    expect(relativeTime(NOW - 1, NOW)).toBe('1 s ago');
    expect(relativeTime(NOW + 299, NOW)).toBe('in 4 min');
    expect(relativeTime(NOW - 2 * 3600, NOW)).toBe('2 hours ago');
    expect(relativeTime(NOW + 24 * 3600, NOW)).toBe('in 1 day');
    expect(relativeTime(NOW - 8 * 365 * 24 * 3600, NOW)).toBe('8 years ago');
  });

  it('gives an ISO date for a usable NumericDate only', () => {
    expect(isoDate(NOW)).toBe('2025-01-01T00:00:00Z');
    expect(isoDate(NOW + 0.5)).toBe('2025-01-01T00:00:00.500Z');
    for (const bad of ['1735689600', Number.NaN, Number.POSITIVE_INFINITY, 1e300, null, undefined]) {
      expect(isoDate(bad)).toBeUndefined();
    }
  });

  it('describes a time claim, or nothing for a value that is not a date', () => {
    expect(describeTime('exp', NOW + 60, NOW)).toEqual({
      claim: 'exp',
      value: NOW + 60,
      iso: '2025-01-01T00:01:00Z',
      relative: 'in 1 min',
    });
    expect(describeTime('exp', 'tomorrow', NOW)).toBeUndefined();
  });
});
