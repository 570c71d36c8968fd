import type { ConfigOptionValues } from '../cli/commands/config.js';
import type { TokenRequestFlags } from '../cli/commands/introspect.js';
import type { Ctx } from '../cli/context.js';
import {
  discoverEndpoint,
  fingerprint,
  type PickedToken,
  pickToken,
  providerSettings,
  readTokenSources,
} from '../cli/session.js';
import { howToSet } from '../config/resolve.js';
import { TogoError } from '../errors.js';
import type { HttpResponse } from '../http/client.js';
import { snippet } from '../http/errors.js';
import { applyClientAuth, type ClientAuthMethod, chooseClientAuth } from '../oidc/client-auth.js';
import { describeToken, renderIntrospection } from '../ui/session.js';

export interface TokenRequestResult {
  endpoint: string;
  token: PickedToken;
  tokenTypeHint: string | undefined;
  clientId: string;
  authMethod: ClientAuthMethod;
  response: HttpResponse;
}

/**
 * What introspect and revoke share: pick the token, find the endpoint, authenticate the client,
 * POST `token` and `token_type_hint` as a form. Judging the answer is left to each command.
 */
export async function postTokenRequest(
  ctx: Ctx,
  config: ConfigOptionValues,
  flags: TokenRequestFlags,
  endpointName: 'introspection' | 'revocation',
): Promise<TokenRequestResult> {
  const sources = await readTokenSources(ctx, flags);
  const kind = flags.use ?? 'access_token';
  const token = await pickToken(sources, kind, { required: true, what: kind.replace('_', ' ') });
  const provider = await providerSettings(ctx, config, sources.session?.file);
  if (!provider.clientId) {
    throw new TogoError('SETTING_MISSING', `no client id: ${endpointName} authenticates the client`, {
      hint: howToSet('clientId'),
    });
  }
  const { endpoint, discovery, http } = await discoverEndpoint(
    ctx,
    provider.issuer,
    endpointName === 'introspection' ? 'introspection_endpoint' : 'revocation_endpoint',
    flags,
  );
  // RFC 7009 §2.1 defines access_token and refresh_token; an ID token goes without a hint.
  const usedKind = token.kind === 'given' ? flags.use : token.kind;
  const tokenTypeHint =
    flags.tokenTypeHint ??
    (usedKind === 'access_token' || usedKind === 'refresh_token' ? usedKind : undefined);

  const choice = chooseClientAuth(discovery.metadata, endpointName, provider.clientSecret !== undefined);
  if (choice.note) ctx.warn(choice.note);
  const form = new URLSearchParams({ token: token.token });
  if (tokenTypeHint) form.set('token_type_hint', tokenTypeHint);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  applyClientAuth(
    choice.method,
    {
      clientId: provider.clientId,
      ...(provider.clientSecret ? { clientSecret: provider.clientSecret } : {}),
    },
    form,
    headers,
  );
  ctx.note(
    ctx.styleErr.dim(
      `${endpointName} of ${describeToken(token.token, ctx.now())} as client ${provider.clientId} (${choice.method === 'none' ? 'public client: client_id only' : choice.method})`,
    ),
  );
  const response = await http.request(endpoint, { method: 'POST', headers, body: form.toString() });
  if (response.status !== 200) throw providerRefusal(endpointName, endpoint, response, choice.method);
  return { endpoint, token, tokenTypeHint, clientId: provider.clientId, authMethod: choice.method, response };
}

/** An OAuth error response (RFC 6749 §5.2) turned into an error with a hint a user can act on. */
function providerRefusal(
  what: 'introspection' | 'revocation',
  endpoint: string,
  res: HttpResponse,
  method: ClientAuthMethod,
): TogoError {
  let error: string | undefined;
  let description: string | undefined;
  try {
    const body = JSON.parse(res.text) as { error?: unknown; error_description?: unknown };
    if (typeof body.error === 'string') error = body.error;
    if (typeof body.error_description === 'string') description = body.error_description;
  } catch {
    // not JSON: the snippet says what it was
  }
  const said = error ? `${error}${description ? ` (${description})` : ''}` : snippet(res.text);
  let hint = 'The provider answered with an error; see the message.';
  if (res.status === 401 || error === 'invalid_client') {
    hint =
      method === 'none'
        ? `The provider wants a confidential client at its ${what} endpoint: set TOGO_CLIENT_SECRET (togo never takes secrets from flags) and the matching --client-id.`
        : 'The client id or TOGO_CLIENT_SECRET is wrong, or the client may not use this endpoint.';
  } else if (error === 'unsupported_token_type') {
    hint = 'The provider cannot handle this kind of token here; try another --token-type-hint or --use.';
  } else if (res.status === 503) {
    hint = 'The provider asks to try again later (RFC 7009 §2.2.1).';
  }
  return new TogoError('PROVIDER_ERROR', `${what} at ${endpoint}: HTTP ${res.status}: ${said}`, {
    hint,
    details: {
      url: endpoint,
      status: res.status,
      error: error ?? null,
      errorDescription: description ?? null,
    },
  });
}

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
  const response = body as Record<string, unknown> & { active: boolean };
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
    const title = `Introspection ${ctx.style.dim(`(${r.tokenTypeHint ?? 'token'} ${await fingerprint(r.token.token)})`)}`;
    ctx.print(renderIntrospection(response, Math.floor(ctx.now() / 1000), ctx.style, title));
    if (!response.active) {
      ctx.note('The token is not active: expired, revoked, or unknown to the provider (RFC 7662 §2.2).');
    }
  }
  return response.active ? 0 : 1;
}
