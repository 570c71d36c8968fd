import { summarize } from '../check.js';
import type { CheckResult } from '../oidc/checks.js';
import { checkRows, summaryLine } from './checks.js';
import type { Style } from './color.js';
import { lines, type Safe, t } from './safe.js';

/** `togo check`'s outputs: the human table, the JSON document, JUnit XML and GitHub annotations. */

export const checkSummary = summarize;

export function checkJson(issuer: string, checks: readonly CheckResult[]) {
  const summary = checkSummary(checks);
  return { ok: summary.fail === 0, issuer, summary, checks };
}

export function renderCheckTable(issuer: string, checks: readonly CheckResult[], s: Style): Safe {
  return lines([s.bold(t`togo check ${issuer}`), t``, ...checkRows(checks, s), t``, summaryLine(checks, s)]);
}

function xml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .split('')
    .filter((ch) => ch >= ' ' || ch === '\t' || ch === '\n' || ch === '\r') // XML 1.0 forbids other controls
    .join('');
}

/** JUnit XML as CI systems read it: one testcase per check, failures as <failure>. */
export function renderJunit(issuer: string, checks: readonly CheckResult[], timestamp: Date): string {
  const sum = checkSummary(checks);
  const cases = checks.map((c) => {
    const group = c.id.split(/[.:]/)[0];
    const open = `    <testcase classname="togo.check.${xml(group ?? 'check')}" name="${xml(c.id)}" time="0">`;
    if (c.status === 'fail') {
      return `${open}\n      <failure message="${xml(c.message)}" type="fail">${xml(`${c.message}\nhint: ${c.hint ?? ''}`)}</failure>\n    </testcase>`;
    }
    if (c.status === 'warn') {
      return `${open}\n      <system-out>${xml(`WARN: ${c.message}\nhint: ${c.hint ?? ''}`)}</system-out>\n    </testcase>`;
    }
    if (c.status === 'skip') return `${open}\n      <skipped message="${xml(c.message)}"/>\n    </testcase>`;
    return `${open}</testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="togo check" tests="${checks.length}" failures="${sum.fail}" errors="0">`,
    `  <testsuite name="${xml(`togo check ${issuer}`)}" tests="${checks.length}" failures="${sum.fail}" errors="0" skipped="${sum.skip}" timestamp="${timestamp.toISOString().replace(/\.\d+Z$/, '')}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

/** GitHub Actions workflow commands: data escapes %, CR, LF; properties also : and ,. */
function ghData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function ghProperty(text: string): string {
  return ghData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function githubAnnotations(checks: readonly CheckResult[]): string[] {
  return checks
    .filter((c) => c.status === 'fail' || c.status === 'warn')
    .map(
      (c) =>
        `::${c.status === 'fail' ? 'error' : 'warning'} title=${ghProperty(`togo check ${c.id}`)}::${ghData(
          c.hint ? `${c.message} (hint: ${c.hint})` : c.message,
        )}`,
    );
}
