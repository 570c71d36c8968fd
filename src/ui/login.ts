import { show } from '../oidc/show.js';
import { lifetimeWords } from '../oidc/time.js';
import type { LoginResult } from '../provider/complete-login.js';
import type { Style } from './color.js';
import { decodeLines, verdictLines } from './decode.js';
import { type Cell, lines, type Safe, t } from './safe.js';
import { section, table } from './table.js';
import { checkRows } from './verdicts.js';

export interface LoginView {
  result: LoginResult;
  /** e.g. "togo flavor, id_token, via the URL fragment". */
  flow: string;
  /** Seconds since the epoch. */
  now: number;
  clockSkew: number;
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
