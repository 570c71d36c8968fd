/**
 * panva's oidc-provider configured unlike togo's emulator, as a company's own provider might be:
 * an issuer with a path (`/op`), ES256 keys only, pairwise subjects, signed userinfo
 * (`application/jwt`), pushed authorization requests with one client that requires them, DPoP with
 * nonces and one client whose access tokens must be DPoP-bound, RFC 9068 JWT access tokens for one
 * resource, and its built-in login and consent pages (a form, then "Continue"). Plain http on
 * loopback, so its cookies are `SameSite=Lax` (Chromium drops `SameSite=None` without https).
 * Machine clients for the client credentials grant, each with another client authentication:
 * client_secret_post, client_secret_jwt (HS512 only) and private_key_jwt (an RSA key, PS256 only);
 * client_secret_basic is not offered at all. Refresh tokens rotate on every use.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportPKCS8, generateKeyPair } from 'jose';
import type { Configuration } from 'oidc-provider';

/** Clients registered at this provider; all public (no secret), native, loopback redirects. */
export const OP_CLIENTS = {
  /** Code, implicit and hybrid flows. */
  public: 'interop-public',
  /** Refuses any authorization request that did not go through PAR (RFC 9126 §6). */
  par: 'interop-par',
  /** Its access tokens must be DPoP-bound (RFC 9449 §5.2). */
  dpop: 'interop-dpop',
  /** The device authorization grant (RFC 8628). */
  device: 'interop-device',
} as const;

/** Confidential clients for the client credentials grant, one per authentication method. */
export const OP_MACHINE_CLIENTS = {
  /** client_secret_post, with OP_SECRETS.post. */
  post: 'interop-machine-post',
  /** client_secret_jwt, with OP_SECRETS.hmac: assertions signed HS512. */
  hmac: 'interop-machine-hmac',
  /** private_key_jwt with the RSA key the provider was started with (OidcProviderOp.clientKeyPem). */
  key: 'interop-machine-key',
} as const;

export const OP_SECRETS = {
  post: 'interop-machine-post-secret',
  /** HS512 wants a secret of at least 64 bytes. */
  hmac: 'interop-machine-hmac-secret-0123456789abcdef0123456789abcdef0123456789',
} as const;

/** The protected resource whose access tokens are RFC 9068 JWTs. */
export const OP_RESOURCE = 'urn:interop:api';

export const OP_REDIRECT = 'http://127.0.0.1/callback';
export const OP_POST_LOGOUT = 'http://127.0.0.1/logout-callback';

/** The built-in login form's fields, for a scripted browser. */
export const OP_LOGIN_SELECTORS = { login: 'input[name=login]', password: 'input[name=password]' };

export interface OidcProviderOp {
  issuer: string;
  /** The private key (PKCS#8 PEM) of OP_MACHINE_CLIENTS.key, whose public key the client registered. */
  clientKeyPem: string;
  close(): Promise<void>;
}

let loaded: Promise<typeof import('oidc-provider')> | undefined;
function loadProvider() {
  loaded ??= (async () => {
    // 9.x prints "Unsupported runtime" once on Node 20; every flow used here works there.
    const warn = console.warn;
    console.warn = (...args: unknown[]) => {
      if (typeof args[0] === 'string' && args[0].includes('Unsupported runtime')) return;
      warn(...args);
    };
    try {
      return await import('oidc-provider');
    } finally {
      console.warn = warn;
    }
  })();
  return loaded;
}

const MOUNT = '/op';

export async function startOidcProviderOp(): Promise<OidcProviderOp> {
  const { default: Provider } = await loadProvider();
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}${MOUNT}`;

  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const signing = {
    ...(await exportJWK(privateKey)),
    kid: randomBytes(6).toString('hex'),
    alg: 'ES256',
    use: 'sig',
  };
  const salt = randomBytes(16);
  const clientKey = await generateKeyPair('PS256', { extractable: true });
  const machine = {
    application_type: 'web' as const,
    subject_type: 'public' as const,
    id_token_signed_response_alg: 'ES256' as const,
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
  };

  const base = {
    application_type: 'native' as const,
    token_endpoint_auth_method: 'none' as const,
    redirect_uris: [OP_REDIRECT],
    post_logout_redirect_uris: [OP_POST_LOGOUT],
    subject_type: 'pairwise' as 'pairwise' | 'public',
    id_token_signed_response_alg: 'ES256' as const,
    userinfo_signed_response_alg: 'ES256' as const,
  };
  const configuration: Configuration = {
    clients: [
      {
        ...base,
        client_id: OP_CLIENTS.public,
        grant_types: ['authorization_code', 'implicit', 'refresh_token'],
        response_types: ['code', 'id_token', 'code id_token', 'id_token token'],
      },
      {
        ...base,
        client_id: OP_CLIENTS.par,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        require_pushed_authorization_requests: true,
      },
      {
        // oidc-provider lets a pairwise device-flow client authenticate only with private_key_jwt;
        // a CLI's device client is public, so this one has public subjects.
        ...base,
        subject_type: 'public',
        client_id: OP_CLIENTS.device,
        grant_types: ['urn:ietf:params:oauth:grant-type:device_code'],
        response_types: [],
        redirect_uris: [],
      },
      {
        ...base,
        client_id: OP_CLIENTS.dpop,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        dpop_bound_access_tokens: true,
      },
      {
        ...machine,
        client_id: OP_MACHINE_CLIENTS.post,
        client_secret: OP_SECRETS.post,
        token_endpoint_auth_method: 'client_secret_post',
      },
      {
        ...machine,
        client_id: OP_MACHINE_CLIENTS.hmac,
        client_secret: OP_SECRETS.hmac,
        token_endpoint_auth_method: 'client_secret_jwt',
      },
      {
        ...machine,
        client_id: OP_MACHINE_CLIENTS.key,
        token_endpoint_auth_method: 'private_key_jwt',
        jwks: {
          keys: [{ ...(await exportJWK(clientKey.publicKey)), kid: 'interop-machine-key-1', use: 'sig' }],
        },
      },
    ],
    // Unlike the emulator: no client_secret_basic, and one algorithm per kind of assertion.
    clientAuthMethods: ['none', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt'],
    jwks: { keys: [signing] },
    enabledJWA: {
      idTokenSigningAlgValues: ['ES256'],
      userinfoSigningAlgValues: ['ES256'],
      dPoPSigningAlgValues: ['ES256', 'EdDSA'],
      clientAuthSigningAlgValues: ['HS512', 'PS256'],
    },
    // Every refresh returns a new refresh token and ends the old one.
    rotateRefreshToken: () => true,
    subjectTypes: ['pairwise', 'public'],
    // OIDC Core §8.1: the same user gets another sub at every sector (here, per client and host).
    pairwiseIdentifier: async (_ctx, accountId, client) =>
      createHash('sha256')
        .update(`${client.sectorIdentifier}\0${client.clientId}\0${accountId}`)
        .update(salt)
        .digest('base64url'),
    responseTypes: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes: ['openid', 'email', 'profile', 'offline_access', 'api:read'],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    async findAccount(_ctx, sub) {
      return {
        accountId: sub,
        claims: () => ({ sub, email: `${sub}@op.test`, email_verified: true, name: `User ${sub}` }),
      };
    },
    cookies: {
      keys: [randomBytes(32).toString('base64url')],
      long: { sameSite: 'lax' },
      short: { sameSite: 'lax' },
    },
    features: {
      devInteractions: { enabled: true },
      clientCredentials: { enabled: true },
      deviceFlow: { enabled: true },
      jwtUserinfo: { enabled: true },
      pushedAuthorizationRequests: { enabled: true },
      // Nonces always required: every DPoP request meets `use_dpop_nonce` once (RFC 9449 §8, §9).
      dPoP: { enabled: true, nonceSecret: randomBytes(32), requireNonce: () => true },
      introspection: { enabled: true },
      revocation: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => undefined,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => {
          if (resource !== OP_RESOURCE) throw new Error(`unknown resource ${resource}`);
          return {
            scope: 'api:read',
            audience: OP_RESOURCE,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'ES256' } },
          };
        },
      },
    },
  };
  const provider = new Provider(issuer, configuration);
  for (const id of [...Object.values(OP_CLIENTS), ...Object.values(OP_MACHINE_CLIENTS)]) {
    // Static clients are validated lazily: fail here, not in the middle of a login.
    if (!(await provider.Client.find(id))) throw new Error(`client ${id} was refused`);
  }
  const callback = provider.callback();
  server.on('request', (req: IncomingMessage & { originalUrl?: string }, res: ServerResponse) => {
    const url = req.url ?? '/';
    if (url !== MOUNT && !url.startsWith(`${MOUNT}/`) && !url.startsWith(`${MOUNT}?`)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    // Mounted under a path: the provider sees its own routes, and builds URLs from originalUrl.
    req.originalUrl = url;
    req.url = url.slice(MOUNT.length) || '/';
    callback(req, res);
  });
  return {
    issuer,
    clientKeyPem: await exportPKCS8(clientKey.privateKey),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
