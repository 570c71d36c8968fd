import { TogoError } from '../../errors.js';
import { relativeWords, timeState } from '../../oidc/time.js';
import { lines, t } from '../../ui/safe.js';
import { headedTable } from '../../ui/table.js';
import type { Ctx } from '../shared/context.js';
import { listStoredSessions, storeDir } from '../shared/store.js';

/** When the access token expires, as the provider stated it (no skew): "…Z (in 4 min)", "…Z (expired 2 hours ago)". */
function expiry(expiresAt: string, nowMs: number): string {
  const time = timeState('exp', Date.parse(expiresAt) / 1000, Math.floor(nowMs / 1000), 0);
  return time ? `${time.iso} (${relativeWords(time)})` : expiresAt;
}

/** `togo sessions`: what the store holds, described, never a token. */
export async function sessionsCommand(ctx: Ctx): Promise<number> {
  const dir = storeDir(ctx.env);
  if (!dir) {
    throw new TogoError('SETTING_MISSING', 'no session store: neither XDG_STATE_HOME nor HOME is set', {
      hint: 'Set XDG_STATE_HOME (or HOME) to keep sessions; `togo login --save <file>` writes a file anywhere.',
    });
  }
  const { sessions, unreadable } = listStoredSessions(dir);
  for (const u of unreadable) ctx.warn(t`skipped ${u.path}: ${u.why}`);
  const rows = sessions.map(({ path, file }) => ({
    issuer: file.issuer ?? null,
    clientId: file.clientId ?? null,
    sub: file.sub ?? null,
    scope: file.tokens.scope ?? null,
    expiresAt: file.expiresAt ?? null,
    obtainedAt: file.obtainedAt ?? null,
    tokens: (['access_token', 'id_token', 'refresh_token'] as const).filter((k) => file.tokens[k]),
    dpop: file.dpop !== undefined,
    path,
  }));
  if (ctx.json) {
    ctx.printJson({ store: dir, sessions: rows });
    return 0;
  }
  if (rows.length === 0) {
    ctx.note(t`No stored sessions in ${dir}; \`togo login\` keeps one per issuer and client.`);
    return 0;
  }
  const now = ctx.now();
  const s = ctx.style;
  ctx.print(
    lines(
      headedTable(
        ['ISSUER', 'CLIENT', 'USER', 'SCOPES', 'EXPIRES'],
        rows.map((r) => [
          r.issuer ?? '-',
          r.clientId ?? '-',
          r.sub ?? '-',
          r.scope ?? '-',
          r.expiresAt === null
            ? '-'
            : `${expiry(r.expiresAt, now)}${r.tokens.includes('refresh_token') ? ', refreshable' : ''}`,
        ]),
        s,
      ),
    ),
  );
  ctx.note(ctx.styleErr.dim(t`Store: ${dir}`));
  return 0;
}
