import type { ConfigOptionValues } from '../../config/resolve.js';
import { TogoError } from '../../errors.js';
import { snippet } from '../../http/errors.js';
import { depthNote, limitDepth } from '../../oidc/depth.js';
import { t } from '../../ui/safe.js';
import { renderIntrospection } from '../../ui/session.js';
import type { Ctx } from '../shared/context.js';
import { fingerprint } from '../shared/session.js';
import type { TokenRequestFlags } from '../shared/token-request.js';
import { postTokenRequest } from '../shared/token-request.js';

export async function introspectCommand(
  ctx: Ctx,
  config: ConfigOptionValues,
  flags: TokenRequestFlags,
): Promise<number> {
  const r = await postTokenRequest(ctx, config, flags, 'introspection');
  let body: unknown;
  try {
    body = JSON.parse(r.response.text);
  } catch (error) {
    throw new TogoError(
      'HTTP_NOT_JSON',
      `the introspection response is not JSON: ${snippet(r.response.text)}`,
      {
        cause: error,
      },
    );
  }
  if (
    !body ||
    typeof body !== 'object' ||
    Array.isArray(body) ||
    typeof (body as { active?: unknown }).active !== 'boolean'
  ) {
    throw new TogoError(
      'PROVIDER_ERROR',
      `the introspection response has no boolean "active" (RFC 7662 §2.2): ${snippet(r.response.text)}`,
    );
  }
  // Cut where it enters: rendering walks the values, and a response nested far deeper than any real
  // one would overflow the stack.
  const limited = limitDepth(body as Record<string, unknown> & { active: boolean });
  const response = limited.value;
  if (limited.cut) ctx.warn(t`${depthNote('the introspection response')}`);
  if (ctx.json) {
    ctx.printJson({
      ok: response.active,
      endpoint: r.endpoint,
      token: await fingerprint(r.token.token),
      tokenTypeHint: r.tokenTypeHint ?? null,
      clientId: r.clientId,
      authMethod: r.authMethod,
      response,
    });
  } else {
    const title = t`Introspection ${ctx.style.dim(`(${r.tokenTypeHint ?? 'token'} ${await fingerprint(r.token.token)})`)}`;
    ctx.print(renderIntrospection(response, Math.floor(ctx.now() / 1000), ctx.style, title));
    if (!response.active) {
      ctx.note(t`The token is not active: expired, revoked, or unknown to the provider (RFC 7662 §2.2).`);
    }
  }
  return response.active ? 0 : 1;
}
