/**
 * The one shape of a rule, for every family of checks togo makes (discovery, JWKS, URLs, tokens,
 * userinfo, …): a row of a table that says which requirement it checks, where the requirement is
 * written, what it applies to, which expectations it needs, and a pure function that judges the
 * input. The verdicts a rule gives are made by the constructors below (and no other), and a runner
 * names each verdict by its rule's id, so a rule can report only under its own id.
 *
 * Adding a rule is one row, one function, one test.
 */
import type { Check } from './check.js';
import type { ErrorCode } from './errors.js';
import { EXPECTATIONS, type ExpectationName } from './expectations.js';

/** A verdict before its rule names it: a Check (check.ts) without the id. */
export type Verdict = Omit<Check, 'id'>;

/** What a verdict may carry besides its status and message. */
export interface VerdictDetail {
  /** The next step; every fail and warn should have one, or a code whose hint says it. */
  hint?: string;
  /** The error code of a failed (or warned) check, from the closed list in errors.ts. */
  code?: ErrorCode;
  /** What was checked, in a word or two ("exp", "nonce"), where the id alone says little. */
  name?: string;
}

function make(status: Check['status'], message: string, detail: VerdictDetail = {}): Verdict {
  // Keys in the order scripts have always seen them; absent details stay absent (not undefined).
  return {
    ...(detail.name !== undefined ? { name: detail.name } : {}),
    status,
    message,
    ...(detail.hint !== undefined ? { hint: detail.hint } : {}),
    ...(detail.code !== undefined ? { code: detail.code } : {}),
  };
}

/** Checked and held. */
export const pass = (message: string, detail?: VerdictDetail): Verdict => make('pass', message, detail);
/** Checked and did not hold: the verdict is failed. */
export const fail = (message: string, detail?: VerdictDetail): Verdict => make('fail', message, detail);
/** Held, or could not be fully established, with something the user should look at. */
export const warn = (message: string, detail?: VerdictDetail): Verdict => make('warn', message, detail);
/** Not applicable to this input, or not possible with what was given (the message says which). */
export const skip = (message: string, detail?: VerdictDetail): Verdict => make('skip', message, detail);
/** A remark, not a judgement. */
export const info = (message: string, detail?: VerdictDetail): Verdict => make('info', message, detail);

/**
 * A named input a rule compares against and that the user supplies: the client id, the nonce sent,
 * the audience, the pinned issuer. Declared once, with the hint that says how to supply it; a rule
 * that cannot run without it is skipped with that hint.
 */
export interface Expectation<Input> {
  /** Its name in the closed list (expectations.ts): "nonce", "clientId". */
  readonly name: string;
  /** What it is, as the end of "no … was given": "expected nonce", "client id". */
  readonly what: string;
  /** How to supply it: "Pass --nonce <nonce> (the one sent in the request) to check it." */
  readonly hint: string;
  /** Whether the input holds it. */
  readonly given: (input: Input) => boolean;
}

export interface Rule<Input> {
  /** Stable id a script or CI job can match on: `D9`, `at.sub`, `disc.issuer-match`. */
  readonly id: string;
  /** Where the requirement is written: spec and section ("OpenID Connect Core §3.1.3.7"). */
  readonly spec: string;
  /** What the rule judges, in a few words: "ID token", "discovery document". */
  readonly appliesTo: string;
  /** The expectations the rule cannot run without, in the order they are looked for. */
  readonly needs?: readonly Expectation<Input>[];
  /** The rule's judgement of the input: one verdict, or several, or none when there is nothing to say. */
  readonly run: (input: Input) => Verdict | readonly Verdict[];
  /**
   * What to report when an expectation in `needs` is missing, when a plain skip is not the truth
   * (the expectation's absence is itself a warning, or the input fails without it). Without it the
   * runner reports a skip, "not checked: no <what> was given", with the expectation's hint.
   */
  readonly unmet?: (input: Input, missing: Expectation<Input>) => Verdict | readonly Verdict[];
}

/** An expectation of the closed list (expectations.ts), with how to tell whether an input holds it. */
export function expectation<Input>(
  name: ExpectationName,
  given: (input: Input) => boolean,
): Expectation<Input> {
  return { name, ...EXPECTATIONS[name], given };
}

/** The expectation of `rule` the input lacks, if any. */
export function missingExpectation<Input>(rule: Rule<Input>, input: Input): Expectation<Input> | undefined {
  return rule.needs?.find((e) => !e.given(input));
}

/** The skip a rule gives when an expectation it needs is missing: the expectation says how to supply it. */
export function skipFor<Input>(
  missing: Expectation<Input>,
  message?: string,
  detail?: VerdictDetail,
): Verdict {
  return skip(message ?? `not checked: no ${missing.what} was given`, { ...detail, hint: missing.hint });
}

function list(v: Verdict | readonly Verdict[]): readonly Verdict[] {
  return Array.isArray(v) ? (v as readonly Verdict[]) : [v as Verdict];
}

/** One rule's verdicts, named by its id; a missing expectation turns into its skip (or the rule's `unmet`). */
export function runRule<Input>(rule: Rule<Input>, input: Input): Check[] {
  const missing = missingExpectation(rule, input);
  const verdicts = missing
    ? list(rule.unmet ? rule.unmet(input, missing) : skipFor(missing))
    : list(rule.run(input));
  return verdicts.map((v) => ({ id: rule.id, ...v }));
}

/** Every rule of a table, in table order (the report's order); each verdict carries its rule's id. */
export function runRules<Input>(rules: readonly Rule<Input>[], input: Input): Check[] {
  return rules.flatMap((rule) => runRule(rule, input));
}
