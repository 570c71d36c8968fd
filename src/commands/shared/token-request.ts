/**
 * What introspect and revoke share: their flags (which token, its hint, the client, the network)
 * and the authenticated form POST of a token to the provider's introspection or revocation endpoint.
 */
import { type Command, Option } from 'commander';
import type { ConfigOptionValues } from '../../config/resolve.js';
import { howToSet } from '../../config/resolve.js';
import { TogoError } from '../../errors.js';
import { snippet } from '../../http/errors.js';
import { type ClientAuthMethod, describeClientAuth } from '../../oidc/client-auth.js';
import type { SessionFile, SessionTokenName } from '../../oidc/session-file.js';
import {
  clientAuthFor,
  postClientForm,
  type TokenEndpointReply,
  tokenError,
} from '../../provider/token-endpoint.js';
import { t } from '../../ui/safe.js';
import { describeToken } from '../../ui/session.js';
import { addClientAuthFlags, type ClientAuthFlags } from './client-auth-flags.js';
import { addConfigFlags } from './config-flags.js';
import type { Ctx } from './context.js';
import {
  addNetworkFlags,
  addTokenFlags,
  discoverEndpoint,
  type NetworkFlags,
  type PickedToken,
  pickToken,
  providerSettings,
  readTokenSources,
  type TokenFlags,
} from './session.js';

export interface TokenRequestFlags extends TokenFlags, NetworkFlags, ClientAuthFlags {
  use?: SessionTokenName;
  tokenTypeHint?: string;
}

/** The flags introspect and revoke share: which token, its hint, the client, the network. */
export function addTokenRequestFlags(cmd: Command, verb: string): Command {
  addTokenFlags(addConfigFlags(cmd, ['issuer', 'clientId']), `token to ${verb}`)
    .addOption(
      new Option('--use <kind>', "which of the session's tokens (default access_token)").choices([
        'access_token',
        'refresh_token',
        'id_token',
      ]),
    )
    .option(
      '--token-type-hint <hint>',
      'token_type_hint to send: access_token or refresh_token (default: the kind of token used)',
    );
  return addNetworkFlags(addClientAuthFlags(cmd));
}

export interface TokenRequestResult {
  endpoint: string;
  token: PickedToken;
  tokenTypeHint: string | undefined;
  clientId: string;
  authMethod: ClientAuthMethod;
  response: TokenEndpointReply;
  /** The session file the token came from, if any. */
  session?: { path: string; file: SessionFile };
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
  const sources = await readTokenSources(ctx, flags, config);
  const kind = flags.use ?? 'access_token';
  const token = await pickToken(sources, kind, { required: true, what: kind.replace('_', ' ') });
  const provider = await providerSettings(ctx, config, sources.session);
  // Like the secret, a client key is not used with an issuer a directory config chose.
  if (provider.resolved) {
    const { assertKeyIssuerTrusted } = await import('./client-key.js');
    assertKeyIssuerTrusted(flags, provider.resolved, config.trustDirectoryConfig);
  }
  if (!provider.clientId) {
    throw new TogoError('SETTING_MISSING', `no client id: ${endpointName} authenticates the client`, {
      hint: howToSet('clientId'),
    });
  }
  const { endpoint, pinned, http } = await discoverEndpoint(
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

  const { clientAuthOptions } = await import('./client-key.js');
  const backChannel = {
    ...pinned,
    http,
    ...(provider.clientSecret ? { clientSecret: provider.clientSecret } : {}),
    ...(await clientAuthOptions(ctx, flags)),
    now: ctx.now,
  };
  const choice = clientAuthFor(backChannel, endpointName);
  if (choice.note) ctx.warn(t`${choice.note}`);
  ctx.note(
    ctx.styleErr.dim(
      `${endpointName} of ${describeToken(token.token, ctx.now())} as client ${provider.clientId} (client authentication: ${describeClientAuth(choice)})`,
    ),
  );
  const response = await postClientForm(
    backChannel,
    endpointName,
    provider.clientId,
    { token: token.token, ...(tokenTypeHint ? { token_type_hint: tokenTypeHint } : {}) },
    choice,
  );
  if (response.status !== 200) throw providerRefusal(endpointName, endpoint, response, choice.method);
  return {
    endpoint,
    token,
    tokenTypeHint,
    clientId: provider.clientId,
    authMethod: choice.method,
    response,
    ...(sources.session ? { session: { path: sources.session.path, file: sources.session.file } } : {}),
  };
}

/** An OAuth error response (RFC 6749 §5.2) turned into an error with a hint a user can act on. */
function providerRefusal(
  what: 'introspection' | 'revocation',
  endpoint: string,
  res: TokenEndpointReply,
  method: ClientAuthMethod,
): TogoError {
  // Not JSON, or no error in it: the snippet says what it was.
  const { error, description } = tokenError(res) ?? {};
  const said = error ? `${error}${description ? ` (${description})` : ''}` : snippet(res.text);
  let hint = 'The provider answered with an error; see the message.';
  if (res.status === 401 || error === 'invalid_client') {
    hint =
      method === 'none'
        ? `The provider wants a confidential client at its ${what} endpoint: set TOGO_CLIENT_SECRET (togo never takes secrets from flags) or pass --client-key, with the matching --client-id.`
        : `The client id, its secret (TOGO_CLIENT_SECRET) or key (--client-key) is wrong, or the client registered another method than ${method} (--client-auth chooses), or it may not use this endpoint.`;
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
