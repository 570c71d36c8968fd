import type { Organization } from '../oidc/claims.js';
import { show } from '../oidc/show.js';
import { lifetimeWords, relativeTime, relativeWords, timeState } from '../oidc/time.js';
import type { LoginResult } from '../provider/complete-login.js';
import type { Style } from './color.js';
import { decodeLines, verdictLines } from './decode.js';
import { type Cell, join, lines, type Safe, t } from './safe.js';
import { section, table } from './table.js';
import { checkRows, summaryLine } from './verdicts.js';

export interface LoginView {
  result: LoginResult;
  /** e.g. "togo flavor, id_token, via the URL fragment". */
  flow: string;
  /** Seconds since the epoch. */
  now: number;
  clockSkew: number;
}

/** Where a login's tokens went, for the summary's last line. */
export interface LoginSession {
  /** --save: the file written. */
  saved?: string;
  /** The session store: the directory it is kept in. */
  stored?: string;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

/** "Joe Marsh <joe@m.test>", from the claims a person is known by; the subject when there are none. */
function personOf(p: Record<string, unknown>): string {
  const name =
    text(p.name) ?? ([text(p.given_name), text(p.family_name)].filter(Boolean).join(' ') || undefined);
  const email = text(p.email);
  return [name, email ? `<${email}>` : undefined].filter(Boolean).join(' ') || (text(p.sub) ?? 'unknown');
}

/** Organizations as a person scans them: name, admin, roles (the IDs are in --verbose). */
function organizationRows(orgs: Organization[], s: Style): Safe[] {
  if (orgs.length === 0) return [t`  (no organizations)`];
  return table(
    [
      [s.dim('ORGANIZATION'), s.dim('ADMIN'), s.dim('ROLES')],
      ...orgs.map((o) => [
        o.name ?? o.id ?? '-',
        o.isAdministrator ? s.green('yes') : 'no',
        o.roles.join(', ') || '-',
      ]),
    ],
    { width: s.columns },
  );
}

/**
 * What a person reads after a login, at a glance: who signed in, their organizations and roles,
 * the tokens received, every check that failed or warned, the verdict, and where the session went.
 * The whole report (every claim and check) is renderLogin, shown with --verbose.
 */
export function renderLoginSummary(v: LoginView, session: LoginSession, s: Style): Safe {
  const { result } = v;
  const all = [...result.checks, ...result.idTokens.flatMap((r) => r.verification.checks)];
  const report = result.idTokens[result.idTokens.length - 1];
  const rows: Cell[][] = [];
  if (report) {
    const p = report.decoded.payload;
    rows.push(['signed in as', personOf(p)]);
    if (typeof p.sub === 'string') rows.push(['subject', p.sub]);
    if (typeof p.iss === 'string') rows.push(['issuer', p.iss]);
  }
  rows.push(['tokens', tokensText(v)]);
  const out: Safe[] = [t`${s.bold('Login')} ${s.dim(t`(${v.flow})`)}`, ...table(rows, { width: s.columns })];
  for (const e of Object.values(report?.expansion.expanded ?? {})) {
    if (e.kind === 'togo-user' || e.kind === 'logto-organizations') {
      out.push(...section(s.bold('Organizations and roles'), organizationRows(e.organizations, s)));
    } else if (e.kind === 'roles') {
      out.push(...section(s.bold('Roles'), [t`  ${e.roles.join(', ') || '(none)'}`]));
    }
  }
  const notable = all.filter((c) => c.status === 'fail' || c.status === 'warn');
  out.push(...section(t`${s.bold('Checks')}  ${summaryLine(all, s)}`, checkRows(notable, s)));
  out.push(t``, ...verdictLines(all, s));
  const where = [
    ...(session.saved ? [t`saved to ${session.saved} (mode 0600)`] : []),
    ...(session.stored ? [t`kept in the store, ${session.stored} (\`togo sessions\` lists it)`] : []),
  ];
  if (where.length > 0)
    out.push(...table([[s.dim('Session'), join(where, '; ')]], { width: s.columns, indent: '' }));
  return lines(out);
}

/** "ID token (expires in 5 min), access token (Bearer, expires in 1 hour), refresh token". */
function tokensText(v: LoginView): string {
  const { result } = v;
  const parts: string[] = [];
  const exp = timeState(
    'exp',
    result.idTokens[result.idTokens.length - 1]?.decoded.payload.exp,
    v.now,
    v.clockSkew,
  );
  if (result.tokens.id_token) {
    parts.push(
      exp
        ? `ID token (${exp.state === 'valid' ? `expires ${relativeWords(exp)}` : relativeWords(exp)})`
        : 'ID token',
    );
  }
  const at = result.accessToken;
  if (at) {
    const details = [
      at.tokenType ?? 'no token_type',
      ...(at.expiresIn !== undefined ? [`expires ${relativeTime(at.expiresIn, 0)}`] : []),
    ];
    parts.push(`access token (${details.join(', ')})`);
  }
  if (result.tokens.refresh_token) parts.push('refresh token');
  return parts.join(', ') || 'none';
}

/** The result of a login: flow checks, each ID token as `togo decode` shows it, the access token. */
export function renderLogin(v: LoginView, s: Style): Safe {
  const { result } = v;
  const out: Safe[] = [t`${s.bold('Login')} ${s.dim(t`(${v.flow})`)}`, ...checkRows(result.checks, s)];
  for (const report of result.idTokens) {
    out.push(
      t``,
      s.bold.underline(t`ID token from the ${report.from}`),
      ...decodeLines(
        {
          decoded: report.decoded,
          expanded: report.expansion.expanded,
          verification: report.verification,
          now: v.now,
          clockSkew: v.clockSkew,
          verdict: false,
        },
        s,
      ),
    );
  }
  const at = result.accessToken;
  if (at) {
    const rows: Cell[][] = [['type', at.tokenType ?? '-']];
    if (at.expiresIn !== undefined) rows.push(['expires', lifetimeWords(at.expiresIn)]);
    if (at.scope) rows.push(['scope', at.scope]);
    if (at.jwt) {
      const p = at.jwt.payload;
      rows.push([
        'format',
        `JWT (${show(at.jwt.header.alg)}): decode it with togo decode --use access_token`,
      ]);
      for (const claim of ['iss', 'sub', 'aud', 'client_id', 'scope']) {
        if (p[claim] !== undefined)
          rows.push([`  ${claim}`, typeof p[claim] === 'string' ? p[claim] : JSON.stringify(p[claim])]);
      }
    } else {
      rows.push(['format', `opaque, ${at.length} characters (only the provider can read it)`]);
    }
    out.push(...section(s.bold('Access token'), table(rows, { width: s.columns })));
  }
  if (result.tokens.refresh_token)
    out.push(
      ...section(s.bold('Refresh token'), [
        t`  received (kept out of the output; --json or --save to keep it)`,
      ]),
    );
  const all = [...result.checks, ...result.idTokens.flatMap((r) => r.verification.checks)];
  out.push(t``, ...verdictLines(all, s));
  return lines(out);
}
