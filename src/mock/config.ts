/**
 * The emulator's configuration: what it is given (users, clients, faults), checked before anything
 * listens, and the oidc-provider configuration that makes the provider look like Togo ID.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Configuration, KoaContextWithOIDC, Provider as ProviderType } from 'oidc-provider';
import { TogoError } from '../errors.js';
import type { MemoryStore } from './adapter.js';
import {
  ALL_RESPONSE_TYPES,
  DEFAULT_CLIENTS,
  MOCK_API_RESOURCE,
  MOCK_API_SCOPES,
  validateClientsShape,
} from './clients.js';
import { faultsWith, parseFaults } from './faults.js';
import type { TamperKeys } from './keys.js';
import { errorPage, escapeHtml, infoPage, page } from './pages.js';
import type { FaultName, MockClientMetadata, MockProviderOptions, MockUser } from './types.js';
import { DEFAULT_USERS, findUserByEmail, userClaims, validateUsers } from './users.js';

export type ProviderModule = typeof import('oidc-provider');

/** Where Togo ID mounts its identity server; the issuer ends with it. */
export const MOUNT = '/identity';

/** Paths as IdentityServer names them (relative to the mount). */
export const ROUTES = {
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

/** What the discovery document lists, as Togo ID lists it: the user's claims only. */
export const CLAIMS_SUPPORTED = [
  'sub',
  'email',
  'email_verified',
  'family_name',
  'given_name',
  'user',
  'name',
];

/** Everything the emulator was asked for, checked. */
export interface Settings {
  faults: FaultName[];
  users: MockUser[];
  clients: MockClientMetadata[];
  host: string;
  port: number;
  autoLoginUser: MockUser | undefined;
  slowDiscoveryMs: number;
  idTokenTtl: number;
  accessTokenTtl: number;
  /** Sessions, grants and refresh tokens, in seconds. */
  sessionTtl: number;
  maxSessions: number;
  sweepIntervalMs: number;
  keysFile: string | undefined;
  event: (message: string) => void;
  debug: (message: string) => void;
}

/**
 * Lifetimes for a test emulator (seconds). Togo ID's ID token (300 s) and access token (3600 s)
 * lifetimes are kept; a session lasts an hour rather than a real provider's two weeks, so a suite
 * that logs in thousands of times a day does not keep every login.
 */
export const LIFETIMES = { idToken: 300, accessToken: 3600, session: 3600 } as const;
/** The sessions kept at most by default, with their grants and tokens. */
export const MAX_SESSIONS = 1000;
/** How often expired entries are swept out. */
export const SWEEP_INTERVAL_MS = 60_000;

function positiveInteger(name: string, value: number | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new TogoError('USAGE', `${name} takes a whole number from 1 to ${max}, not ${value}`);
  }
  return value;
}

const YEAR = 365 * 24 * 3600;

export function resolveSettings(options: MockProviderOptions): Settings {
  const faults = parseFaults(options.faults ?? []);
  const users = options.users ? validateUsers(options.users) : [...DEFAULT_USERS];
  const clients = [...DEFAULT_CLIENTS, ...validateClientsShape(options.clients ?? [])];
  let autoLoginUser: MockUser | undefined;
  if (options.autoLogin !== undefined) {
    autoLoginUser = findUserByEmail(users, options.autoLogin);
    if (!autoLoginUser) {
      throw new TogoError('USAGE', `--auto-login ${options.autoLogin}: no such user`, {
        hint: `Use the email of one of the users: ${users.map((u) => u.email).join(', ')}.`,
      });
    }
  }
  return {
    faults,
    users,
    clients,
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    autoLoginUser,
    slowDiscoveryMs: options.slowDiscoveryMs ?? 3000,
    idTokenTtl: positiveInteger('idTokenTtl', options.idTokenTtl, LIFETIMES.idToken, YEAR),
    accessTokenTtl: positiveInteger(
      '--access-token-ttl',
      options.accessTokenTtl,
      LIFETIMES.accessToken,
      YEAR,
    ),
    sessionTtl: positiveInteger('--session-ttl', options.sessionTtl, LIFETIMES.session, YEAR),
    maxSessions: positiveInteger('--max-sessions', options.maxSessions, MAX_SESSIONS, 10_000_000),
    sweepIntervalMs: positiveInteger(
      'sweepIntervalMs',
      options.sweepIntervalMs,
      SWEEP_INTERVAL_MS,
      24 * 3600_000,
    ),
    keysFile: options.keysFile,
    event: options.onEvent ?? (() => {}),
    debug: options.onDebug ?? (() => {}),
  };
}

export interface ConfigurationParts {
  settings: Settings;
  store: MemoryStore;
  keys: TamperKeys;
  module: ProviderModule;
  /** Where a sign-in sends the browser (Togo's login page, or the emulator's interaction page). */
  interactionUrl: (
    ctx: KoaContextWithOIDC,
    uid: string,
    params: Record<string, unknown>,
    prompt: string,
  ) => string;
}

export function providerConfiguration(parts: ConfigurationParts): Configuration {
  const { settings, keys } = parts;
  const bySub = new Map(settings.users.map((u) => [u.sub, u]));

  // Consent is implied for every registered client (they are all first-party here), so a login
  // never stops at a consent page; oidc-provider otherwise asks native clients every time.
  const policy = parts.module.interactionPolicy.base();
  policy.get('consent')?.checks.remove('native_client_prompt');

  // A fault may make machine tokens out to another audience than the resource asked for.
  const machineAudience = (ctx: KoaContextWithOIDC, resource: string): string => {
    if (ctx.oidc.params?.grant_type !== 'client_credentials') return resource;
    let audience = resource;
    for (const { name, hook } of faultsWith(settings.faults, 'machineAudience')) {
      audience = hook(audience);
      settings.event(`fault ${name} applied to a machine token: aud ${audience}`);
    }
    return audience;
  };

  const html = (ctx: KoaContextWithOIDC, body: string) => {
    ctx.type = 'html';
    ctx.body = body;
  };

  return {
    clients: settings.clients as Configuration['clients'],
    jwks: { keys: [keys.primary.privateJwk] } as Configuration['jwks'],
    adapter: parts.store.adapterClass() as unknown as Configuration['adapter'],
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    async findAccount(ctx, sub) {
      const user = bySub.get(sub);
      if (!user) return undefined;
      return {
        accountId: sub,
        claims: (use: string) => ({
          ...(userClaims(user) as { sub: string }),
          // What Togo ID adds to every ID token (the seed token has these): the authorized party,
          // not-before, a token id, and Togo's own marker of what the token is for.
          ...(use === 'id_token'
            ? {
                azp: ctx.oidc.client?.clientId,
                nbf: Math.floor(Date.now() / 1000),
                jti: randomUUID(),
                usage: 'id_token',
              }
            : {}),
        }),
      };
    },
    // Togo ID publishes these scopes and claims; `user` rides with profile, as Togo ID's
    // implicit flow (scope "openid email profile") returns it. The protocol claims under openid
    // reach only the ID token (findAccount returns them for it alone).
    scopes: ['openid', 'email', 'profile', 'offline_access', 'cosmos'],
    claims: {
      openid: ['sub', 'auth_time', 'azp', 'nbf', 'jti', 'usage'],
      email: ['email', 'email_verified'],
      profile: ['family_name', 'given_name', 'name', 'user'],
    },
    // IdentityServer puts scope claims in the ID token even beside an access token.
    conformIdTokenClaims: false,
    responseTypes: ALL_RESPONSE_TYPES as Configuration['responseTypes'],
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
      async url(ctx, interaction) {
        const url = parts.interactionUrl(ctx, interaction.uid, interaction.params, interaction.prompt.name);
        // Sent to Togo's login page, whose ReturnUrl repeats the authorize request (and makes a
        // new interaction): this one is never resumed, so it is not kept until it expires.
        if (!url.startsWith(`${MOUNT}/interaction/`)) await interaction.destroy();
        return url;
      },
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
    // Every stored entry has a lifetime, so the sweep can free it (see adapter.ts). A grant lives
    // as long as the longest token issued under it.
    ttl: {
      AccessToken: settings.accessTokenTtl,
      AuthorizationCode: 300,
      BackchannelAuthenticationRequest: 600,
      ClientCredentials: Math.min(600, settings.accessTokenTtl),
      DeviceCode: 600,
      Grant: Math.max(settings.sessionTtl, settings.accessTokenTtl),
      IdToken: settings.idTokenTtl,
      Interaction: 600,
      RefreshToken: settings.sessionTtl,
      Session: settings.sessionTtl,
    },
    // A refresh token is used once: every refresh returns a new one, and the old one used again
    // is answered invalid_grant (and ends the grant), as OAuth 2.0 Security BCP 4.14.2 advises.
    rotateRefreshToken: () => true,
    // A local emulator serves browser apps on any localhost port.
    clientBasedCORS: () => true,
    features: {
      devInteractions: { enabled: false },
      // `togo-confidential` may get a machine token: an RFC 9068 JWT access token whose sub and
      // client_id are the client, for the mock API unless the request names a resource.
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: (ctx, _client, oneOf) =>
          oneOf ?? (ctx.oidc.params?.grant_type === 'client_credentials' ? MOCK_API_RESOURCE : undefined),
        getResourceServerInfo: (ctx, resource) => ({
          scope: MOCK_API_SCOPES,
          audience: machineAudience(ctx, resource),
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
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
          // IdentityServer signs out without asking when the request proves which client sends
          // it (a valid id_token_hint; oidc-provider has validated it and the post-logout URI by
          // now): go straight on to the confirmation, as the form's button would.
          const secret = ctx.oidc.session?.state?.secret;
          if (ctx.oidc.entities.IdTokenHint && typeof secret === 'string') {
            ctx.status = 303;
            ctx.redirect(`${MOUNT}${ROUTES.end_session}/continue?xsrf=${encodeURIComponent(secret)}`);
            return;
          }
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
}

/**
 * oidc-provider checks static clients lazily; this finds each one on a provider made for the
 * purpose, so a bad client fails before any port is bound.
 */
export async function validateClients(
  module: ProviderModule,
  configuration: Configuration,
  clients: readonly MockClientMetadata[],
): Promise<void> {
  const provider = new module.Provider(`http://127.0.0.1${MOUNT}`, configuration);
  for (const c of clients) {
    try {
      await provider.Client.find(c.client_id);
    } catch (err) {
      throw new TogoError('MOCK_CLIENTS_INVALID', `client "${c.client_id}": ${errorLine(err)}`, {
        cause: err,
        ...clientHint(c, errorLine(err)),
      });
    }
  }
}

/** A hint for the refusals that local registrations meet, with the local answer. */
function clientHint(c: MockClientMetadata, message: string): { hint?: string } {
  const web = c.application_type === undefined || c.application_type === 'web';
  if (web && /https scheme|must not be using localhost/.test(message)) {
    return {
      hint: `A "web" client with an implicit or hybrid response type must use https redirect URIs on a public host (OpenID Connect Registration 2). For an application on this machine, register it with "application_type": "native": http://127.0.0.1 and http://[::1] redirect URIs are then allowed, on any port.`,
    };
  }
  return {};
}

/** IdentityServer puts `sid` in every ID token; oidc-provider only for back-channel logout clients. */
export function includeSidAlways(provider: ProviderType): void {
  Object.defineProperty(provider.Client.prototype, 'includeSid', { value: () => true });
}

export function errorLine(err: unknown): string {
  if (err instanceof Error) {
    const description = (err as { error_description?: unknown }).error_description;
    return typeof description === 'string' && description !== err.message
      ? `${err.message} (${description})`
      : err.message;
  }
  return String(err);
}
