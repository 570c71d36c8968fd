/**
 * The one place that says where a time in a token stands against now, with the clock skew applied
 * once, and the words for it. Every check message, claim table and session line that shows a
 * token's times reads them from here, so "expired" means the same everywhere: now is at or past
 * exp + skew, as jose's clockTolerance and RFC 7519 §4.1.4 have it.
 */

/** Claims that hold NumericDate values (seconds since the epoch). */
export const TIME_CLAIMS = ['iat', 'nbf', 'exp', 'auth_time', 'updated_at'] as const;

/** The clock difference allowed when nothing else is said, seconds. */
export const DEFAULT_CLOCK_SKEW = 60;

const UNITS: ReadonlyArray<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

const SHORT: Partial<Record<Intl.RelativeTimeFormatUnit, string>> = { minute: 'min', second: 's' };

/** "8 years ago", "in 4 min", "just now": the largest unit that fits, rounded down. */
export function relativeTime(seconds: number, nowSeconds: number): string {
  const delta = seconds - nowSeconds;
  const abs = Math.abs(delta);
  if (abs < 1) return 'just now';
  for (const [unit, size] of UNITS) {
    if (abs >= size) {
      const n = Math.floor(abs / size);
      const label = SHORT[unit] ?? (n === 1 ? unit : `${unit}s`);
      const amount = `${n} ${label}`;
      return delta < 0 ? `${amount} ago` : `in ${amount}`;
    }
  }
  return 'just now';
}

/** A NumericDate as an ISO 8601 string, or undefined when the value is not a usable number. */
export function isoDate(seconds: unknown): string | undefined {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return undefined;
  const ms = seconds * 1000;
  if (Math.abs(ms) > 8.64e15) return undefined;
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/**
 * - `expired`: an exp with now at or past exp + skew: the token is no longer accepted.
 * - `in-skew`: an exp already past, but by less than the skew: still accepted.
 * - `valid`: an exp still ahead.
 * - `not-yet-valid`: an nbf or iat later than now + skew.
 * - `at`: any other instant (an iat or nbf in the past, auth_time, updated_at).
 */
export type TimeState = 'expired' | 'in-skew' | 'valid' | 'not-yet-valid' | 'at';

export interface TimeClaim {
  claim: string;
  value: number;
  iso: string;
  /** "in 4 min", "3 hours ago". */
  relative: string;
  state: TimeState;
  /** The skew the state was judged with, seconds. */
  skew: number;
}

/** Where a time claim stands against now, the skew applied once; undefined for a value that is no date. */
export function timeState(
  claim: string,
  value: unknown,
  nowSeconds: number,
  skew: number = DEFAULT_CLOCK_SKEW,
): TimeClaim | undefined {
  const iso = isoDate(value);
  if (iso === undefined) return undefined;
  const at = value as number;
  let state: TimeState = 'at';
  if (claim === 'exp') state = nowSeconds >= at + skew ? 'expired' : at <= nowSeconds ? 'in-skew' : 'valid';
  else if ((claim === 'nbf' || claim === 'iat') && at > nowSeconds + skew) state = 'not-yet-valid';
  return { claim, value: at, iso, relative: relativeTime(at, nowSeconds), state, skew };
}

/** The relative part, in words: "expired 3 min ago", "in 4 min", "2 hours ago". */
export function relativeWords(t: TimeClaim): string {
  if (t.state === 'expired') return `expired ${t.relative}`;
  if (t.state === 'in-skew') return `expired ${t.relative}, within the ${t.skew} s clock skew`;
  return t.relative;
}

/** The instant in words: "2025-01-01T00:00:00Z (3 min ago)". */
export function instantWords(t: TimeClaim): string {
  return `${t.iso} (${t.relative})`;
}

/** An exp in words: "expired 2025-…Z (3 min ago)", "expires 2025-…Z (in 4 min)". */
export function expiryWords(t: TimeClaim): string {
  if (t.state === 'expired') return `expired ${instantWords(t)}`;
  if (t.state === 'in-skew') return `expired ${instantWords(t)}, within the ${t.skew} s clock skew`;
  return `expires ${instantWords(t)}`;
}

/** A lifetime in seconds from now ("expires_in"), in words: "in 300 s (in 5 min)". */
export function lifetimeWords(seconds: number): string {
  return `in ${seconds} s (${relativeTime(seconds, 0)})`;
}
