/** Claims that hold NumericDate values (seconds since the epoch). */
export const TIME_CLAIMS = ['iat', 'nbf', 'exp', 'auth_time', 'updated_at'] as const;

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

export interface TimeClaim {
  claim: string;
  value: number;
  iso: string;
  relative: string;
}

export function describeTime(claim: string, value: unknown, nowSeconds: number): TimeClaim | undefined {
  const iso = isoDate(value);
  if (iso === undefined) return undefined;
  return { claim, value: value as number, iso, relative: relativeTime(value as number, nowSeconds) };
}
