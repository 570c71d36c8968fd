/**
 * The settings every networked command shares (issuer, client, redirect URI, …), their names in
 * each source, and the built-in environments. Pure data: no fs, no process.
 */

export type Flavor = 'togo' | 'standard';
export const FLAVORS: readonly Flavor[] = ['togo', 'standard'];

/** Settings that may come from flags, the environment, a config file or a built-in environment. */
export const SETTING_KEYS = [
  'issuer',
  'loginBase',
  'authorizationEndpoint',
  'clientId',
  'redirectUri',
  'scope',
  'responseType',
  'responseMode',
  'flavor',
  'profile',
  'behaviourProfile',
  'grant',
] as const;

export type SettingKey = (typeof SETTING_KEYS)[number];

/** Setting values as they arrive from any one source, before checking. */
export type SettingValues = Partial<Record<SettingKey, string>>;

export interface SettingSpec {
  /** The command-line flag, e.g. `--client-id`. */
  flag: string;
  /** The environment variable, e.g. `TOGO_CLIENT_ID`. */
  env: string;
  describe: string;
}

export const SETTINGS: Readonly<Record<SettingKey, SettingSpec>> = {
  issuer: { flag: '--issuer', env: 'TOGO_ISSUER', describe: 'OpenID provider issuer URL' },
  loginBase: {
    flag: '--login-base',
    env: 'TOGO_LOGIN_BASE',
    describe: 'Togo ID base URL; the login page is <base>/login (defaults to the issuer)',
  },
  authorizationEndpoint: {
    flag: '--authorization-endpoint',
    env: 'TOGO_AUTHORIZATION_ENDPOINT',
    describe: "the provider's authorization_endpoint (normally from discovery)",
  },
  clientId: {
    flag: '--client-id',
    env: 'TOGO_CLIENT_ID',
    describe: 'client id registered with the provider',
  },
  redirectUri: {
    flag: '--redirect-uri',
    env: 'TOGO_REDIRECT_URI',
    describe: 'redirect URI registered for the client',
  },
  scope: { flag: '--scope', env: 'TOGO_SCOPE', describe: 'space-separated scopes' },
  responseType: { flag: '--response-type', env: 'TOGO_RESPONSE_TYPE', describe: 'OAuth response_type' },
  responseMode: {
    flag: '--response-mode',
    env: 'TOGO_RESPONSE_MODE',
    describe: 'response_mode: fragment, query or form_post',
  },
  flavor: {
    flag: '--flavor',
    env: 'TOGO_FLAVOR',
    describe: 'togo (login page wrapping the authorize URL) or standard (authorize URL itself)',
  },
  profile: { flag: '--profile', env: 'TOGO_PROFILE', describe: 'Togo ID page style (profile=)' },
  behaviourProfile: {
    flag: '--behaviour-profile',
    env: 'TOGO_BEHAVIOUR_PROFILE',
    describe: 'Togo ID account behaviour (behaviourProfile=, British spelling)',
  },
  grant: {
    flag: '--grant',
    env: 'TOGO_GRANT',
    describe:
      'client_credentials: `togo token` gets a machine token when no stored session can serve, as with --client-credentials',
  },
};

/** The grants an environment may make `togo token` fall back to (the `grant` setting). */
export const GRANTS = ['client_credentials'] as const;

/** Names of the variables that are not settings but steer resolution. */
export const ENV_VARS = {
  environment: 'TOGO_ENV',
  configFile: 'TOGO_CONFIG',
  clientSecret: 'TOGO_CLIENT_SECRET',
  mockIssuer: 'TOGO_MOCK_ISSUER',
} as const;

/** One named environment, as a config file or the built-in list defines it. */
export interface EnvironmentDef extends SettingValues {
  /** Another environment whose values fill in what this one leaves out. */
  extends?: string;
  description?: string;
}

/** The response types of OpenID Connect Core §3 (and OAuth's `token`, `none`), in canonical order. */
export const RESPONSE_TYPES = [
  'code',
  'id_token',
  'id_token token',
  'code id_token',
  'code token',
  'code id_token token',
  'token',
  'none',
] as const;

export const RESPONSE_MODES = ['query', 'fragment', 'form_post'] as const;

/** The built-in environments' names; no config file may define an environment of these names. */
export const BUILTIN_ENVIRONMENT_NAMES: readonly string[] = ['togo-production', 'togo-staging', 'mock'];

/** Where the emulator (`togo mock`) listens unless TOGO_MOCK_ISSUER says otherwise. */
export const DEFAULT_MOCK_ISSUER = 'http://127.0.0.1:4444/identity';

export const TOGO_PRODUCTION_ISSUER = 'https://id2.runswithtogo.com/identity';
export const TOGO_STAGING_ISSUER = 'https://id2-staging.runswithtogo.com';

/**
 * The built-in environments. A config file cannot redefine them (a file in a cloned repository must
 * not be able to move "togo-production" elsewhere); flags and TOGO_* variables override their
 * values, and a file environment may `extends` one of them under its own name.
 */
export function builtinEnvironments(
  env: Record<string, string | undefined>,
): Readonly<Record<string, EnvironmentDef>> {
  const togo: EnvironmentDef = {
    flavor: 'togo',
    // The Togo ID implicit-flow guide: response_type id_token, scope "openid email profile".
    responseType: 'id_token',
    scope: 'openid email profile',
    profile: 'togo',
    behaviourProfile: 'togo',
  };
  const mockIssuer = env[ENV_VARS.mockIssuer]?.trim() || DEFAULT_MOCK_ISSUER;
  return {
    'togo-production': {
      ...togo,
      description: 'Togo ID production',
      issuer: TOGO_PRODUCTION_ISSUER,
    },
    'togo-staging': {
      ...togo,
      description: 'Togo ID staging',
      issuer: TOGO_STAGING_ISSUER,
    },
    mock: {
      // Shaped like Togo ID, so the same flavor and request as production: the login page wrapping
      // the authorize URL, the implicit flow of the Togo ID guide.
      ...togo,
      description: `the local emulator (togo mock); ${ENV_VARS.mockIssuer} overrides the issuer`,
      issuer: mockIssuer,
      // IdentityServer's endpoint layout, which the emulator copies.
      authorizationEndpoint: `${trimSlash(mockIssuer)}/connect/authorize`,
      clientId: 'togo-cli',
      // A public native client: the emulator accepts any port on the loopback redirect (RFC 8252 §7.3).
      redirectUri: 'http://127.0.0.1/callback',
    },
  };
}

export function trimSlash(url: string): string {
  return url.endsWith('/') ? url.slice(0, -1) : url;
}
