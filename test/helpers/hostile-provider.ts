import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson, startServer, type TestServer } from './servers.js';

/**
 * A hostile OpenID provider for tests: a real local HTTP server that serves a discovery document and
 * a JWKS chosen by the test, an authorize endpoint that sends the user straight back to the
 * redirect URI with whatever response the test crafts (no login page: `togo login --headless`
 * follows the redirect and reads the response from the Location), and a token endpoint that answers
 * with whatever the test crafts. Nothing here is an OpenID provider's logic; it only misbehaves on
 * request.
 */

/** The authorization request as togo sent it. */
export interface AuthorizeRequest {
  params: URLSearchParams;
  clientId: string;
  redirectUri: string;
  responseType: string;
  state: string | undefined;
  nonce: string | undefined;
  codeChallenge: string | undefined;
}

/** Where the authorize endpoint puts the response: the fragment or the query of the redirect URI. */
export interface AuthorizeAnswer {
  /** Parameters of the response; undefined values are left out. */
  params: Record<string, string | undefined>;
  mode?: 'fragment' | 'query';
}

export interface TokenAnswer {
  status?: number;
  /** A JSON value, or a string sent as it is. */
  body: unknown;
  contentType?: string;
}

export interface HostileOptions {
  /** Path of the issuer under the server's origin (default /hostile). */
  path?: string;
  /** Changes to the discovery document (undefined removes a field). */
  metadata?: (issuer: string) => Record<string, unknown>;
  /** The JWKS served; `n` counts JWKS requests from 1, so a test can rotate keys mid-run. */
  jwks: (n: number) => unknown;
  authorize(request: AuthorizeRequest): Promise<AuthorizeAnswer> | AuthorizeAnswer;
  token?(form: URLSearchParams, request: AuthorizeRequest | undefined): Promise<TokenAnswer> | TokenAnswer;
}

export interface HostileProvider {
  issuer: string;
  server: TestServer;
  /** Requests by endpoint. */
  counts: { discovery: number; jwks: number; authorize: number; token: number };
  /** The last authorization request, and the last token request's form. */
  lastAuthorize?: AuthorizeRequest;
  lastTokenForm?: URLSearchParams;
  close(): Promise<void>;
}

function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (body += d));
    req.on('end', () => resolve(new URLSearchParams(body)));
    req.on('error', reject);
  });
}

/** S256 of a PKCE verifier (RFC 7636 §4.2). */
export const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

export async function startHostileProvider(options: HostileOptions): Promise<HostileProvider> {
  const path = options.path ?? '/hostile';
  const counts = { discovery: 0, jwks: 0, authorize: 0, token: 0 };
  let self: HostileProvider | undefined;
  const server = await startServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`hostile provider failed: ${(error as Error).message}`);
    });
  });
  const issuer = `${server.origin}${path}`;
  const document: Record<string, unknown> = {
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    jwks_uri: `${issuer}/jwks`,
    response_types_supported: ['code', 'id_token', 'id_token token', 'code id_token', 'code id_token token'],
    response_modes_supported: ['query', 'fragment'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    scopes_supported: ['openid', 'email', 'profile'],
    grant_types_supported: ['authorization_code', 'implicit'],
    token_endpoint_auth_methods_supported: ['none'],
    code_challenge_methods_supported: ['S256'],
    ...options.metadata?.(issuer),
  };
  for (const [k, v] of Object.entries(document)) if (v === undefined) delete document[k];

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', server.origin);
    switch (url.pathname) {
      case `${path}/.well-known/openid-configuration`:
        counts.discovery++;
        return sendJson(res, document);
      case `${path}/jwks`:
        counts.jwks++;
        return sendJson(res, options.jwks(counts.jwks));
      case `${path}/authorize`: {
        counts.authorize++;
        const p = url.searchParams;
        const request: AuthorizeRequest = {
          params: p,
          clientId: p.get('client_id') ?? '',
          redirectUri: p.get('redirect_uri') ?? '',
          responseType: p.get('response_type') ?? '',
          state: p.get('state') ?? undefined,
          nonce: p.get('nonce') ?? undefined,
          codeChallenge: p.get('code_challenge') ?? undefined,
        };
        self!.lastAuthorize = request;
        const answer = await options.authorize(request);
        const params = new URLSearchParams();
        for (const [k, v] of Object.entries(answer.params)) if (v !== undefined) params.set(k, v);
        const target = new URL(request.redirectUri);
        const mode =
          answer.mode ??
          (p.get('response_mode') === 'query' || request.responseType === 'code' ? 'query' : 'fragment');
        if (mode === 'query') target.search = params.toString();
        else target.hash = params.toString();
        res.writeHead(302, { location: target.href });
        return void res.end();
      }
      case `${path}/token`: {
        counts.token++;
        const form = await readForm(req);
        self!.lastTokenForm = form;
        if (!options.token) {
          return sendJson(res, { error: 'unsupported_grant_type' }, 400);
        }
        const answer = await options.token(form, self!.lastAuthorize);
        const body = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
        res.writeHead(answer.status ?? 200, {
          'content-type': answer.contentType ?? 'application/json',
          'cache-control': 'no-store',
        });
        return void res.end(body);
      }
      default:
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found');
    }
  }

  self = { issuer, server, counts, close: () => server.close() };
  return self;
}
