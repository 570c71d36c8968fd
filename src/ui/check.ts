import type { ChalkInstance } from 'chalk';
import type { CheckResult } from '../oidc/checks.js';

/** `togo check`'s outputs: the human table, the JSON document, JUnit XML and GitHub annotations. */

export function checkSummary(checks: readonly CheckResult[]) {
  return {
    pass: checks.filter((c) => c.status === 'pass').length,
    warn: checks.filter((c) => c.status === 'warn').length,
    fail: checks.filter((c) => c.status === 'fail').length,
    skip: checks.filter((c) => c.status === 'skip').length,
  };
}

export function checkJson(issuer: string, checks: readonly CheckResult[]) {
  const summary = checkSummary(checks);
  return { ok: summary.fail === 0, issuer, summary, checks };
}

export function renderCheckTable(issuer: string, checks: readonly CheckResult[], s: ChalkInstance): string {
  const label = {
    pass: s.green('PASS'),
    warn: s.yellow('WARN'),
    fail: s.red.bold('FAIL'),
    skip: s.dim('SKIP'),
  };
  const width = Math.min(32, Math.max(...checks.map((c) => c.id.length)));
  const lines = [s.bold(`togo check ${issuer}`), ''];
  for (const c of checks) {
    lines.push(`${label[c.status]}  ${c.id.padEnd(width)}  ${c.message}`);
    if ((c.status === 'warn' || c.status === 'fail') && c.hint)
      lines.push(`      ${' '.repeat(width)}  ${s.dim(`hint: ${c.hint}`)}`);
  }
  const sum = checkSummary(checks);
  const text = `${sum.pass} passed, ${sum.warn} warning${sum.warn === 1 ? '' : 's'}, ${sum.fail} failed${sum.skip > 0 ? `, ${sum.skip} not applicable` : ''}`;
  lines.push('', sum.fail > 0 ? s.red.bold(text) : sum.warn > 0 ? s.yellow(text) : s.green(text));
  return lines.join('\n');
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
