import type { ChalkInstance } from 'chalk';
import type { Finding, Inspection } from '../oidc/inspect-url.js';
import type { ComposedLogin } from '../oidc/login-url.js';
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

const SEVERITY_ORDER: Record<Finding['severity'], number> = { error: 0, warning: 1, info: 2 };

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
  const sorted = [...result.findings].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  const paint = { error: style.red.bold, warning: style.yellow, info: style.cyan } as const;
  for (const f of sorted) {
    out.push(`${paint[f.severity](f.severity.padEnd(7))} ${f.message} ${style.dim(`[${f.id}]`)}`);
    out.push(`        ${style.dim('hint:')} ${f.hint}`);
  }
  const count = (s: Finding['severity']) => result.findings.filter((f) => f.severity === s).length;
  out.push('', `${count('error')} error(s), ${count('warning')} warning(s), ${count('info')} note(s)`);
  return out.join('\n');
}
