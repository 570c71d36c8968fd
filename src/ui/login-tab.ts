/**
 * What the browser tab shows once a login is judged: who signed in, their organizations and roles,
 * the verdict and any failed check. Built from the verified result only; the listener escapes every
 * value (these are the provider's words, not markup).
 */
import type { OutcomeRow } from '../http/listener.js';
import type { Expansion } from '../oidc/claims.js';
import type { LoginResult } from '../provider/complete-login.js';

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

export function loginTabRows(result: LoginResult): OutcomeRow[] {
  const rows: OutcomeRow[] = [];
  const report = result.idTokens[result.idTokens.length - 1];
  if (report) {
    const p = report.decoded.payload;
    const name =
      text(p.name) ?? ([text(p.given_name), text(p.family_name)].filter(Boolean).join(' ') || undefined);
    const who = [name, text(p.email) ? `<${p.email}>` : undefined].filter(Boolean).join(' ');
    rows.push({ label: 'Signed in as', value: who || String(p.sub ?? 'unknown') });
    if (typeof p.sub === 'string') rows.push({ label: 'Subject', value: p.sub });
    for (const expansion of Object.values(report.expansion.expanded)) rows.push(...expansionRows(expansion));
  }
  const checks = [...result.checks, ...result.idTokens.flatMap((r) => r.verification.checks)];
  const failed = checks.filter((c) => c.status === 'fail');
  const passed = checks.filter((c) => c.status === 'pass').length;
  const counted = (n: number) => `${n} check${n === 1 ? '' : 's'}`;
  rows.push({
    label: 'Verdict',
    value: result.ok ? `VALID: ${counted(passed)} passed` : `INVALID: ${counted(failed.length)} failed`,
    ...(result.ok ? {} : { fail: true }),
  });
  for (const c of failed) {
    rows.push({ label: `${c.id}${c.name ? ` ${c.name}` : ''}`, value: c.message, fail: true });
  }
  return rows;
}

function expansionRows(e: Expansion): OutcomeRow[] {
  switch (e.kind) {
    case 'togo-user':
    case 'logto-organizations':
      if (e.organizations.length === 0) return [{ label: 'Organizations', value: 'none' }];
      return e.organizations.map((o) => ({
        label: 'Organization',
        value: `${o.name ?? o.id ?? '(unnamed)'}: ${o.roles.length ? o.roles.join(', ') : 'no roles'}${o.isAdministrator ? ' (administrator)' : ''}`,
      }));
    case 'roles':
      return [{ label: 'Roles', value: e.roles.join(', ') || 'none' }];
    default:
      return [];
  }
}
