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
 *
 * This file is the emulator's life: configuration (config.ts) is checked, clients included,
 * before the port is bound; then the provider starts on the bound issuer and the routes
 * (routes.ts) serve until close().
 */
import { createServer, type Server } from 'node:http';
import type { Provider as ProviderType } from 'oidc-provider';
import { TogoError } from '../errors.js';
import { MemoryStore } from './adapter.js';
import { describeClient } from './clients.js';
import {
  type ConfigurationParts,
  errorLine,
  includeSidAlways,
  MOUNT,
  type ProviderModule,
  providerConfiguration,
  ROUTES,
  resolveSettings,
  type Settings,
  validateClients,
} from './config.js';
import { parseFaults } from './faults.js';
import { addFaultKeys, makeKeys, type TamperKeys } from './keys.js';
import {
  HEALTH_PATH,
  installOutgoing,
  navigation,
  onRequestError,
  PendingLogins,
  requestHandler,
} from './routes.js';
import { IdTokenRewriter } from './tamper.js';
import type { MockProvider, MockProviderOptions } from './types.js';
import { describeUser } from './users.js';

export { MOUNT } from './config.js';

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

export async function start(options: MockProviderOptions = {}): Promise<MockProvider> {
  // Configuration: everything that can be wrong is found before a port is taken.
  const prepared = await prepare(options);
  // Lifecycle: bind, then make the provider for the issuer that names the bound port.
  const bound = await bind(prepared);
  const provider = makeProvider(prepared, bound.issuer);
  const rewriter = serveRoutes(prepared, bound, provider);
  return describe(prepared, bound, rewriter);
}

/** What is made before the port is bound. */
interface Prepared {
  settings: Settings;
  keys: TamperKeys;
  module: ProviderModule;
  logins: PendingLogins;
  store: MemoryStore;
  /** The provider's configuration parts for an issuer, kept in a store (the emulator's by default). */
  parts: (issuer: string, into?: MemoryStore) => ConfigurationParts;
}

/** The bound server and how to close it. */
interface Bound {
  server: Server;
  port: number;
  origin: string;
  issuer: string;
  closing: AbortController;
  close: () => Promise<void>;
}

/** Settings, keys and the provider module, with the clients checked against a scratch provider. */
async function prepare(options: MockProviderOptions): Promise<Prepared> {
  const settings = resolveSettings(options);
  const [keys, module] = await Promise.all([
    makeKeys(settings.faults, settings.keysFile, settings.event),
    loadProvider(),
  ]);
  const logins = new PendingLogins();
  const store = new MemoryStore({ maxSessions: settings.maxSessions, debug: settings.debug });
  const parts = (issuer: string, into = store): ConfigurationParts => ({
    settings,
    store: into,
    keys,
    module,
    interactionUrl: navigation(issuer, logins),
  });
  const scratch = new MemoryStore({ maxSessions: 1 });
  await validateClients(
    module,
    providerConfiguration(parts(`http://127.0.0.1${MOUNT}`, scratch)),
    settings.clients,
  );
  return { settings, keys, module, logins, store, parts };
}

/** Binds the port; the issuer names the bound port, and closing ends the store's sweeping too. */
async function bind({ settings, store }: Prepared): Promise<Bound> {
  const server = createServer();
  const port = await listen(server, settings.port, settings.host);
  const origin = `http://${issuerHost(settings.host)}:${port}`;
  const closing = new AbortController();
  store.startSweeping(settings.sweepIntervalMs);
  const close = async () => {
    closing.abort();
    store.stop();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  };
  return { server, port, origin, issuer: `${origin}${MOUNT}`, closing, close };
}

/** The oidc-provider instance for the bound issuer, its events narrated. */
function makeProvider({ settings, module, parts }: Prepared, issuer: string): ProviderType {
  const provider = new module.Provider(issuer, providerConfiguration(parts(issuer)));
  // The emulator listens on loopback over plain http: no proxy, no TLS in front.
  provider.proxy = false;
  includeSidAlways(provider);
  const { event } = settings;
  provider.on('server_error', (_ctx, err) => event(`server error: ${err.message}`));
  provider.on('authorization.error', (_ctx, err) => event(`authorization error: ${errorLine(err)}`));
  provider.on('grant.error', (_ctx, err) => event(`token endpoint error: ${errorLine(err)}`));
  provider.on('end_session.error', (_ctx, err) => event(`end session error: ${errorLine(err)}`));
  provider.on('grant.success', (ctx) =>
    event(`token endpoint: ${ctx.oidc.params?.grant_type} for ${ctx.oidc.client?.clientId}`),
  );
  provider.on('authorization.success', (ctx) =>
    event(`authorization response for ${ctx.oidc.client?.clientId} to ${ctx.oidc.params?.redirect_uri}`),
  );
  return provider;
}

/** Puts the routes on the server; returns the ID token rewriter, which setFaults switches. */
function serveRoutes(prepared: Prepared, bound: Bound, provider: ProviderType): IdTokenRewriter {
  const { settings, keys, logins, store } = prepared;
  const rewriter = new IdTokenRewriter(
    settings.faults,
    keys,
    settings.users.map((u) => u.sub),
  );
  installOutgoing(provider, rewriter, keys, settings.event);
  const handle = requestHandler({
    provider,
    settings,
    issuer: bound.issuer,
    origin: bound.origin,
    rewriter,
    logins,
    store,
    closing: bound.closing.signal,
  });
  const failed = onRequestError(settings.event);
  bound.server.on('request', (req, res) => {
    handle(req, res).catch((err: unknown) => failed(res, err));
  });
  return rewriter;
}

/** The running emulator as its callers see it: its URLs, clients, users, faults and close(). */
function describe({ settings, keys }: Prepared, bound: Bound, rewriter: IdTokenRewriter): MockProvider {
  const { issuer, port, close } = bound;
  return {
    issuer,
    discoveryUrl: `${issuer}/.well-known/openid-configuration`,
    jwksUri: `${issuer}${ROUTES.jwks}`,
    loginUrl: `${issuer}/login`,
    authorizationEndpoint: `${issuer}${ROUTES.authorization}`,
    tokenEndpoint: `${issuer}${ROUTES.token}`,
    endSessionEndpoint: `${issuer}${ROUTES.end_session}`,
    healthUrl: `${issuer}${HEALTH_PATH}`,
    port,
    host: settings.host,
    clients: settings.clients.map(describeClient),
    users: settings.users.map(describeUser),
    // The same array the routes read: it shows the faults in effect after setFaults.
    faults: settings.faults,
    async setFaults(names) {
      const next = parseFaults(names);
      await addFaultKeys(keys, next);
      settings.faults.splice(0, settings.faults.length, ...next);
      rewriter.setFaults(next);
      settings.event(next.length > 0 ? `faults switched to ${next.join(', ')}` : 'faults switched off');
    },
    ...(settings.autoLoginUser ? { autoLogin: settings.autoLoginUser.email } : {}),
    close,
  };
}
