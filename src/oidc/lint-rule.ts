/**
 * The linters' first rule shape, kept while the discovery and JWKS tables move to the one rule shape
 * of src/rule.ts (a row with an id, a spec reference, what it applies to, the expectations it needs,
 * and a run). New rules use src/rule.ts directly.
 */
import { fail, info, type Rule, runRules as runTable, warn } from '../rule.js';
import type { Finding, Severity } from './findings.js';

/** A finding before its rule names it. */
export interface Verdict {
  status: Severity;
  message: string;
  hint: string;
}

/** A rule of the one shape (src/rule.ts) whose `appliesTo` is not written yet. */
export type LintRule<Input> = Omit<Rule<Input>, 'appliesTo' | 'run'> & {
  readonly appliesTo?: string;
  /** What the input breaks of the requirement, in report order; empty when it holds. */
  readonly run: (input: Input) => Verdict[];
};

const BY_STATUS = { fail, warn, info } as const;

export function verdict(status: Severity, message: string, hint: string): Verdict {
  return BY_STATUS[status](message, { hint }) as Verdict;
}

/** Every rule in table order; each verdict carries the id of the rule that gave it. */
export function runRules<Input>(rules: readonly LintRule<Input>[], input: Input): Finding[] {
  return runTable(rules as readonly Rule<Input>[], input);
}
