import { TogoError } from '../errors.js';
import type { MockClientInfo, MockClientMetadata } from './types.js';

/** Every response type Togo ID lists, which the emulator serves and its default clients may use. */
export const ALL_RESPONSE_TYPES = [
  'id_token',
  'id_token token',
  'code',
  'code id_token',
  'code token',
  'code id_token token',
];

export const CONFIDENTIAL_SECRET = 'togo-confidential-secret';

/** The audience of machine tokens (client_credentials) when the request names no resource. */
export const MOCK_API_RESOURCE = 'urn:togo:mock-api';
/** The scopes the mock API grants machine tokens. */
export const MOCK_API_SCOPES = 'api:read api:write';

/** Loopback redirect URIs, matched on any port for native clients (RFC 8252 §7.3). */
const REDIRECT_URIS = ['http://127.0.0.1/callback', 'http://[::1]/callback'];

/** Where RP-initiated logout may return, for every default client (any port). */
export const POST_LOGOUT_REDIRECT_URIS = [
  'http://127.0.0.1/logged-out',
  'http://[::1]/logged-out',
  // togo logout's default post-logout redirect URI.
  'http://127.0.0.1/logout-callback',
  'http://[::1]/logout-callback',
];

/**
 * The clients every emulator has. All are `native`: for native clients oidc-provider matches a
 * loopback redirect URI on any port (RFC 8252 §7.3), so `http://127.0.0.1:<any port>/callback`
 * works without registering ports. The host still has to match: localhost is not 127.0.0.1.
 *
 * Togo ID says it issues no refresh tokens, so the Togo-flavoured client `togo-cli` gets none;
 * `togo-offline` is the public client that does (code flow with `offline_access`), its refresh
 * tokens rotating on every use.
 */
export const DEFAULT_CLIENTS: readonly MockClientMetadata[] = [
  {
    client_id: 'togo-cli',
    client_name: 'togo command-line tool (public)',
    application_type: 'native',
    token_endpoint_auth_method: 'none',
    redirect_uris: REDIRECT_URIS,
    post_logout_redirect_uris: POST_LOGOUT_REDIRECT_URIS,
    response_types: ALL_RESPONSE_TYPES,
    grant_types: ['authorization_code', 'implicit', 'urn:ietf:params:oauth:grant-type:device_code'],
  },
  {
    client_id: 'togo-offline',
    client_name: 'public client with refresh tokens',
    application_type: 'native',
    token_endpoint_auth_method: 'none',
    redirect_uris: REDIRECT_URIS,
    post_logout_redirect_uris: POST_LOGOUT_REDIRECT_URIS,
    response_types: ['code', 'code id_token', 'code token', 'code id_token token'],
    grant_types: [
      'authorization_code',
      'implicit',
      'refresh_token',
      'urn:ietf:params:oauth:grant-type:device_code',
    ],
  },
  {
    client_id: 'togo-confidential',
    client_name: 'confidential client for code flows',
    client_secret: CONFIDENTIAL_SECRET,
    application_type: 'native',
    token_endpoint_auth_method: 'client_secret_basic',
    redirect_uris: REDIRECT_URIS,
    post_logout_redirect_uris: POST_LOGOUT_REDIRECT_URIS,
    response_types: ['code', 'code id_token', 'code token', 'code id_token token'],
    grant_types: ['authorization_code', 'implicit', 'refresh_token', 'client_credentials'],
  },
];

/**
 * Checks the outline of a clients file (a JSON array of objects with a client_id, no duplicates).
 * oidc-provider itself checks the metadata when the emulator starts.
 */
export function validateClientsShape(input: unknown, source = 'clients'): MockClientMetadata[] {
  if (!Array.isArray(input)) {
    throw new TogoError('MOCK_CLIENTS_INVALID', `${source}: must be a JSON array of client metadata objects`);
  }
  const seen = new Set(DEFAULT_CLIENTS.map((c) => c.client_id));
  return input.map((raw, i) => {
    const where = `${source}[${i}]`;
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      throw new TogoError('MOCK_CLIENTS_INVALID', `${where}: must be an object`);
    }
    const c = raw as Record<string, unknown>;
    if (typeof c.client_id !== 'string' || c.client_id === '') {
      throw new TogoError('MOCK_CLIENTS_INVALID', `${where}.client_id: is required (a string)`);
    }
    if (seen.has(c.client_id)) {
      throw new TogoError('MOCK_CLIENTS_INVALID', `${where}.client_id: "${c.client_id}" is registered twice`);
    }
    seen.add(c.client_id);
    return c as MockClientMetadata;
  });
}

function strings(value: unknown, fallback: string[]): string[] {
  return Array.isArray(value) ? value.map(String) : fallback;
}

/** What `togo mock` prints about a client, with oidc-provider's defaults filled in. */
export function describeClient(c: MockClientMetadata): MockClientInfo {
  return {
    client_id: c.client_id,
    ...(typeof c.client_secret === 'string' ? { client_secret: c.client_secret } : {}),
    application_type: typeof c.application_type === 'string' ? c.application_type : 'web',
    token_endpoint_auth_method:
      typeof c.token_endpoint_auth_method === 'string' ? c.token_endpoint_auth_method : 'client_secret_basic',
    redirect_uris: strings(c.redirect_uris, []),
    post_logout_redirect_uris: strings(c.post_logout_redirect_uris, []),
    response_types: strings(c.response_types, ['code']),
    grant_types: strings(c.grant_types, ['authorization_code']),
  };
}
