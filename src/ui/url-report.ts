import type { ChalkInstance } from 'chalk';
import type { Inspection } from '../oidc/inspect-url.js';
import type { ComposedLogin } from '../oidc/login-url.js';
import { checkRows, summaryLine } from './checks.js';
import { renderTable } from './table.js';

/** The parameter table printed after a composed login URL; nested ReturnUrl parameters included. */
export function renderComposedParams(composed: ComposedLogin, style: ChalkInstance): string {
  const nested = composed.flavor === 'togo';
  const rows = composed.params.map((p) => [
    p.in === 'login' ? 'login' : nested ? 'ReturnUrl' : 'authorize',
    p.name,
    p.name === 'ReturnUrl' ? '(the authorize URL below, encoded once more)' : p.value,
  ]);
  const lines = [renderTable(rows, style, ['in', 'parameter', 'value'])];
  if (composed.codeVerifier) {
    lines.push(
      '',
      `${style.dim('code_verifier')}  ${composed.codeVerifier}  ${style.dim('(keep it: the token request needs it)')}`,
    );
  }
  return lines.join('\n');
}

export function renderInspection(result: Inspection, style: ChalkInstance): string {
  const out: string[] = [];
  const kind =
    result.kind === 'togo-login'
      ? 'Togo ID login URL'
      : result.kind === 'authorize'
        ? 'authorization URL'
        : 'URL (not a login or authorization URL)';
  out.push(`${style.bold(kind)}`);
  if (result.params.length > 0) {
    out.push(
      renderTable(
        result.params.map((p) => [p.name, p.value]),
        style,
        ['parameter', 'value'],
      ),
    );
  }
  if (result.returnUrl) {
    out.push('', style.bold(`ReturnUrl (${result.returnUrl.relative ? 'relative' : 'absolute'}), decoded:`));
    out.push(
      renderTable(
        result.returnUrl.params.map((p) => [p.name, p.value]),
        style,
        ['parameter', 'value'],
      ),
    );
  }
  out.push('');
  if (result.findings.length === 0) {
    out.push(style.green('no problems found'));
    return out.join('\n');
  }
  out.push(...checkRows(result.findings, style, { sort: true, hintsFor: ['fail', 'warn', 'info'] }));
  out.push('', summaryLine(result.findings, style));
  return out.join('\n');
}
