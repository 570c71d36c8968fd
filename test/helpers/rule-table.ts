/**
 * What every table of rules (src/rule.ts) must be, checked the same way for each family: ids of the
 * documented scheme (`D<n>`, or dotted `family.name`), unique; a spec reference with a section;
 * what the rule applies to; expectations only from the closed list (src/expectations.ts).
 */
import { EXPECTATIONS } from '../../src/expectations.js';
import type { Rule } from '../../src/rule.js';

export const RULE_ID = /^(D[1-9]\d?|[a-z][a-z0-9]*(\.[a-z0-9_-]+)+)$/;

/** A spec name and a section: "RFC 9068 §2.2", "OpenID Connect Core §3.1.3.7 (2)". */
export const SPEC_REFERENCE = /^(RFC \d+|OpenID Connect [A-Za-z-]+( [A-Za-z-]+)*|[A-Z][A-Za-z-]+ Logout) §\d/;

/** Every problem of a table, one line each; a well-made table has none. */
export function tableProblems<Input>(rules: readonly Rule<Input>[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const rule of rules) {
    if (!RULE_ID.test(rule.id)) problems.push(`${rule.id}: not an id of the documented scheme`);
    if (seen.has(rule.id)) problems.push(`${rule.id}: a second row with this id`);
    seen.add(rule.id);
    if (!SPEC_REFERENCE.test(rule.spec))
      problems.push(`${rule.id}: spec "${rule.spec}" names no spec and section`);
    if (rule.appliesTo.trim() === '') problems.push(`${rule.id}: says nothing of what it applies to`);
    for (const e of rule.needs ?? []) {
      const declared = (EXPECTATIONS as Record<string, { hint: string } | undefined>)[e.name];
      if (!declared) problems.push(`${rule.id}: needs "${e.name}", which is not in the closed list`);
      else if (declared.hint !== e.hint) problems.push(`${rule.id}: "${e.name}" carries another hint`);
    }
  }
  return problems;
}
