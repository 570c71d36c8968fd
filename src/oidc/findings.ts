/** What a linter reports: one problem (or remark), with a stable id a CI job can match on. */

export type Severity = 'fail' | 'warn' | 'info';

export interface Finding {
  /** Stable id, e.g. `disc.issuer-match`, `jwks.no-private` (see docs/usage.md's table). */
  id: string;
  severity: Severity;
  message: string;
  /** The next step, always present. */
  hint: string;
}

export function hasFailure(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'fail');
}

const ORDER: Record<Severity, number> = { fail: 0, warn: 1, info: 2 };

/** Worst first, then in the order the checks ran (the spec's order). */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => ORDER[a.f.severity] - ORDER[b.f.severity] || a.i - b.i)
    .map(({ f }) => f);
}
