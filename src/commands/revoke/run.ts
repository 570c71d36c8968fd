import type { ConfigOptionValues } from '../../config/resolve.js';
import { t } from '../../ui/safe.js';
import { describeToken } from '../../ui/session.js';
import type { Ctx } from '../shared/context.js';
import { fingerprint } from '../shared/session.js';
import type { TokenRequestFlags } from '../shared/token-request.js';
import { postTokenRequest } from '../shared/token-request.js';

export async function revokeCommand(
  ctx: Ctx,
  config: ConfigOptionValues,
  flags: TokenRequestFlags,
): Promise<number> {
  const r = await postTokenRequest(ctx, config, flags, 'revocation');
  const what = r.tokenTypeHint ?? (r.token.kind === 'given' ? 'token' : r.token.kind);
  // A revoked token of a stored session leaves it; the session goes when nothing usable is left.
  const { dropStoredToken } = await import('../shared/store.js');
  const store =
    r.session && r.token.kind !== 'given' ? await dropStoredToken(ctx, r.session, r.token.kind) : 'untouched';
  if (ctx.json) {
    ctx.printJson({
      ok: true,
      endpoint: r.endpoint,
      revoked: {
        kind: r.token.kind === 'given' ? null : r.token.kind,
        tokenTypeHint: r.tokenTypeHint ?? null,
        token: await fingerprint(r.token.token),
        source: r.token.source,
      },
      clientId: r.clientId,
      authMethod: r.authMethod,
      ...(store !== 'untouched' ? { storedSession: { path: r.session?.path, [store]: true } } : {}),
    });
  } else {
    ctx.print(t`revoked the ${what.replace('_', ' ')}: ${describeToken(r.token.token, ctx.now())}`);
    // RFC 7009 §2.2: the answer is 200 for unknown or already revoked tokens as well.
    ctx.note(
      ctx.styleErr.dim(
        'The provider answers 200 for unknown tokens too; `togo introspect` tells whether a token is still active.',
      ),
    );
  }
  return 0;
}
