/**
 * `togo mock` and startMockProvider(): a local Togo ID emulator built on panva's oidc-provider,
 * a certified OpenID provider, so every flow behaves as a real provider's would.
 *
 * Version choice: oidc-provider is pinned to 9.13.3. The 9.x line has three dependencies (koa,
 * debug, jose 6, which togo already uses) against 8.8.1's dozen, and 8.x gets no more fixes. 9.x
 * officially requires Node 22, and on Node 20 it prints "Unsupported runtime" when imported; every
 * flow the emulator offers was exercised on Node 20 without a problem (see the tests), so that one
 * message is filtered out at import: a user would read it as an error in togo's output.
 *
 * Layout, as Togo ID (IdentityServer) has it: everything under /identity, endpoints under
 * /identity/connect/, the JWKS under the discovery document's path, and Togo's own login page at
 * /identity/login taking profile, behaviourProfile, client_id and ReturnUrl.
 */
import { generateKeyPair as generateKeyPairCb, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import type { Configuration, KoaContextWithOIDC, Provider as ProviderType } from 'oidc-provider';
import { TogoError } from '../errors.js';
import { makeAdapterClass } from './adapter.js';
import { DEFAULT_CLIENTS, describeClient, validateClientsShape } from './clients.js';
import { parseFaults } from './faults.js';
import { checkLoginRequest, type LoginRequest } from './login-request.js';
import { errorPage, escapeHtml, infoPage, loginPage, page } from './pages.js';
import { IdTokenTamperer, type SigningKey, type TamperKeys } from './tamper.js';
import type { FaultName, MockProvider, MockProviderOptions, MockUser } from './types.js';
import { DEFAULT_USERS, describeUser, findUserByEmail, userClaims, validateUsers } from './users.js';

const generateKeyPair = promisify(generateKeyPairCb);

/** Where Togo ID mounts its identity server; the issuer ends with it. */
export const MOUNT = '/identity';
const LOGIN_COOKIE = 'togo_mock_login';
const FORM_LIMIT = 64 * 1024;

const CLAIMS_SUPPORTED = ['sub', 'email', 'email_verified', 'family_name', 'given_name', 'user', 'name'];

const RESPONSE_TYPES = [
  'id_token',
  'id_token token',
  'code',
  'code id_token',
  'code token',
  'code id_token token',
];

/** Paths as IdentityServer names them (relative to the mount). */
const ROUTES = {
  authorization: '/connect/authorize',
  token: '/connect/token',
  userinfo: '/connect/userinfo',
  end_session: '/connect/endsession',
  revocation: '/connect/revocation',
  introspection: '/connect/introspect',
  device_authorization: '/connect/deviceauthorization',
  code_verification: '/device',
  jwks: '/.well-known/openid-configuration/jwks',
};

type ProviderModule = typeof import('oidc-provider');

let providerModule: Promise<ProviderModule> | undefined;

/** Loads oidc-provider once, without its Node 20 "Unsupported runtime" message (see the top). */
function loadProvider(): Promise<ProviderModule> {
  providerModule ??= (async () => {
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
  return providerModule;
}

async function makeKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('rsa', { modulusLength: 2048 });
  const publicJwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
  return { kid, privateKey, publicJwk };
}

async function makeKeys(faults: readonly FaultName[]): Promise<TamperKeys> {
  const needStranger = faults.includes('bad-signature') || faults.includes('unknown-kid');
  const needNext = faults.includes('rotate-keys');
  const kid = () => randomBytes(8).toString('hex');
  const [primary, stranger, next] = await Promise.all([
    makeKey(kid()),
    needStranger ? makeKey(kid()) : undefined,
    needNext ? makeKey(kid()) : undefined,
  ]);
  return { primary, ...(stranger ? { stranger } : {}), ...(next ? { next } : {}) };
}

function issuerHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

async function listen(server: ReturnType<typeof createServer>, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') {
        reject(
          new TogoError('PORT_IN_USE', `port ${port} on ${host} is already in use`, {
            hint: 'Stop the program using it, pick another --port, or use --port 0 for a free one.',
          }),
        );
      } else {
        reject(
          new TogoError('USAGE', `cannot listen on ${host}:${port}: ${err.message}`, {
            hint: 'Use a local address such as 127.0.0.1 or ::1 for --host.',
          }),
        );
      }
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new TogoError('INTERNAL', 'no port bound');
  return address.port;
}

function send(res: ServerResponse, status: number, html: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(html);
}

function redirect(res: ServerResponse, location: string, headers: Record<string, string> = {}): void {
  res.writeHead(303, { location, 'cache-control': 'no-store', ...headers });
  res.end();
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > FORM_LIMIT) throw new Error('form too large');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

export async function start(options: MockProviderOptions = {}): Promise<MockProvider> {
  const faults = parseFaults(options.faults ?? []);
  const users = options.users ? validateUsers(options.users) : [...DEFAULT_USERS];
  const extraClients = validateClientsShape(options.clients ?? []);
  const clients = [...DEFAULT_CLIENTS, ...extraClients];
  const host = options.host ?? '127.0.0.1';
  const event = options.onEvent ?? (() => {});
  const slowDiscoveryMs = options.slowDiscoveryMs ?? 3000;

  let autoLoginUser: MockUser | undefined;
  if (options.autoLogin !== undefined) {
    autoLoginUser = findUserByEmail(users, options.autoLogin);
    if (!autoLoginUser) {
      throw new TogoError('USAGE', `--auto-login ${options.autoLogin}: no such user`, {
        hint: `Use the email of one of the users: ${users.map((u) => u.email).join(', ')}.`,
      });
    }
  }

  const [keys, { Provider, interactionPolicy }] = await Promise.all([makeKeys(faults), loadProvider()]);
  const tamperer = new IdTokenTamperer(faults, keys);
  const server = createServer();
  const port = await listen(server, options.port ?? 0, host);
  const origin = `http://${issuerHost(host)}:${port}`;
  const issuer = `${origin}${MOUNT}`;
  const authorizationEndpoint = `${issuer}${ROUTES.authorization}`;
  const closing = new AbortController();

  const bySub = new Map(users.map((u) => [u.sub, u]));
  /** Sign-ins made on Togo's /login page, waiting for the authorize request that follows. */
  const pendingLogins = new Map<string, { sub: string; expires: number }>();

  // Consent is implied for every registered client (they are all first-party here), so a login
  // never stops at a consent page; oidc-provider otherwise asks native clients every time.
  const policy = interactionPolicy.base();
  policy.get('consent')?.checks.remove('native_client_prompt');

  const html = (ctx: KoaContextWithOIDC, body: string) => {
    ctx.type = 'html';
    ctx.body = body;
  };

  const configuration: Configuration = {
    clients: clients as Configuration['clients'],
    jwks: {
      keys: [
        {
          ...keys.primary.privateKey.export({ format: 'jwk' }),
          kid: keys.primary.kid,
          alg: 'RS256',
          use: 'sig',
        },
      ],
    },
    adapter: makeAdapterClass() as unknown as Configuration['adapter'],
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    async findAccount(_ctx, sub) {
      const user = bySub.get(sub);
      if (!user) return undefined;
      return { accountId: sub, claims: () => userClaims(user) as { sub: string } };
    },
    // Togo ID publishes these scopes and claims; `user` rides with profile, as Togo ID's
    // implicit flow (scope "openid email profile") returns it.
    scopes: ['openid', 'email', 'profile', 'offline_access', 'cosmos'],
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['family_name', 'given_name', 'name', 'user'],
    },
    // IdentityServer puts scope claims in the ID token even beside an access token.
    conformIdTokenClaims: false,
    responseTypes: RESPONSE_TYPES as Configuration['responseTypes'],
    subjectTypes: ['public'],
    enabledJWA: { idTokenSigningAlgValues: ['RS256'] },
    routes: ROUTES,
    discovery: {
      // Togo ID advertises all four logout booleans; oidc-provider implements back-channel logout
      // and answers for the front-channel ones here, so the document has Togo ID's shape.
      frontchannel_logout_supported: true,
      frontchannel_logout_session_supported: true,
    },
    interactions: {
      policy,
      url: (_ctx, interaction) => `${MOUNT}/interaction/${interaction.uid}`,
    },
    async loadExistingGrant(ctx) {
      const { client, session, params } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const grantId = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      const grant =
        (grantId ? await ctx.oidc.provider.Grant.find(grantId) : undefined) ??
        new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      if (typeof params?.scope === 'string') grant.addOIDCScope(params.scope);
      await grant.save();
      return grant;
    },
    ttl: {
      AccessToken: 3600,
      AuthorizationCode: 300,
      BackchannelAuthenticationRequest: 600,
      ClientCredentials: 600,
      DeviceCode: 600,
      Grant: 14 * 24 * 3600,
      IdToken: options.idTokenTtl ?? 300,
      Interaction: 3600,
      RefreshToken: 14 * 24 * 3600,
      Session: 14 * 24 * 3600,
    },
    // A local emulator serves browser apps on any localhost port.
    clientBasedCORS: () => true,
    features: {
      devInteractions: { enabled: false },
      backchannelLogout: { enabled: true },
      introspection: {
        enabled: true,
        // A public client may introspect only its own tokens, as oidc-provider's default.
        allowedPolicy: (ctx, client, token) =>
          !(client.clientAuthMethod === 'none' && token.clientId !== ctx.oidc.client?.clientId),
      },
      revocation: {
        enabled: true,
        allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId,
      },
      deviceFlow: {
        enabled: true,
        userCodeInputSource(ctx, form, _out, err) {
          const msg = err
            ? '<p class="error">That code is not valid. Try again.</p>'
            : '<p>Enter the code shown on your device.</p>';
          html(
            ctx,
            page(
              'Device sign-in',
              `<h1>Device sign-in</h1>${msg}${form}<button type="submit" form="op.deviceInputForm">Continue</button>`,
            ),
          );
        },
        userCodeConfirmSource(ctx, form, client, _info, userCode) {
          html(
            ctx,
            page(
              'Confirm device',
              `<h1>Confirm device</h1><p><strong>${escapeHtml(client.clientName ?? client.clientId)}</strong> shows the code <code>${escapeHtml(userCode)}</code>.</p>${form}<button type="submit" form="op.deviceConfirmForm">Continue</button>`,
            ),
          );
        },
        successSource(ctx) {
          html(ctx, infoPage('Signed in', 'The device is signed in; you can close this page.'));
        },
      },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource(ctx, form) {
          html(
            ctx,
            page(
              'Sign out',
              `<h1>Sign out of Togo ID?</h1>${form}<button type="submit" form="op.logoutForm" name="logout" value="yes">Sign out</button>`,
            ),
          );
        },
        postLogoutSuccessSource(ctx) {
          html(ctx, infoPage('Signed out', 'You are signed out of the emulator.'));
        },
      },
    },
    renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = errorPage(
        'Sign-in error',
        String(out.error_description ?? out.error),
        Object.fromEntries(Object.entries(out).map(([k, v]) => [k, String(v)])),
      );
    },
  };

  const provider: ProviderType = new Provider(issuer, configuration);
  // The emulator listens on loopback over plain http: no proxy, no TLS in front.
  provider.proxy = false;

  provider.on('server_error', (_ctx, err) => event(`server error: ${err.message}`));
  provider.on('authorization.error', (_ctx, err) => event(`authorization error: ${errorLine(err)}`));
  provider.on('grant.error', (_ctx, err) => event(`token endpoint error: ${errorLine(err)}`));
  provider.on('grant.success', (ctx) =>
    event(`token endpoint: ${ctx.oidc.params?.grant_type} for ${ctx.oidc.client?.clientId}`),
  );
  provider.on('authorization.success', (ctx) =>
    event(`authorization response for ${ctx.oidc.client?.clientId} to ${ctx.oidc.params?.redirect_uri}`),
  );

  // Rewrites ID tokens on their way out when a token fault is on, and publishes the rotated key.
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.path === '/.well-known/openid-configuration' && ctx.body && typeof ctx.body === 'object') {
      // oidc-provider also lists the protocol claims (iss, sid, auth_time); Togo ID lists only
      // the user's claims, and the document should read the same.
      ctx.body = { ...ctx.body, claims_supported: CLAIMS_SUPPORTED };
      return;
    }
    if (ctx.path === ROUTES.jwks && tamperer.rotated) {
      const body = ctx.body as { keys: unknown[] };
      ctx.body = { keys: [...body.keys, ...tamperer.extraPublicKeys()] };
      return;
    }
    if (!tamperer.active) return;
    const replace = (token: string): string => {
      const { token: out, applied } = tamperer.tamper(token);
      if (applied.length > 0) event(`fault ${applied.join(', ')} applied to an ID token`);
      return out;
    };
    const location = ctx.response.get('location');
    if (location) {
      const match = /[#?&]id_token=([\w.-]+)/.exec(location);
      if (match?.[1]) {
        const tampered = replace(match[1]);
        ctx.set('location', location.replace(match[1], tampered));
        if (typeof ctx.body === 'string') ctx.body = ctx.body.split(match[1]).join(tampered);
      }
    } else if (typeof ctx.body === 'string') {
      const match = /name="id_token" value="([\w.-]+)"/.exec(ctx.body);
      if (match?.[1]) ctx.body = ctx.body.replace(match[1], replace(match[1]));
    } else if (
      ctx.body &&
      typeof ctx.body === 'object' &&
      typeof (ctx.body as { id_token?: unknown }).id_token === 'string'
    ) {
      const body = ctx.body as { id_token: string };
      ctx.body = { ...body, id_token: replace(body.id_token) };
    }
  });

  const close = async () => {
    closing.abort();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  };

  try {
    // Static clients are checked lazily by oidc-provider; find each now so a bad one fails at start.
    for (const c of clients) {
      try {
        await provider.Client.find(c.client_id);
      } catch (err) {
        throw new TogoError('MOCK_CLIENTS_INVALID', `client "${c.client_id}": ${errorLine(err)}`, {
          cause: err,
        });
      }
    }
  } catch (err) {
    await close();
    throw err;
  }

  const callback = provider.callback();
  const emails = users.map((u) => u.email);

  const checkLogin = (params: URLSearchParams) =>
    checkLoginRequest(params, { authorizationEndpoint, clientIds: clients.map((c) => c.client_id) });

  function signedIn(res: ServerResponse, user: MockUser, request: LoginRequest): void {
    const token = randomUUID();
    const now = Date.now();
    for (const [k, v] of pendingLogins) if (v.expires < now) pendingLogins.delete(k);
    pendingLogins.set(token, { sub: user.sub, expires: now + 10 * 60_000 });
    event(`signed in ${user.email} on the login page for ${request.clientId}`);
    const setCookie = `${LOGIN_COOKIE}=${token}; Path=${MOUNT}; HttpOnly; SameSite=Lax`;
    if (request.returnUrl) redirect(res, request.returnUrl, { 'set-cookie': setCookie });
    else
      send(
        res,
        200,
        infoPage('Signed in', `Signed in as ${user.email}. No ReturnUrl was given, so the login ends here.`),
        { 'set-cookie': setCookie },
      );
  }

  async function loginPageRoute(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const params = req.method === 'POST' ? await readForm(req) : url.searchParams;
    const check = checkLogin(params);
    if (!check.ok) {
      event(`login page refused: ${check.message}`);
      send(res, 400, errorPage('Cannot sign in', check.message, check.details));
      return;
    }
    const { request } = check;
    const hidden: Record<string, string> = {
      profile: request.profile,
      behaviourProfile: request.behaviourProfile,
      client_id: request.clientId,
      ...(request.rawReturnUrl ? { ReturnUrl: request.rawReturnUrl } : {}),
    };
    if (req.method === 'POST') {
      const email = params.get('email') ?? '';
      const user = findUserByEmail(users, email);
      if (!user || user.password !== params.get('password')) {
        send(
          res,
          401,
          loginPage({
            action: `${MOUNT}/login`,
            hidden,
            email,
            clientId: request.clientId,
            emails,
            error: 'Wrong email or password.',
          }),
        );
        return;
      }
      signedIn(res, user, request);
      return;
    }
    if (autoLoginUser) {
      signedIn(res, autoLoginUser, request);
      return;
    }
    send(res, 200, loginPage({ action: `${MOUNT}/login`, hidden, clientId: request.clientId, emails }));
  }

  async function finishLogin(req: IncomingMessage, res: ServerResponse, user: MockUser): Promise<void> {
    if (faults.includes('error-access-denied')) {
      event(`fault error-access-denied: ${user.email} signed in, the login ends with access_denied`);
      await provider.interactionFinished(
        req,
        res,
        {
          error: 'access_denied',
          error_description: 'The user denied the request (togo mock --fault error-access-denied).',
        },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: user.sub } },
      { mergeWithLastSubmission: false },
    );
  }

  async function interactionRoute(req: IncomingMessage, res: ServerResponse, uid: string): Promise<void> {
    let details: Awaited<ReturnType<ProviderType['interactionDetails']>>;
    try {
      details = await provider.interactionDetails(req, res);
    } catch {
      send(
        res,
        400,
        errorPage(
          'Sign-in expired',
          'This sign-in request is unknown or has expired. Start the login again from your application.',
        ),
      );
      return;
    }
    if (details.uid !== uid) {
      send(
        res,
        400,
        errorPage('Sign-in mismatch', 'This page belongs to another sign-in request. Start the login again.'),
      );
      return;
    }
    const clientId = String(details.params.client_id ?? '');
    if (details.prompt.name !== 'login') {
      // Consent is implied (see loadExistingGrant); should the provider still ask, grant what it asks for.
      const accountId = details.session?.accountId;
      if (!accountId) {
        send(
          res,
          400,
          errorPage('Sign-in error', 'No one is signed in for this request. Start the login again.'),
        );
        return;
      }
      const grant = new provider.Grant({ clientId, accountId });
      if (typeof details.params.scope === 'string') grant.addOIDCScope(details.params.scope);
      const grantId = await grant.save();
      await provider.interactionFinished(
        req,
        res,
        { consent: { grantId } },
        { mergeWithLastSubmission: true },
      );
      return;
    }
    const action = `${MOUNT}/interaction/${uid}`;
    if (req.method === 'POST') {
      const form = await readForm(req);
      const email = form.get('email') ?? '';
      const user = findUserByEmail(users, email);
      if (!user || user.password !== form.get('password')) {
        send(
          res,
          401,
          loginPage({ action, hidden: {}, email, clientId, emails, error: 'Wrong email or password.' }),
        );
        return;
      }
      event(`signed in ${user.email} for ${clientId}`);
      await finishLogin(req, res, user);
      return;
    }
    const pendingToken = cookie(req, LOGIN_COOKIE);
    const pending = pendingToken ? pendingLogins.get(pendingToken) : undefined;
    if (pendingToken) pendingLogins.delete(pendingToken);
    const pendingUser = pending && pending.expires > Date.now() ? bySub.get(pending.sub) : undefined;
    const user = pendingUser ?? autoLoginUser;
    if (user) {
      if (!pendingUser) event(`auto-login: signed in ${user.email} for ${clientId}`);
      await finishLogin(req, res, user);
      return;
    }
    send(res, 200, loginPage({ action, hidden: {}, clientId, emails }));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const path = url.pathname;
    if (path !== MOUNT && !path.startsWith(`${MOUNT}/`)) {
      send(
        res,
        404,
        errorPage('Not found', `The emulator serves everything under ${MOUNT}.`, {
          discovery: `${issuer}/.well-known/openid-configuration`,
        }),
      );
      return;
    }
    if (path === `${MOUNT}/login`) return loginPageRoute(req, res, url);
    const interaction = /^\/identity\/interaction\/([\w-]+)$/.exec(path);
    if (interaction?.[1]) return interactionRoute(req, res, interaction[1]);
    if (path === `${MOUNT}/.well-known/openid-configuration` && faults.includes('slow-discovery')) {
      event(`fault slow-discovery: holding the discovery document for ${slowDiscoveryMs} ms`);
      try {
        await sleep(slowDiscoveryMs, undefined, { signal: closing.signal });
      } catch {
        res.destroy();
        return;
      }
    }
    // oidc-provider finds its mount path by comparing originalUrl with url, as under Express.
    const r = req as IncomingMessage & { originalUrl?: string };
    r.originalUrl = req.url;
    r.url = (req.url ?? '/').slice(MOUNT.length) || '/';
    callback(req, res);
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((err: unknown) => {
      event(`error: ${errorLine(err)}`);
      if (!res.headersSent) send(res, 500, errorPage('Emulator error', errorLine(err)));
      else res.destroy();
    });
  });

  return {
    issuer,
    discoveryUrl: `${issuer}/.well-known/openid-configuration`,
    jwksUri: `${issuer}${ROUTES.jwks}`,
    loginUrl: `${issuer}/login`,
    authorizationEndpoint,
    tokenEndpoint: `${issuer}${ROUTES.token}`,
    port,
    host,
    clients: clients.map(describeClient),
    users: users.map(describeUser),
    faults,
    ...(autoLoginUser ? { autoLogin: autoLoginUser.email } : {}),
    close,
  };
}

function errorLine(err: unknown): string {
  if (err instanceof Error) {
    const description = (err as { error_description?: unknown }).error_description;
    return typeof description === 'string' && description !== err.message
      ? `${err.message} (${description})`
      : err.message;
  }
  return String(err);
}
