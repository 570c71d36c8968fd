import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { publicJwk, sendJson, startServer, type TestServer, type Tls } from './servers.js';

/**
 * Documents shaped like real providers' (see ../shared/notes/oidc-rules.md §4, §5), and a local
 * provider serving them at `<origin><path>/.well-known/openid-configuration`.
 */

/**
 * Togo ID (IdentityServer4): endpoints under <issuer>/connect/, JWKS under the discovery URL. The
 * document is test/fixtures/togo-discovery.json, with `$ISSUER` standing for the issuer (the
 * benchmark serves the same one).
 */
const TOGO_TEMPLATE = readFileSync(new URL('../fixtures/togo-discovery.json', import.meta.url), 'utf8');

export function togoDocument(issuer: string): Record<string, unknown> {
  return JSON.parse(TOGO_TEMPLATE.replaceAll('$ISSUER', issuer));
}

/** Logto: issuer …/oidc, ES384 by default, S256 only, RFC 9207 flag. */
export function logtoDocument(issuer: string): Record<string, unknown> {
  const origin = new URL(issuer).origin;
  return {
    issuer,
    authorization_endpoint: `${issuer}/auth`,
    token_endpoint: `${issuer}/token`,
    userinfo_endpoint: `${issuer}/me`,
    jwks_uri: `${issuer}/jwks`,
    end_session_endpoint: `${issuer}/session/end`,
    revocation_endpoint: `${issuer}/token/revocation`,
    introspection_endpoint: `${issuer}/token/introspection`,
    device_authorization_endpoint: `${issuer}/device/auth`,
    registration_endpoint: `${origin}/api/applications`,
    authorization_response_iss_parameter_supported: true,
    claims_parameter_supported: false,
    claims_supported: [
      'sub',
      'name',
      'picture',
      'username',
      'email',
      'email_verified',
      'roles',
      'organizations',
      'organization_roles',
      'custom_data',
      'identities',
      'sid',
      'auth_time',
      'iss',
    ],
    code_challenge_methods_supported: ['S256'],
    grant_types_supported: [
      'implicit',
      'authorization_code',
      'refresh_token',
      'client_credentials',
      'urn:ietf:params:oauth:grant-type:token-exchange',
    ],
    id_token_signing_alg_values_supported: ['ES384'],
    response_modes_supported: ['form_post', 'fragment', 'query'],
    response_types_supported: ['code id_token', 'code', 'id_token', 'none'],
    scopes_supported: [
      'openid',
      'offline_access',
      'profile',
      'email',
      'roles',
      'urn:logto:scope:organizations',
      'urn:logto:scope:organization_roles',
      'custom_data',
      'identities',
    ],
    subject_types_supported: ['public'],
    token_endpoint_auth_methods_supported: [
      'none',
      'client_secret_basic',
      'client_secret_jwt',
      'client_secret_post',
    ],
    frontchannel_logout_supported: true,
    backchannel_logout_supported: true,
  };
}

export interface FakeProvider extends TestServer {
  issuer: string;
  /** Replace what the provider serves; `doc` and `jwks` are read on every request. */
  doc: Record<string, unknown>;
  jwks: unknown;
  /** Extra routes: path → handler. */
  routes: Map<string, (res: ServerResponse, url: URL) => void>;
  /** Browser origins the provider answers CORS requests from (IdentityServer's AllowedCorsOrigins). */
  corsOrigins: string[];
}

/**
 * A provider at `<origin><path>`; `shape` builds the document from the issuer. The JWKS is served at
 * whatever path the document's jwks_uri names.
 */
export async function startProvider(
  opts: {
    path?: string;
    shape?: (issuer: string) => Record<string, unknown>;
    tls?: Tls;
    keys?: Record<string, unknown>[];
  } = {},
): Promise<FakeProvider> {
  const path = opts.path ?? '/identity';
  const routes = new Map<string, (res: ServerResponse, url: URL) => void>();
  let provider: FakeProvider | undefined;
  const server = await startServer((req, res) => {
    const url = new URL(req.url ?? '/', provider!.origin);
    const origin = req.headers.origin;
    if (origin && provider!.corsOrigins.includes(origin)) {
      res.setHeader('access-control-allow-origin', origin);
      if (req.method === 'OPTIONS') {
        res.writeHead(204, {
          'access-control-allow-methods': 'GET, POST',
          'access-control-allow-headers': 'authorization, content-type',
        });
        return res.end();
      }
    }
    const route = routes.get(url.pathname);
    if (route) return route(res, url);
    if (url.pathname === `${path.replace(/\/$/, '')}/.well-known/openid-configuration`) {
      return sendJson(res, provider!.doc);
    }
    const jwksUri = provider!.doc.jwks_uri;
    if (typeof jwksUri === 'string' && new URL(jwksUri).pathname === url.pathname) {
      return sendJson(res, provider!.jwks);
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  }, opts.tls);
  const issuer = `${server.origin}${path}`;
  const shape = opts.shape ?? togoDocument;
  const keys = opts.keys ?? [publicJwk('RSA', { kid: 'togo-1', alg: 'RS256' }).publicJwk];
  provider = Object.assign(server, {
    issuer,
    doc: shape(issuer),
    jwks: { keys },
    routes,
    corsOrigins: [] as string[],
  });
  return provider;
}
