import type { Inspection } from '../oidc/inspect-url.js';
import type { ComposedLogin } from '../oidc/login-url.js';
import type { Style } from './color.js';
import { lines as joinLines, type Safe, t } from './safe.js';
import { renderTable } from './table.js';
import { checkRows, summaryLine } from './verdicts.js';

/** The parameter table printed after a composed login URL; nested ReturnUrl parameters included. */
export function renderComposedParams(composed: ComposedLogin, style: Style): Safe {
  const nested = composed.flavor === 'togo';
  const rows = composed.params.map((p) => [
    p.in === 'login' ? 'login' : nested ? 'ReturnUrl' : 'authorize',
    p.name,
    p.name === 'ReturnUrl' ? '(the authorize URL below, encoded once more)' : p.value,
  ]);
  const lines = [renderTable(rows, style, ['in', 'parameter', 'value'])];
  if (composed.codeVerifier) {
    lines.push(
      t``,
      t`${style.dim('code_verifier')}  ${composed.codeVerifier}  ${style.dim('(keep it: the token request needs it)')}`,
    );
  }
  return joinLines(lines);
}

export function renderInspection(result: Inspection, style: Style): Safe {
  const out: Safe[] = [];
  const kind =
    result.kind === 'togo-login'
      ? 'Togo ID login URL'
      : result.kind === 'authorize'
        ? 'authorization URL'
        : 'URL (not a login or authorization URL)';
  out.push(style.bold(kind));
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
    out.push(t``, style.bold(`ReturnUrl (${result.returnUrl.relative ? 'relative' : 'absolute'}), decoded:`));
    out.push(
      renderTable(
        result.returnUrl.params.map((p) => [p.name, p.value]),
        style,
        ['parameter', 'value'],
      ),
    );
  }
  out.push(t``);
  if (result.findings.length === 0) {
    out.push(style.green('no problems found'));
    return joinLines(out);
  }
  out.push(...checkRows(result.findings, style, { sort: true, hintsFor: ['fail', 'warn', 'info'] }));
  out.push(t``, summaryLine(result.findings, style));
  return joinLines(out);
}
