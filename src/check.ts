/**
 * The one shape of every verdict togo gives: discovery and JWKS lint, URL inspection, token
 * verification (D1–D16), login flow checks (F*), the CI gate, and any check added later. Each
 * command reports an ordered list of these; one renderer prints them and one JSON form carries them.
 */
import type { ErrorCode } from './errors.js';

/**
 * - `pass`: checked and held.
 * - `fail`: checked and did not hold; the verdict is failed.
 * - `warn`: held, or could not be fully established, with something the user should look at.
 * - `skip`: not applicable to this run, or not possible with what was given (the message says which).
 * - `info`: a remark, not a judgement.
 */
export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip' | 'info';

export const CHECK_STATUSES: readonly CheckStatus[] = ['pass', 'fail', 'warn', 'skip', 'info'];

export interface Check {
  /** Stable id a script or CI job can match on: `D5`, `F2`, `disc.issuer-match`, `url.return-url-unencoded`. */
  id: string;
  status: CheckStatus;
  /** What was found, in one sentence. */
  message: string;
  /** The next step; present on every fail and warn. */
  hint?: string;
  /** The error code of a failed (or warned) check, from the closed list in errors.ts. */
  code?: ErrorCode;
  /** What was checked, in a word or two ("signature", "exp"), where the id alone says little. */
  name?: string;
}

export function hasFailure(checks: readonly Check[]): boolean {
  return checks.some((c) => c.status === 'fail');
}

export interface CheckSummary {
  pass: number;
  fail: number;
  warn: number;
  skip: number;
  info: number;
}

export function summarize(checks: readonly Check[]): CheckSummary {
  const sum: CheckSummary = { pass: 0, fail: 0, warn: 0, skip: 0, info: 0 };
  for (const c of checks) sum[c.status]++;
  return sum;
}

const ORDER: Record<CheckStatus, number> = { fail: 0, warn: 1, info: 2, skip: 3, pass: 4 };

/** Worst first, then in the order the checks ran (the spec's order). */
export function worstFirst(checks: readonly Check[]): Check[] {
  return checks
    .map((c, i) => ({ c, i }))
    .sort((a, b) => ORDER[a.c.status] - ORDER[b.c.status] || a.i - b.i)
    .map(({ c }) => c);
}
