import { describe, expect, it } from 'vitest';
import {
  expiryWords,
  instantWords,
  isoDate,
  lifetimeWords,
  relativeTime,
  relativeWords,
  timeState,
} from '../../src/oidc/time.js';

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
    expect(timeState('exp', NOW + 60, NOW)).toEqual({
      claim: 'exp',
      value: NOW + 60,
      iso: '2025-01-01T00:01:00Z',
      relative: 'in 1 min',
      state: 'valid',
      skew: 60,
    });
    expect(timeState('exp', 'tomorrow', NOW)).toBeUndefined();
  });

  it('calls a token expired from exp + skew on, as the verification does, and within the skew before', () => {
    const state = (exp: number, skew: number) => timeState('exp', exp, NOW, skew)?.state;
    expect(state(NOW + 1, 60)).toBe('valid');
    expect(state(NOW, 60)).toBe('in-skew');
    expect(state(NOW - 59, 60)).toBe('in-skew');
    expect(state(NOW - 60, 60)).toBe('expired');
    expect(state(NOW, 0)).toBe('expired');
    expect(state(NOW + 1, 0)).toBe('valid');
  });

  it('calls an nbf or iat beyond now + skew not yet valid, and other times plain instants', () => {
    expect(timeState('nbf', NOW + 61, NOW, 60)?.state).toBe('not-yet-valid');
    expect(timeState('nbf', NOW + 60, NOW, 60)?.state).toBe('at');
    expect(timeState('iat', NOW + 1, NOW, 0)?.state).toBe('not-yet-valid');
    expect(timeState('auth_time', NOW + 3600, NOW, 0)?.state).toBe('at');
  });

  it('words each state one way', () => {
    const at = (claim: string, value: number, skew = 60) =>
      timeState(claim, value, NOW, skew) as NonNullable<ReturnType<typeof timeState>>;
    expect(expiryWords(at('exp', NOW - 3600))).toBe('expired 2024-12-31T23:00:00Z (1 hour ago)');
    expect(expiryWords(at('exp', NOW + 300))).toBe('expires 2025-01-01T00:05:00Z (in 5 min)');
    expect(expiryWords(at('exp', NOW - 30))).toBe(
      'expired 2024-12-31T23:59:30Z (30 s ago), within the 60 s clock skew',
    );
    expect(relativeWords(at('exp', NOW - 3600))).toBe('expired 1 hour ago');
    expect(relativeWords(at('iat', NOW - 3600))).toBe('1 hour ago');
    expect(instantWords(at('iat', NOW - 3600))).toBe('2024-12-31T23:00:00Z (1 hour ago)');
    expect(lifetimeWords(300)).toBe('in 300 s (in 5 min)');
  });
});
