/**
 * The shape of a linter: a table of rules, each an id, the text that states the requirement, and a
 * pure check. The table is the single list of what a linter can report: the ids `togo check` shows
 * are read from it, and a rule reports only under its own id.
 */
import type { Finding, Severity } from './findings.js';

/** A finding before its rule names it. */
export interface Verdict {
  status: Severity;
  message: string;
  hint: string;
}

export interface LintRule<Input> {
  /** Stable id a CI job can match on, e.g. `disc.issuer-match`. */
  readonly id: string;
  /** Where the requirement is written: spec and section. */
  readonly spec: string;
  /** What the input breaks of the requirement, in report order; empty when it holds. */
  readonly run: (input: Input) => Verdict[];
}

export function verdict(status: Severity, message: string, hint: string): Verdict {
  return { status, message, hint };
}

/** Every rule in table order; each verdict carries the id of the rule that gave it. */
export function runRules<Input>(rules: readonly LintRule<Input>[], input: Input): Finding[] {
  return rules.flatMap((rule) => rule.run(input).map((v) => ({ id: rule.id, ...v })));
}
