import type { Check as BaseCheck } from '../check.js';
import { ERROR_CODES } from '../errors.js';
import { claimScope, type Expansion, type Organization } from '../oidc/claims.js';
import { show } from '../oidc/show.js';
import { TIME_CLAIMS, timeState } from '../oidc/time.js';
import type { DecodedToken } from '../oidc/token.js';
import type { TokenKindGuess } from '../oidc/token-kind.js';
import type { Style } from './color.js';
import { type Cell, lines, type Safe, t } from './safe.js';
import { hang, section, table } from './table.js';
import { timeCell } from './time.js';
import { checkRows } from './verdicts.js';

export interface DecodeView {
  decoded: DecodedToken;
  /** Which kind of token this is (by typ, else by its claims); shown first when given. */
  kind?: TokenKindGuess;
  expanded: Record<string, Expansion>;
  verification?: { ok: boolean; checks: readonly BaseCheck[]; profile?: string };
  /** Seconds since the epoch. */
  now: number;
  clockSkew: number;
  /** Close with the verdict and hints (a login prints one verdict for all its tokens instead). */
  verdict?: boolean;
  /** Why there is no verification: not asked for (the default), or asked for but not possible. */
  unverifiedBecause?: 'not-asked' | 'keys-unreachable';
}

/** What a claims table needs: the claims, their expansions, and the clock. */
export interface ClaimsView {
  payload: Record<string, unknown>;
  expanded: Record<string, Expansion>;
  /** Seconds since the epoch. */
  now: number;
  clockSkew: number;
}

const HEADER_FIELDS = ['alg', 'kid', 'typ', 'x5t', 'cty', 'jku', 'x5u'];

function valueText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function claimRows(v: ClaimsView, s: Style): Cell[][] {
  return Object.entries(v.payload).map(([claim, value]) => {
    const isExpanded = Object.hasOwn(v.expanded, claim);
    const scope = claimScope(claim) ?? (isExpanded ? 'custom' : '-');
    let text: Cell;
    if ((TIME_CLAIMS as readonly string[]).includes(claim)) {
      const time = timeState(claim, value, v.now, v.clockSkew);
      text = time ? timeCell(time, s) : valueText(value);
    } else if (isExpanded && typeof value === 'string') {
      text = s.dim('(JSON in a string: expanded below)');
    } else {
      text = valueText(value);
    }
    return [s.bold(claim), s.dim(scope), text];
  });
}

function organizationsTable(orgs: Organization[], s: Style): Safe[] {
  if (orgs.length === 0) return [t`  (no organizations)`];
  const rows: Cell[][] = [
    [s.dim('ORGANIZATION'), s.dim('ID'), s.dim('ADMIN'), s.dim('ROLES')],
    ...orgs.map((o) => [
      o.name ?? '-',
      o.id ?? '-',
      o.isAdministrator ? s.green('yes') : 'no',
      o.roles.length ? o.roles.join(', ') : '-',
    ]),
  ];
  return table(rows, { width: s.columns });
}

function expansionLines(e: Expansion, s: Style): Safe[] {
  switch (e.kind) {
    case 'togo-user':
      return section(t`${s.bold('Togo ID user')} ${s.dim(t`(claim "${e.claim}")`)}`, [
        ...table([['profile id', e.profileId ?? '-']], { width: s.columns }),
        ...organizationsTable(e.organizations, s),
      ]);
    case 'logto-organizations':
      return section(
        t`${s.bold('Organizations')} ${s.dim('(claims organizations, organization_data, organization_roles)')}`,
        organizationsTable(e.organizations, s),
      );
    case 'roles':
      return section(t`${s.bold('Roles')} ${s.dim('(claim "roles")')}`, [
        t`  ${e.roles.join(', ') || '(none)'}`,
      ]);
    case 'tenant':
      return section(
        t`${s.bold('Tenant')} ${s.dim('(claims tenant_name, tenant_sub)')}`,
        table(
          [
            ['name', e.tenantName ?? '-'],
            ['sub', e.tenantSub === undefined ? '-' : show(e.tenantSub)],
          ],
          { width: s.columns },
        ),
      );
    case 'json':
      return section(
        t`${s.bold(t`Claim "${e.claim}"`)} ${s.dim(e.fromJsonString ? '(JSON in a string, expanded)' : '(JSON)')}`,
        JSON.stringify(e.value, null, 2)
          .split('\n')
          .map((l) => t`  ${l}`),
      );
  }
}

/** The verdict line, then the hints of the failed checks. */
export function verdictLines(checks: readonly (BaseCheck & { name?: string })[], s: Style): Safe[] {
  const failed = checks.filter((c) => c.status === 'fail');
  const warned = checks.filter((c) => c.status === 'warn');
  const unpinned = warned.filter((c) => c.code === 'ISSUER_NOT_PINNED');
  const unchecked = warned.filter((c) => c.code === 'AUDIENCE_NOT_CHECKED');
  if (failed.length === 0 && (unpinned.length > 0 || unchecked.length > 0)) {
    // Never VALID without an issuer the user pinned and an audience they expect: say what was and
    // was not established.
    const signature = checks.find((c) => c.id === 'D5' || c.name === 'signature');
    const established =
      signature?.status === 'pass' || signature?.status === 'warn'
        ? 'signature valid and no check failed'
        : 'no check failed';
    if (unpinned.length > 0) {
      return [
        t`Result: ${s.yellow.bold('ISSUER NOT PINNED')}: ${established}, but who issued the token is not established`,
        t`${s.dim('hint:')} ${ERROR_CODES.ISSUER_NOT_PINNED.hint}`,
      ];
    }
    return [
      t`Result: ${s.yellow.bold('AUDIENCE NOT CHECKED')}: ${established}, but whom the token is for was not checked`,
      ...hang(t`${s.dim('hint:')} `, ERROR_CODES.AUDIENCE_NOT_CHECKED.hint, s.columns),
    ];
  }
  const verdict =
    failed.length === 0
      ? s.green.bold(
          `VALID${warned.length ? ` (${warned.length} warning${warned.length > 1 ? 's' : ''})` : ''}`,
        )
      : s.red.bold(
          `INVALID: ${failed.length} check${failed.length > 1 ? 's' : ''} failed (${failed.map((c) => (c.name ? `${c.id} ${c.name}` : c.id)).join(', ')})`,
        );
  const hints = [
    ...new Set(failed.map((c) => (c.code ? ERROR_CODES[c.code].hint : undefined)).filter(Boolean)),
  ];
  return [t`Result: ${verdict}`, ...hints.flatMap((h) => hang(t`${s.dim('hint:')} `, h ?? '', s.columns))];
}

export function verificationLines(
  verification: { checks: readonly BaseCheck[]; profile?: string },
  s: Style,
): Safe[] {
  const title = verification.profile ? `Verification (${verification.profile})` : 'Verification';
  return [
    ...section(s.bold(title), checkRows(verification.checks, s, { hintsFor: ['fail', 'warn', 'skip'] })),
    t``,
    ...verdictLines(verification.checks, s),
  ];
}

/**
 * The claims table (with the scope behind each claim and readable times) and the expanded custom
 * claims: shared by `togo decode` and `togo userinfo`.
 */
export function claimsLines(v: ClaimsView, s: Style, title: Safe | string = 'Claims'): Safe[] {
  const out = section(s.bold(title), table(claimRows(v, s), { width: s.columns }));
  for (const e of Object.values(v.expanded)) out.push(...expansionLines(e, s));
  return out;
}

/** The human view of `togo decode`: header, claims, expanded claims, verification. */
export function renderDecode(v: DecodeView, s: Style): Safe {
  return lines(decodeLines(v, s));
}

/** The lines of `togo decode`'s view, for a login to put under its own heading. */
export function decodeLines(v: DecodeView, s: Style): Safe[] {
  const header = v.decoded.header;
  const headerKeys = [
    ...HEADER_FIELDS.filter((k) => k in header),
    ...Object.keys(header).filter((k) => !HEADER_FIELDS.includes(k)),
  ];
  const out: Safe[] = [
    ...(v.kind ? [t`${s.bold('Token')}  ${v.kind.label} ${s.dim(`(${v.kind.reason})`)}`, t``] : []),
    s.bold('Header'),
    ...table(
      headerKeys.map((k) => [s.bold(k), valueText(header[k])]),
      { width: s.columns },
    ),
    ...claimsLines({ ...v, payload: v.decoded.payload }, s),
  ];
  if (v.verification && v.verdict === false) {
    const title = v.verification.profile ? `Verification (${v.verification.profile})` : 'Verification';
    out.push(...section(s.bold(title), checkRows(v.verification.checks, s)));
  } else if (v.verification) {
    out.push(...verificationLines(v.verification, s));
  } else {
    const exp = v.decoded.payload.exp;
    const expired = timeState('exp', exp, v.now, v.clockSkew)?.state === 'expired';
    const unverified = s.dim(
      v.unverifiedBecause === 'keys-unreachable'
        ? 'signature not verified: the keys could not be fetched (see the error below)'
        : 'signature not verified: add --verify (with --issuer or --jwks)',
    );
    out.push(t``, expired ? t`${s.red.bold('EXPIRED')}; ${unverified}` : unverified);
  }
  return out;
}
