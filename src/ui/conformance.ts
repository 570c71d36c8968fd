/**
 * `togo conformance`'s outputs: the human table, the JSON document, and the cases as checks for
 * JUnit and GitHub annotations (the same renderers as `togo check`).
 */

import type { Check } from '../check.js';
import type { Expected } from '../mock/faults.js';
import type { FaultName } from '../mock/types.js';
import type { Style } from './color.js';
import { lines, type Safe, t } from './safe.js';
import { table } from './table.js';

export interface Evidence {
  url: string;
  status: number | null;
  line: string;
}

/**
 * ok: met its expectation; FAIL: accepted a fault it must reject, or refused a good login;
 * allowed: accepted where the specification allows it; not run: the fault does not apply or
 * cannot be seen through a browser; inconclusive: the control login after it failed too.
 */
export type Verdict = 'ok' | 'FAIL' | 'allowed' | 'not run' | 'inconclusive';

export interface ConformanceCase {
  fault: FaultName;
  expected: Expected | null;
  app: 'accepted' | 'rejected' | 'not run';
  ok: boolean;
  verdict: Verdict;
  evidence: Evidence | null;
  /** The rule broken (a failure) or allowing it (allowed). */
  rule?: string;
  /** The usual cause of the failure. */
  hint?: string;
  /** Why the fault was not run. */
  reason?: string;
}

export interface ConformanceReport {
  ok: boolean;
  issuer: string;
  startUrl: string;
  /** The response type and whether a nonce was sent, as the control login showed them. */
  flow: { responseType: string; nonce: boolean } | null;
  control: { app: 'accepted' | 'rejected'; evidence: Evidence };
  /** Set when a control login between cases failed: the run stopped after this fault. */
  brokeAfter?: FaultName;
  cases: ConformanceCase[];
}

const EXPECTED_WORD: Record<Expected, string> = {
  reject: 'reject',
  accept: 'accept',
  'reject-or-accept': 'reject (accept allowed)',
  'accept-or-reject': 'accept (reject allowed)',
};

function verdictWord(v: Verdict, s: Style): Safe {
  switch (v) {
    case 'ok':
      return s.green('ok');
    case 'FAIL':
      return s.red.bold('FAIL');
    case 'allowed':
      return s.yellow('allowed');
    case 'inconclusive':
      return s.yellow('inconclusive');
    case 'not run':
      return s.dim('not run');
  }
}

function evidenceText(e: Evidence): string {
  return `${e.status ?? 'no status'} ${e.url}: "${e.line}"`;
}

export function renderConformance(r: ConformanceReport, s: Style): Safe {
  const out: Safe[] = [s.bold(t`Conformance of ${r.startUrl}`), t``];
  out.push(
    ...table(
      [
        ['emulator', r.issuer],
        [
          'flow',
          r.flow ? `response_type ${r.flow.responseType}, ${r.flow.nonce ? 'nonce sent' : 'no nonce'}` : '-',
        ],
        [
          'control',
          t`${r.control.app === 'accepted' ? s.green('accepted') : s.red.bold('rejected')}  ${evidenceText(r.control.evidence)}`,
        ],
      ],
      { width: s.columns },
    ),
  );
  if (r.control.app !== 'accepted') {
    out.push(t``, t`${s.red.bold('The control login without a fault failed: the run proves nothing.')}`);
    out.push(
      t`hint: Check that the application uses the issuer ${r.issuer}, a client the emulator knows, and that --success-text or --success-url matches its signed-in page.`,
    );
    return lines(out);
  }
  if (r.cases.length > 0) {
    const rows = r.cases.map((c) => [
      c.fault,
      c.expected ? EXPECTED_WORD[c.expected] : '-',
      c.app,
      verdictWord(c.verdict, s),
    ]);
    out.push(
      t``,
      ...table([['FAULT', 'EXPECTED', 'APP DID', 'VERDICT'].map((h) => s.dim(h)), ...rows], {
        width: s.columns,
      }),
    );
  }
  const notes = r.cases.filter((c) => c.verdict !== 'ok');
  if (notes.length > 0) out.push(t``);
  for (const c of notes) {
    if (c.verdict === 'not run') {
      out.push(t`${s.dim(c.fault)}: not run: ${c.reason ?? ''}`);
      continue;
    }
    out.push(t`${c.verdict === 'FAIL' ? s.red.bold(c.fault) : s.yellow(c.fault)}: ${describe(c)}`);
    if (c.rule) out.push(t`    rule      ${c.rule}`);
    if (c.hint) out.push(t`    hint      ${c.hint}`);
    if (c.evidence) out.push(t`    evidence  ${evidenceText(c.evidence)}`);
  }
  out.push(t``, summaryLine(r, s));
  return lines(out);
}

function describe(c: ConformanceCase): string {
  if (c.verdict === 'inconclusive')
    return 'the control login after it failed too: the application broke itself';
  if (c.verdict === 'allowed') {
    return c.app === 'accepted'
      ? 'accepted, as the specification allows'
      : 'rejected, as the specification allows';
  }
  return c.expected === 'accept' ? 'refused a login it should accept' : 'accepted a login it must reject';
}

export function summaryLine(r: ConformanceReport, s: Style): Safe {
  const count = (v: Verdict) => r.cases.filter((c) => c.verdict === v).length;
  const failed = r.cases.filter((c) => c.verdict === 'FAIL').map((c) => c.fault);
  const text = `${count('ok')} ok, ${count('allowed')} allowed, ${failed.length} failed, ${count('not run')} not run`;
  if (r.brokeAfter) {
    return t`${s.red.bold('Stopped:')} after ${r.brokeAfter} a good login failed too (${text})`;
  }
  return failed.length > 0
    ? t`${s.red.bold('Result: FAIL')} (${text}): ${failed.join(', ')}`
    : t`${s.green('Result: PASS')} (${text})`;
}

/** The cases as check results, for JUnit XML and GitHub annotations. */
export function conformanceChecks(r: ConformanceReport): Check[] {
  const control: Check = {
    id: 'conformance.control',
    status: r.control.app === 'accepted' ? 'pass' : 'fail',
    message: `control login without a fault: ${r.control.app} (${evidenceText(r.control.evidence)})`,
    ...(r.control.app === 'accepted'
      ? {}
      : { hint: `Point the application at ${r.issuer} and check --success-text.` }),
  };
  return [
    control,
    ...r.cases.map((c): Check => {
      const id = `conformance.${c.fault}`;
      const message = `${c.fault}: expected ${c.expected ? EXPECTED_WORD[c.expected] : '-'}, the application ${c.app === 'not run' ? 'was not tried' : c.app}${c.evidence ? ` (${evidenceText(c.evidence)})` : ''}`;
      switch (c.verdict) {
        case 'ok':
          return { id, status: 'pass', message };
        case 'FAIL':
          return {
            id,
            status: 'fail',
            message: c.rule ? `${message}; ${c.rule}` : message,
            ...(c.hint ? { hint: c.hint } : {}),
          };
        case 'allowed':
          return {
            id,
            status: 'warn',
            message: `${message}; allowed: ${c.rule ?? ''}`,
            ...(c.hint ? { hint: c.hint } : {}),
          };
        case 'inconclusive':
          return {
            id,
            status: 'fail',
            message: `${message}; the control login after it failed too`,
            hint: 'The application stopped accepting good logins after this fault (cached keys, a lock-out): see its log.',
          };
        default:
          return { id, status: 'skip', message: `${c.fault}: not run: ${c.reason ?? ''}` };
      }
    }),
  ];
}
