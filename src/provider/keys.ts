/**
 * Verification keys from the network: a JWKS URL, or an issuer's discovery document, fetched
 * with the HTTP client the caller hands in.
 */
import { TogoError } from '../errors.js';
import type { HttpClient } from '../http/client.js';
import type { KeySource } from '../oidc/verify.js';
import { assertIssuer, fetchDiscovery, fetchJwks } from './discovery.js';
import { assertSecureEndpoint, type PinnedProvider } from './gate.js';

/** Keys at a JWKS URL; after an unknown kid they are fetched once more (key rotation). */
export function jwksUrlSource(http: HttpClient, url: string): KeySource {
  return {
    describe: `the JWKS at ${url}`,
    load: async () => (await fetchJwks(http, url)).jwks,
    reload: async () => (await fetchJwks(http, url, { fresh: true })).jwks,
  };
}

/** Discovery → jwks_uri, and the algorithms the provider signs with (D6). */
export async function keysFromDiscovery(
  http: HttpClient,
  issuer: string,
): Promise<{ keys: KeySource; allowedAlgs?: string[] }> {
  const { keys, allowedAlgs } = await connectProvider(http, issuer);
  return { keys, allowedAlgs };
}

export interface ConnectedProvider extends PinnedProvider {
  http: HttpClient;
  discoveryUrl: string;
  metadata: Record<string, unknown>;
  keys: KeySource;
  allowedAlgs?: string[];
}

/**
 * Discovery (the issuer must match exactly), then the JWKS fetched at once in the background, so
 * keys are in hand by the time a login's response arrives: no request after the callback.
 */
export async function connectProvider(http: HttpClient, issuer: string): Promise<ConnectedProvider> {
  const discovery = await fetchDiscovery(http, issuer);
  assertIssuer(discovery, issuer);
  const { jwks_uri: jwksUri, id_token_signing_alg_values_supported: algs } = discovery.metadata;
  if (typeof jwksUri !== 'string') {
    throw new TogoError('PROVIDER_ERROR', `the discovery document at ${discovery.url} has no jwks_uri`, {
      hint: 'The provider publishes no keys; its ID tokens cannot be verified.',
    });
  }
  // Keys over plain http for an https issuer could be anyone's: refused before they are fetched.
  assertSecureEndpoint(issuer, jwksUri, 'jwks_uri');
  const keys = jwksUrlSource(http, jwksUri);
  // Errors surface when the keys are needed; here they would only be an unhandled rejection.
  keys.load().catch(() => undefined);
  return {
    issuer,
    documentFrom: discovery.url,
    http,
    discoveryUrl: discovery.url,
    metadata: discovery.metadata,
    keys,
    allowedAlgs: Array.isArray(algs) ? algs.filter((a): a is string => typeof a === 'string') : undefined,
  };
}
