/**
 * What the emulator answers over HTTP besides oidc-provider's own endpoints: Togo's login page,
 * the sign-in (interaction) page, the navigation between them as Togo ID has it, the logout
 * shortcut, and the rewriting of what the provider sends out (token shape, faults, JWKS).
 */
import { randomUUID } from 'node:crypto';
import { IncomingMessage, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KoaContextWithOIDC, Provider as ProviderType } from 'oidc-provider';
import type { MemoryStore } from './adapter.js';
import { CLAIMS_SUPPORTED, errorLine, MOUNT, ROUTES, type Settings } from './config.js';
import { faultsWith } from './faults.js';
import type { TamperKeys } from './keys.js';
import { checkLoginRequest, type LoginRequest } from './login-request.js';
import { errorPage, infoPage, loginPage } from './pages.js';
import type { IdTokenRewriter } from './tamper.js';
import type { MockUser } from './types.js';
import { findUserByEmail } from './users.js';

const LOGIN_COOKIE = 'togo_mock_login';
const FORM_LIMIT = 64 * 1024;
const LOGIN_TTL_MS = 10 * 60_000;
/** The readiness path, under the issuer (Togo ID has none; the emulator adds it for scripts and CI). */
export const HEALTH_PATH = '/health';

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

async function readBody(req: IncomingMessage): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > FORM_LIMIT) throw new Error('form too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function cookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

/**
 * The same request with another method, path or form body, as a reverse proxy would pass it on:
 * same connection, same headers (cookies included).
 */
function replay(req: IncomingMessage, method: string, url: string, form?: URLSearchParams): IncomingMessage {
  const copy = new IncomingMessage(req.socket) as IncomingMessage & { originalUrl?: string };
  copy.method = method;
  copy.url = url;
  copy.originalUrl = `${MOUNT}${url}`;
  copy.httpVersionMajor = req.httpVersionMajor;
  copy.httpVersionMinor = req.httpVersionMinor;
  copy.httpVersion = req.httpVersion;
  copy.headers = { ...req.headers };
  if (form) {
    const body = form.toString();
    copy.headers['content-type'] = 'application/x-www-form-urlencoded';
    copy.headers['content-length'] = String(Buffer.byteLength(body));
    delete copy.headers['transfer-encoding'];
    copy.push(body);
  }
  copy.push(null);
  // Whole as received: ending it must not close the connection it shares with the original.
  copy.complete = true;
  return copy;
}

/** Sign-ins made on Togo's login page, waiting for the authorize request that follows. */
export class PendingLogins {
  private readonly bySecret = new Map<string, { sub: string; expires: number }>();

  add(sub: string): string {
    const secret = randomUUID();
    const now = Date.now();
    for (const [k, v] of this.bySecret) if (v.expires < now) this.bySecret.delete(k);
    this.bySecret.set(secret, { sub, expires: now + LOGIN_TTL_MS });
    return secret;
  }

  /** True when the cookie header carries a sign-in still waiting. */
  waiting(cookieHeader: string | undefined): boolean {
    const secret = cookie(cookieHeader, LOGIN_COOKIE);
    const entry = secret ? this.bySecret.get(secret) : undefined;
    return entry !== undefined && entry.expires > Date.now();
  }

  /** The subject signed in by the cookie's sign-in, which is used up. */
  take(cookieHeader: string | undefined): string | undefined {
    const secret = cookie(cookieHeader, LOGIN_COOKIE);
    if (!secret) return undefined;
    const entry = this.bySecret.get(secret);
    this.bySecret.delete(secret);
    return entry && entry.expires > Date.now() ? entry.sub : undefined;
  }
}

/**
 * Togo ID's navigation: an authorize request that needs a sign-in goes to the login page, with a
 * ReturnUrl that repeats the authorize request; once signed in there, the repeated request finds
 * the sign-in waiting and goes on through the emulator's interaction page without stopping.
 */
export function navigation(issuer: string, logins: PendingLogins) {
  return (ctx: KoaContextWithOIDC, uid: string, params: Record<string, unknown>, prompt: string): string => {
    // The device flow signs in on its own pages; only the authorize endpoint leads to Togo's page.
    const toLoginPage = ctx.oidc.route === 'authorization' && prompt === 'login';
    if (!toLoginPage || logins.waiting(ctx.get('cookie'))) return `${MOUNT}/interaction/${uid}`;
    const returnUrl = new URL(`${issuer}${ROUTES.authorization}`);
    for (const [k, v] of Object.entries(params)) if (typeof v === 'string') returnUrl.searchParams.set(k, v);
    const clientId = typeof params.client_id === 'string' ? params.client_id : '';
    return (
      `${issuer}/login?profile=togo&behaviourProfile=togo&client_id=${encodeURIComponent(clientId)}` +
      `&ReturnUrl=${encodeURIComponent(returnUrl.href)}`
    );
  };
}

/**
 * Rewrites what the provider sends out: every ID token into Togo ID's shape (and wrong, with a
 * fault), the JWKS with x5t (and the rotated key), and the discovery document's claims.
 */
export function installOutgoing(
  provider: ProviderType,
  rewriter: IdTokenRewriter,
  keys: TamperKeys,
  event: (message: string) => void,
): void {
  const x5t = new Map(
    [keys.primary, keys.stranger, keys.next].filter((k) => k !== undefined).map((k) => [k.kid, k.x5t]),
  );
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.path === '/.well-known/openid-configuration' && ctx.body && typeof ctx.body === 'object') {
      // oidc-provider also lists the protocol claims (iss, sid, auth_time); Togo ID lists only
      // the user's claims, and the document should read the same.
      ctx.body = { ...ctx.body, claims_supported: CLAIMS_SUPPORTED };
      return;
    }
    if (ctx.path === ROUTES.jwks && ctx.body && typeof ctx.body === 'object') {
      // oidc-provider publishes x5c but not x5t; IdentityServer publishes both.
      const body = ctx.body as { keys: Array<Record<string, unknown>> };
      const published = body.keys.map((k) => ({ ...k, x5t: x5t.get(String(k.kid)) }));
      ctx.body = { keys: [...published, ...rewriter.extraPublicKeys()] };
      return;
    }
    const rewrite = async (token: string, accessToken?: string): Promise<string> => {
      const grantType = ctx.oidc?.params?.grant_type;
      const { token: out, applied } = await rewriter.rewrite(token, {
        ...(accessToken ? { accessToken } : {}),
        ...(typeof grantType === 'string' ? { grantType } : {}),
      });
      if (applied.length > 0) event(`fault ${applied.join(', ')} applied to an ID token`);
      return out;
    };
    const location = ctx.response.get('location');
    if (location) {
      const match = /[#?&]id_token=([\w.-]+)/.exec(location);
      if (match?.[1]) {
        const rewritten = await rewrite(match[1]);
        ctx.set('location', location.replace(match[1], rewritten));
        if (typeof ctx.body === 'string') ctx.body = ctx.body.split(match[1]).join(rewritten);
      }
    } else if (typeof ctx.body === 'string') {
      const match = /name="id_token" value="([\w.-]+)"/.exec(ctx.body);
      if (match?.[1]) ctx.body = ctx.body.replace(match[1], await rewrite(match[1]));
    } else if (
      ctx.body &&
      typeof ctx.body === 'object' &&
      typeof (ctx.body as { id_token?: unknown }).id_token === 'string'
    ) {
      const body = ctx.body as { id_token: string; access_token?: unknown };
      const accessToken = typeof body.access_token === 'string' ? body.access_token : undefined;
      ctx.body = { ...body, id_token: await rewrite(body.id_token, accessToken) };
    }
  });
}

export interface RouteParts {
  provider: ProviderType;
  settings: Settings;
  issuer: string;
  origin: string;
  rewriter: IdTokenRewriter;
  logins: PendingLogins;
  store: MemoryStore;
  /** Aborted when the emulator closes, to end what is held (slow discovery). */
  closing: AbortSignal;
}

/** What every route reads: the parts, and what is worked out from the settings once. */
interface Routes extends RouteParts {
  bySub: Map<string, MockUser>;
  emails: string[];
  authorizationEndpoint: string;
  clientIds: string[];
  callback: ReturnType<ProviderType['callback']>;
}

type Route = (req: IncomingMessage, res: ServerResponse, url: URL) => void | Promise<void>;

export function requestHandler(parts: RouteParts) {
  const routes = withLookups(parts);
  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', parts.origin);
    const route = pickRoute(routes, req, url.pathname);
    if (route) return route(req, res, url);
    if (!(await holdDiscovery(routes, res, url.pathname))) return;
    pass(routes, req, res, (req.url ?? '/').slice(MOUNT.length) || '/');
  };
}

function withLookups(parts: RouteParts): Routes {
  const { users } = parts.settings;
  return {
    ...parts,
    bySub: new Map(users.map((u) => [u.sub, u])),
    emails: users.map((u) => u.email),
    authorizationEndpoint: `${parts.issuer}${ROUTES.authorization}`,
    clientIds: parts.settings.clients.map((c) => c.client_id),
    callback: parts.provider.callback(),
  };
}

/** The emulator's own route for a path, or none when the request goes to oidc-provider. */
function pickRoute(routes: Routes, req: IncomingMessage, path: string): Route | undefined {
  if (path !== MOUNT && !path.startsWith(`${MOUNT}/`)) return (_req, res) => notMountedRoute(routes, res);
  if (path === `${MOUNT}${HEALTH_PATH}`) return (req, res) => healthRoute(routes, req, res);
  if (path === `${MOUNT}/login`) return (req, res, url) => loginPageRoute(routes, req, res, url);
  const interaction = /^\/identity\/interaction\/([\w-]+)$/.exec(path);
  const uid = interaction?.[1];
  if (uid) return (req, res) => interactionRoute(routes, req, res, uid);
  if (req.method !== 'GET') return undefined;
  if (path === `${MOUNT}${ROUTES.end_session}/continue`)
    return (req, res, url) => logoutContinueRoute(routes, req, res, url);
  if (path === `${MOUNT}${ROUTES.end_session}`)
    return (req, res, url) => endSessionRoute(routes, req, res, url);
  return undefined;
}

function notMountedRoute(routes: Routes, res: ServerResponse): void {
  const discovery = `${routes.issuer}/.well-known/openid-configuration`;
  send(res, 404, errorPage('Not found', `The emulator serves everything under ${MOUNT}.`, { discovery }));
}

/**
 * Under the slow-discovery fault, holds the discovery document; false when the emulator closed
 * meanwhile (the connection is dropped).
 */
async function holdDiscovery(routes: Routes, res: ServerResponse, path: string): Promise<boolean> {
  const { settings } = routes;
  const [holds] = faultsWith(settings.faults, 'holdsDiscovery');
  if (path !== `${MOUNT}/.well-known/openid-configuration` || !holds) return true;
  settings.event(`fault ${holds.name}: holding the discovery document for ${settings.slowDiscoveryMs} ms`);
  try {
    await sleep(settings.slowDiscoveryMs, undefined, { signal: routes.closing });
    return true;
  } catch {
    res.destroy();
    return false;
  }
}

function signedIn(routes: Routes, res: ServerResponse, user: MockUser, request: LoginRequest): void {
  const secret = routes.logins.add(user.sub);
  routes.settings.event(`signed in ${user.email} on the login page for ${request.clientId}`);
  const setCookie = `${LOGIN_COOKIE}=${secret}; Path=${MOUNT}; HttpOnly; SameSite=Lax`;
  if (request.returnUrl) redirect(res, request.returnUrl, { 'set-cookie': setCookie });
  else
    send(
      res,
      200,
      infoPage('Signed in', `Signed in as ${user.email}. No ReturnUrl was given, so the login ends here.`),
      { 'set-cookie': setCookie },
    );
}

/** Togo's login page: shown on GET (or passed with the auto-login user), the sign-in checked on POST. */
async function loginPageRoute(
  routes: Routes,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const { settings, emails } = routes;
  const params = req.method === 'POST' ? new URLSearchParams(await readBody(req)) : url.searchParams;
  const { authorizationEndpoint, clientIds } = routes;
  const check = checkLoginRequest(params, { authorizationEndpoint, clientIds });
  if (!check.ok) {
    settings.event(`login page refused: ${check.message}`);
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
  const action = `${MOUNT}/login`;
  if (req.method === 'POST') {
    const email = params.get('email') ?? '';
    const user = findUserByEmail(settings.users, email);
    if (!user || user.password !== params.get('password')) {
      const error = 'Wrong email or password.';
      send(res, 401, loginPage({ action, hidden, email, clientId: request.clientId, emails, error }));
      return;
    }
    signedIn(routes, res, user, request);
    return;
  }
  if (settings.autoLoginUser) {
    signedIn(routes, res, settings.autoLoginUser, request);
    return;
  }
  send(res, 200, loginPage({ action, hidden, clientId: request.clientId, emails }));
}

async function finishSignIn(
  routes: Routes,
  req: IncomingMessage,
  res: ServerResponse,
  user: MockUser,
): Promise<void> {
  const { provider, settings } = routes;
  const [ends] = faultsWith(settings.faults, 'endsSignIn');
  if (ends) {
    settings.event(`fault ${ends.name}: ${user.email} signed in, the login ends with ${ends.hook.error}`);
    await provider.interactionFinished(req, res, { ...ends.hook }, { mergeWithLastSubmission: false });
    return;
  }
  await provider.interactionFinished(
    req,
    res,
    { login: { accountId: user.sub } },
    { mergeWithLastSubmission: false },
  );
}

type Interaction = Awaited<ReturnType<ProviderType['interactionDetails']>>;

/** The emulator's sign-in page: the interaction oidc-provider sends a login or consent prompt to. */
async function interactionRoute(
  routes: Routes,
  req: IncomingMessage,
  res: ServerResponse,
  uid: string,
): Promise<void> {
  const details = await interactionFor(routes, req, res, uid);
  if (!details) return;
  const clientId = String(details.params.client_id ?? '');
  if (details.prompt.name !== 'login') return grantConsent(routes, req, res, details, clientId);
  const action = `${MOUNT}/interaction/${uid}`;
  if (req.method === 'POST') return signInWithForm(routes, req, res, action, clientId);
  const pendingSub = routes.logins.take(req.headers.cookie);
  const pendingUser = pendingSub ? routes.bySub.get(pendingSub) : undefined;
  const user = pendingUser ?? routes.settings.autoLoginUser;
  if (user) {
    if (!pendingUser) routes.settings.event(`auto-login: signed in ${user.email} for ${clientId}`);
    await finishSignIn(routes, req, res, user);
    return;
  }
  send(res, 200, loginPage({ action, hidden: {}, clientId, emails: routes.emails }));
}

/** The interaction behind the page, or none (with an error page sent) when it is unknown or another's. */
async function interactionFor(
  routes: Routes,
  req: IncomingMessage,
  res: ServerResponse,
  uid: string,
): Promise<Interaction | undefined> {
  let details: Interaction;
  try {
    details = await routes.provider.interactionDetails(req, res);
  } catch {
    const message =
      'This sign-in request is unknown or has expired. Start the login again from your application.';
    send(res, 400, errorPage('Sign-in expired', message));
    return undefined;
  }
  if (details.uid !== uid) {
    const message = 'This page belongs to another sign-in request. Start the login again.';
    send(res, 400, errorPage('Sign-in mismatch', message));
    return undefined;
  }
  return details;
}

/** Consent is implied (see loadExistingGrant); should the provider still ask, grant what it asks for. */
async function grantConsent(
  routes: Routes,
  req: IncomingMessage,
  res: ServerResponse,
  details: Interaction,
  clientId: string,
): Promise<void> {
  const accountId = details.session?.accountId;
  if (!accountId) {
    const message = 'No one is signed in for this request. Start the login again.';
    send(res, 400, errorPage('Sign-in error', message));
    return;
  }
  const grant = new routes.provider.Grant({ clientId, accountId });
  if (typeof details.params.scope === 'string') grant.addOIDCScope(details.params.scope);
  const grantId = await grant.save();
  await routes.provider.interactionFinished(
    req,
    res,
    { consent: { grantId } },
    { mergeWithLastSubmission: true },
  );
}

async function signInWithForm(
  routes: Routes,
  req: IncomingMessage,
  res: ServerResponse,
  action: string,
  clientId: string,
): Promise<void> {
  const form = new URLSearchParams(await readBody(req));
  const email = form.get('email') ?? '';
  const user = findUserByEmail(routes.settings.users, email);
  if (!user || user.password !== form.get('password')) {
    const error = 'Wrong email or password.';
    send(res, 401, loginPage({ action, hidden: {}, email, clientId, emails: routes.emails, error }));
    return;
  }
  routes.settings.event(`signed in ${user.email} for ${clientId}`);
  await finishSignIn(routes, req, res, user);
}

/** The logout the provider confirmed without a prompt (see logoutSource): the form's POST. */
function logoutContinueRoute(routes: Routes, req: IncomingMessage, res: ServerResponse, url: URL): void {
  const form = new URLSearchParams({ xsrf: url.searchParams.get('xsrf') ?? '', logout: 'yes' });
  routes.callback(replay(req, 'POST', `${ROUTES.end_session}/confirm`, form), res);
}

/**
 * A logout hint the emulator issued with a fault is taken back as the token it was before, so
 * logout works under every fault. (Logout is GET only: oidc-provider's POST support needs
 * SameSite=None cookies, which browsers drop over plain http.)
 */
function endSessionRoute(routes: Routes, req: IncomingMessage, res: ServerResponse, url: URL): void {
  const original = routes.rewriter.original(url.searchParams.get('id_token_hint') ?? '');
  if (original) url.searchParams.set('id_token_hint', original);
  pass(routes, req, res, `${url.pathname.slice(MOUNT.length)}${url.search}`);
}

/**
 * Ready once it answers: the emulator listens only after its keys and clients are in place. The
 * counts show that the store stays bounded under load (see adapter.ts).
 */
function healthRoute(routes: Routes, req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'cache-control': 'no-store' });
    res.end();
    return;
  }
  const body = JSON.stringify({
    status: 'ok',
    issuer: routes.issuer,
    stored: { ...routes.store.counts(), byKind: routes.store.models() },
    maxSessions: routes.settings.maxSessions,
    // The process's memory: resident, and the JavaScript heap in use (live objects and garbage
    // not yet collected), so a service watcher or the load bench can tell the two apart.
    memory: { rssBytes: process.memoryUsage.rss(), heapUsedBytes: process.memoryUsage().heapUsed },
  });
  res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** Hands a request to oidc-provider, which finds its mount path by comparing originalUrl with url. */
function pass(routes: Routes, req: IncomingMessage, res: ServerResponse, innerUrl: string): void {
  const r = req as IncomingMessage & { originalUrl?: string };
  r.originalUrl = `${MOUNT}${innerUrl}`;
  r.url = innerUrl;
  routes.callback(req, res);
}

export function onRequestError(event: (message: string) => void) {
  return (res: ServerResponse, err: unknown) => {
    event(`error: ${errorLine(err)}`);
    if (!res.headersSent) send(res, 500, errorPage('Emulator error', errorLine(err)));
    else res.destroy();
  };
}
