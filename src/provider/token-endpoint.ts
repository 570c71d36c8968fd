/**
 * The client's back channel: an authenticated form POST to one of the provider's endpoints (token,
 * device authorization, pushed authorization request, introspection, revocation), with a DPoP proof
 * and its one nonce retry when the login is DPoP-bound, and the OAuth error it may answer with
 * (RFC 6749 §5.2). Used by login, the device flow, PAR, introspect and revoke.
 */
import { TogoError } from '../errors.js';
import type { HttpClient } from '../http/client.js';
import { describeProviderError } from '../oidc/callback.js';
import { type AssertionSigner, type ClientKey, signClientAssertion } from '../oidc/client-assertion.js';
import {
  applyClientAuth,
  type ClientAuthChoice,
  type ClientAuthEndpoint,
  type ClientAuthMethod,
  chooseClientAuth,
} from '../oidc/client-auth.js';
import { limitDepth } from '../oidc/depth.js';
import { type DpopSession, requestWithDpop } from './dpop.js';
import { credentialEndpoint, type PinnedProvider } from './gate.js';

/**
 * What a client needs to talk to the provider's back-channel endpoints: the pinned issuer and its
 * discovery document (the gate, gate.ts, reads every endpoint from it).
 */
export interface BackChannel extends PinnedProvider {
  http: HttpClient;
  /** From TOGO_CLIENT_SECRET only, for confidential clients. */
  clientSecret?: string;
  /** `--dpop`: the login's key; each request carries a proof and the tokens are bound to it. */
  dpop?: DpopSession;
  /** `--client-key`: the client's own key, for private_key_jwt client assertions (RFC 7523). */
  clientKey?: ClientKey;
  /** `--client-auth`: the method the user chose; otherwise client-auth.ts picks from discovery. */
  clientAuth?: ClientAuthMethod;
  /** The clock assertions are dated by (milliseconds since the epoch); Date.now by default. */
  now?: () => number;
}

export interface TokenEndpointReply {
  status: number;
  json: unknown;
  text: string;
  cacheControl?: string;
}

/**
 * How the client authenticates at this endpoint: `--client-auth` when given, else the first method
 * the provider lists for which the client has the credential (client-auth.ts decides).
 */
export function clientAuthFor(provider: BackChannel, endpointKind: ClientAuthEndpoint): ClientAuthChoice {
  const key = provider.clientKey;
  return chooseClientAuth(
    provider.metadata,
    endpointKind,
    {
      secret: provider.clientSecret !== undefined,
      ...(key
        ? {
            key: {
              type: key.type,
              ...(key.curve ? { curve: key.curve } : {}),
              ...(key.alg ? { alg: key.alg } : {}),
            },
          }
        : {}),
    },
    provider.clientAuth,
  );
}

/**
 * What signs the assertion of a client_secret_jwt or private_key_jwt choice: the secret's bytes
 * (HMAC) or the client key, with the algorithm the choice names.
 */
function assertionSigner(provider: BackChannel, auth: ClientAuthChoice): AssertionSigner | undefined {
  if (auth.method === 'client_secret_jwt') {
    if (provider.clientSecret === undefined) {
      throw new TogoError('SETTING_MISSING', 'client_secret_jwt needs the client secret', {
        hint: 'Set TOGO_CLIENT_SECRET (togo never takes secrets from flags).',
      });
    }
    return { key: new TextEncoder().encode(provider.clientSecret), alg: auth.alg ?? 'HS256' };
  }
  if (auth.method === 'private_key_jwt') {
    const key = provider.clientKey;
    if (!key) {
      throw new TogoError('SETTING_MISSING', 'private_key_jwt needs the client key', {
        hint: 'Pass --client-key <file> (a private key as PEM or JWK).',
      });
    }
    const alg = auth.alg ?? key.alg;
    if (!alg) throw new TogoError('CLIENT_AUTH_UNSUPPORTED', 'no algorithm was chosen for the client key');
    return { key: key.key, alg, ...(key.kid ? { kid: key.kid } : {}) };
  }
  return undefined;
}

/**
 * POSTs a grant to the token endpoint, authenticating the client as clientAuthFor decides
 * (secret, assertion, or a public client's id).
 */
export async function postToTokenEndpoint(
  provider: BackChannel,
  clientId: string,
  params: Record<string, string>,
): Promise<TokenEndpointReply> {
  if (typeof provider.metadata.token_endpoint !== 'string') {
    throw new TogoError('PROVIDER_ERROR', 'discovery names no token_endpoint', {
      hint: 'The provider cannot complete this flow; use a response type without code.',
    });
  }
  return postClientForm(provider, 'token', clientId, params);
}

/**
 * A client's form POST to one of the provider's back-channel endpoints, the one the gate reads from
 * the pinned issuer's document (gate.ts). `auth` is the method chosen beforehand by a caller that
 * reports it; otherwise it is chosen here.
 */
export async function postClientForm(
  provider: BackChannel,
  endpointKind: ClientAuthEndpoint,
  clientId: string,
  params: Record<string, string>,
  auth: ClientAuthChoice = clientAuthFor(provider, endpointKind),
): Promise<TokenEndpointReply> {
  const endpoint = credentialEndpoint(provider, `${endpointKind}_endpoint`);
  const body = new URLSearchParams(params);
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  };
  let clientAssertion: string | undefined;
  const signer = assertionSigner(provider, auth);
  if (signer) {
    // The audience is the token endpoint (RFC 7523 §3), read through the gate like every endpoint;
    // a provider without one gets the endpoint the assertion is sent to.
    const audience =
      typeof provider.metadata.token_endpoint === 'string'
        ? credentialEndpoint(provider, 'token_endpoint')
        : endpoint;
    clientAssertion = await signClientAssertion(clientId, audience, signer, (provider.now ?? Date.now)());
  }
  applyClientAuth(
    auth.method,
    { clientId, clientSecret: provider.clientSecret, ...(clientAssertion ? { clientAssertion } : {}) },
    body,
    headers,
  );
  const request = { method: 'POST', headers, body: body.toString() };
  const res = provider.dpop
    ? await requestWithDpop(provider.http, endpoint, request, provider.dpop)
    : await provider.http.request(endpoint, request);
  let json: unknown;
  try {
    // Cut where it enters: everything after walks the response.
    json = limitDepth(JSON.parse(res.text)).value;
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text: res.text, cacheControl: res.headers['cache-control'] };
}

/** The error a token endpoint sent (RFC 6749 §5.2), if it sent one. */
export function tokenError(reply: TokenEndpointReply): { error: string; description?: string } | undefined {
  const body = reply.json as { error?: unknown; error_description?: unknown } | undefined;
  if (!body || typeof body.error !== 'string') return undefined;
  return {
    error: body.error,
    ...(typeof body.error_description === 'string' ? { description: body.error_description } : {}),
  };
}

const TOKEN_ERROR_HINTS: Readonly<Record<string, string>> = {
  invalid_client:
    "The provider refused the client's authentication: a confidential client needs its secret (TOGO_CLIENT_SECRET) or its key (--client-key) and the method it registered (--client-auth); a public one must be registered with no secret.",
  invalid_grant:
    'The code was used already, expired, or the redirect URI or PKCE verifier differ from the request.',
  unauthorized_client: 'The client may not use this grant type; check its registration.',
};

/** Fails the login with the token endpoint's own error, or its status when it sent none. */
export function tokenEndpointFailure(reply: TokenEndpointReply, what: string): TogoError {
  const err = tokenError(reply);
  if (err) {
    return new TogoError(
      'LOGIN_PROVIDER_ERROR',
      `${what}: ${describeProviderError(err.error, err.description)}`,
      {
        hint: TOKEN_ERROR_HINTS[err.error] ?? 'See the error the token endpoint sent.',
        details: { status: reply.status, error: err.error },
      },
    );
  }
  return new TogoError('HTTP_STATUS', `${what}: HTTP ${reply.status}: ${reply.text.slice(0, 200)}`, {
    details: { status: reply.status },
  });
}
