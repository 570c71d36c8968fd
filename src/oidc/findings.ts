/**
 * What a linter reports: problems and remarks, each a Check (src/check.ts) with status fail, warn
 * or info and a stable id a CI job can match on (`disc.issuer-match`, `jwks.no-private`, …).
 */
import type { Check, CheckStatus } from '../check.js';

export type { Check as Finding } from '../check.js';
export { hasFailure, worstFirst as sortFindings } from '../check.js';

/** The statuses a linter gives: a finding is never a pass or a skip. */
export type Severity = Extract<CheckStatus, 'fail' | 'warn' | 'info'>;

/** A finding, always with a hint. */
export function finding(id: string, status: Severity, message: string, hint: string): Check {
  return { id, status, message, hint };
}
