import { TogoError } from '../errors.js';
import { type ConfigFile, type ConfigOrigin, suggest } from './file.js';
import {
  builtinEnvironments,
  ENV_VARS,
  type EnvironmentDef,
  FLAVORS,
  type Flavor,
  GRANTS,
  RESPONSE_MODES,
  RESPONSE_TYPES,
  SETTING_KEYS,
  SETTINGS,
  type SettingKey,
  type SettingValues,
  trimSlash,
} from './settings.js';

/** Where a value came from, for `togo config` and for error messages. */
export interface Source {
  kind: 'flag' | 'env' | 'file' | 'builtin' | 'derived' | 'default';
  /** Human-readable: `--issuer`, `TOGO_ISSUER`, `./togo.config.json (environment "dev")`, … */
  label: string;
  /** The config file, for kind "file". */
  path?: string;
  /** Who chose that file, for kind "file". */
  origin?: ConfigOrigin;
}

/** A config file that supplied at least one setting, and who chose it. */
export interface SupplyingFile {
  path: string;
  origin: ConfigOrigin;
}

/** The settings in effect once every source has been consulted. */
export interface Settings {
  /** The environment whose values were used, if any. */
  environment?: string;
  issuer?: string;
  loginBase?: string;
  authorizationEndpoint?: string;
  clientId?: string;
  redirectUri?: string;
  scope: string;
  responseType: string;
  responseMode?: string;
  flavor: Flavor;
  profile: string;
  behaviourProfile: string;
  /** What `togo token` falls back to when no stored session can serve. */
  grant?: (typeof GRANTS)[number];
  /** Only ever from TOGO_CLIENT_SECRET; never printed. */
  clientSecret?: string;
}

export type SourcedKey = SettingKey | 'environment' | 'clientSecret';

export interface EnvironmentInfo {
  name: string;
  description?: string;
  /** `built-in` or the config file that defines it (the first one, when both do). */
  definedIn: string;
}

export interface ResolvedConfig {
  settings: Settings;
  sources: Partial<Record<SourcedKey, Source>>;
  /** The config files that were read, highest precedence first. */
  files: string[];
  /** Every environment one could select with --env. */
  environments: EnvironmentInfo[];
  /** The config files that supplied a setting (or chose the environment); said on stderr and in --json. */
  supplyingFiles: SupplyingFile[];
  /**
   * Set when TOGO_CLIENT_SECRET is in the environment but the issuer comes from a config file in
   * the working directory (not named by the user): the secret is withheld from `settings` and
   * clientSecretOf() refuses, unless trustDirectoryConfig was given.
   */
  secretWithheld?: { file: string };
}

/** Flag values: the settings plus the environment to select. */
export type ConfigFlags = SettingValues & {
  env?: string;
  /** The user confirms that a config file in the working directory may choose where secrets go. */
  trustDirectoryConfig?: boolean;
};

/** The provider-settings flags as a command receives them: the settings, --env and --config. */
export interface ConfigOptionValues extends ConfigFlags {
  config?: string;
}

export interface ResolveSettingsInput {
  flags?: ConfigFlags;
  env: Record<string, string | undefined>;
  /** Parsed config files, highest precedence first (working directory, then user directory). */
  files?: ConfigFile[];
}

interface Layer {
  values: EnvironmentDef;
  source: Source;
}

/**
 * Resolves the settings from their sources, highest first: flags, environment variables, the
 * selected environment (config files, then the built-in definition of the same name, then what it
 * `extends`), values derived from the issuer, defaults. Pure: the caller reads the files.
 *
 * The environment is `--env`, else TOGO_ENV, else a config file's `defaultEnvironment`, else
 * `togo-production` — the last only when no issuer is given, so `--issuer` alone never inherits
 * Togo's settings.
 */
export function resolveSettings(input: ResolveSettingsInput): ResolvedConfig {
  const flags = input.flags ?? {};
  const files = input.files ?? [];
  const builtins = builtinEnvironments(input.env);
  const sources: Sources = {};
  const chosen = chooseEnvironment(flags, input.env, files);
  if (chosen) sources.environment = chosen.source;
  const layers = chosen?.name ? environmentLayers(chosen.name, files, builtins, chosen.source) : [];
  const values = valuesFromSources(flags, input.env, layers, sources);
  fillDefaults(values, sources);
  const settings = settingsOf(values, chosen?.name);
  const secretWithheld = applyClientSecret(settings, flags, input.env, sources);
  return {
    settings,
    sources,
    files: files.map((f) => f.path),
    environments: listEnvironments(files, builtins),
    supplyingFiles: supplyingFiles(sources),
    ...(secretWithheld ? { secretWithheld } : {}),
  };
}

type Sources = Partial<Record<SourcedKey, Source>>;

const fromFlag = (flags: ConfigFlags, key: SettingKey): string | undefined => clean(flags[key]);
const fromEnv = (env: ResolveSettingsInput['env'], key: SettingKey): string | undefined =>
  clean(env[SETTINGS[key].env]);

/**
 * The environment: --env, else TOGO_ENV, else a config file's `defaultEnvironment`, else
 * `togo-production` when no issuer is given by flag or variable.
 */
function chooseEnvironment(
  flags: ConfigFlags,
  env: ResolveSettingsInput['env'],
  files: ConfigFile[],
): { name: string; source: Source } | undefined {
  const envFlag = clean(flags.env);
  if (envFlag) return { name: envFlag, source: { kind: 'flag', label: '--env' } };
  const envVar = clean(env[ENV_VARS.environment]);
  if (envVar) return { name: envVar, source: { kind: 'env', label: ENV_VARS.environment } };
  const fileDefault = files.find((f) => f.defaultEnvironment !== undefined);
  if (fileDefault) {
    return {
      name: fileDefault.defaultEnvironment!,
      source: {
        kind: 'file',
        label: `${fileDefault.path} (defaultEnvironment)`,
        path: fileDefault.path,
        origin: fileDefault.origin ?? 'directory',
      },
    };
  }
  if (!fromFlag(flags, 'issuer') && !fromEnv(env, 'issuer')) {
    return { name: 'togo-production', source: { kind: 'default', label: 'default' } };
  }
  return undefined;
}

/** Each setting from its highest source (flag, variable, then the environment's layers), checked. */
function valuesFromSources(
  flags: ConfigFlags,
  env: ResolveSettingsInput['env'],
  layers: Layer[],
  sources: Sources,
): SettingValues {
  const values: SettingValues = {};
  for (const key of SETTING_KEYS) {
    const flag = fromFlag(flags, key);
    const envValue = fromEnv(env, key);
    if (flag !== undefined) {
      values[key] = check(key, flag, () => `${SETTINGS[key].flag}`, 'USAGE');
      sources[key] = { kind: 'flag', label: SETTINGS[key].flag };
      continue;
    }
    if (envValue !== undefined) {
      values[key] = check(key, envValue, () => SETTINGS[key].env, 'USAGE');
      sources[key] = { kind: 'env', label: SETTINGS[key].env };
      continue;
    }
    for (const layer of layers) {
      const v = clean(layer.values[key]);
      if (v === undefined) continue;
      values[key] = check(
        key,
        v,
        () => `${layer.source.label}: ${key}`,
        layer.source.kind === 'file' ? 'CONFIG_INVALID' : 'USAGE',
      );
      sources[key] = layer.source;
      break;
    }
  }
  return values;
}

/** Defaults, and values that follow from others (the Togo flavor's endpoints from the issuer). */
function fillDefaults(values: SettingValues, sources: Sources): void {
  const setDefault = (key: SettingKey, value: string | undefined, source: Source) => {
    if (values[key] === undefined && value !== undefined) {
      values[key] = value;
      sources[key] = source;
    }
  };
  const byDefault: Source = { kind: 'default', label: 'default' };
  setDefault('flavor', 'standard', byDefault);
  const flavor = values.flavor as Flavor;
  if (flavor === 'togo' && values.issuer) {
    // The Togo login page lives under the issuer (`<issuer>/login`), and IdentityServer's authorize
    // endpoint at `<issuer>/connect/authorize` (oidc-rules §4).
    const fromIssuer: Source = { kind: 'derived', label: 'derived from issuer' };
    setDefault('loginBase', trimSlash(values.issuer), fromIssuer);
    setDefault('authorizationEndpoint', `${trimSlash(values.issuer)}/connect/authorize`, fromIssuer);
  }
  setDefault('responseType', flavor === 'togo' ? 'id_token' : 'code', byDefault);
  setDefault('scope', flavor === 'togo' ? 'openid email profile' : 'openid', byDefault);
  setDefault('profile', 'togo', byDefault);
  setDefault('behaviourProfile', 'togo', byDefault);
}

/** The settings in effect, from the values once defaults are filled in. */
function settingsOf(values: SettingValues, environment: string | undefined): Settings {
  const settings: Settings = {
    ...(environment ? { environment } : {}),
    scope: values.scope!,
    responseType: values.responseType!,
    flavor: values.flavor as Flavor,
    profile: values.profile!,
    behaviourProfile: values.behaviourProfile!,
  };
  for (const key of [
    'issuer',
    'loginBase',
    'authorizationEndpoint',
    'clientId',
    'redirectUri',
    'responseMode',
  ] as const) {
    if (values[key] !== undefined) settings[key] = values[key];
  }
  if (values.grant !== undefined) settings.grant = values.grant as Settings['grant'];
  return settings;
}

/**
 * A secret from the environment goes only to an issuer the user named (flag, TOGO_*, their own or
 * a named config file, a built-in environment), never to one a file in the working directory chose:
 * then it is withheld, and the file that chose the issuer returned.
 */
function applyClientSecret(
  settings: Settings,
  flags: ConfigFlags,
  env: ResolveSettingsInput['env'],
  sources: Sources,
): ResolvedConfig['secretWithheld'] {
  const secret = env[ENV_VARS.clientSecret];
  if (!secret) return undefined;
  sources.clientSecret = { kind: 'env', label: ENV_VARS.clientSecret };
  const issuerSource = sources.issuer;
  if (issuerSource?.kind === 'file' && issuerSource.origin === 'directory' && !flags.trustDirectoryConfig) {
    return { file: issuerSource.path ?? issuerSource.label };
  }
  settings.clientSecret = secret;
  return undefined;
}

/** The config files that supplied a setting (or chose the environment), each once, in the order first used. */
function supplyingFiles(sources: Sources): SupplyingFile[] {
  const supplying = new Map<string, SupplyingFile>();
  for (const source of Object.values(sources)) {
    if (source?.kind === 'file' && source.path && !supplying.has(source.path)) {
      supplying.set(source.path, { path: source.path, origin: source.origin ?? 'directory' });
    }
  }
  return [...supplying.values()];
}

/**
 * TOGO_CLIENT_SECRET, when togo may send it to the resolved issuer's endpoints; undefined when it
 * is not set. Throws SECRET_ISSUER_UNTRUSTED when the issuer came from a config file in the working
 * directory that the user did not confirm (see ResolvedConfig.secretWithheld).
 */
export function clientSecretOf(resolved: ResolvedConfig): string | undefined {
  if (resolved.secretWithheld) {
    throw new TogoError(
      'SECRET_ISSUER_UNTRUSTED',
      `TOGO_CLIENT_SECRET is set, but the issuer ${resolved.settings.issuer ?? ''} comes from ${resolved.secretWithheld.file}, a config file in the current directory: the secret is not sent there`,
    );
  }
  return resolved.settings.clientSecret;
}

/**
 * The issuer the user pinned, if any: by flag or TOGO_* variable, by their own or a named config
 * file, or as a built-in environment they selected. The default environment, and a config file
 * found in the working directory, pin nothing.
 */
export function pinnedIssuer(resolved: ResolvedConfig): { issuer: string; by: string } | undefined {
  const { issuer } = resolved.settings;
  const source = resolved.sources.issuer;
  if (!issuer || !source) return undefined;
  const chosenByUser = (s: Source | undefined) =>
    s !== undefined &&
    (s.kind === 'flag' ||
      s.kind === 'env' ||
      (s.kind === 'file' && s.origin !== undefined && s.origin !== 'directory'));
  if (chosenByUser(source)) return { issuer, by: source.label };
  if (source.kind === 'builtin' && chosenByUser(resolved.sources.environment)) {
    return { issuer, by: `${source.label}, selected by ${resolved.sources.environment!.label}` };
  }
  return undefined;
}

/** The layers of one environment, highest first, following `extends`. */
function environmentLayers(
  name: string,
  files: ConfigFile[],
  builtins: Readonly<Record<string, EnvironmentDef>>,
  selectedBy: Source,
  seen: string[] = [],
): Layer[] {
  if (seen.includes(name)) {
    throw new TogoError(
      'CONFIG_INVALID',
      `environment "${name}" extends itself: ${[...seen, name].join(' → ')}`,
    );
  }
  const layers: Layer[] = [];
  for (const file of files) {
    // Own properties only: "constructor" or "toString" is no environment.
    const def = Object.hasOwn(file.environments, name) ? file.environments[name] : undefined;
    if (def) {
      layers.push({
        values: def,
        source: {
          kind: 'file',
          label: `${file.path} (environment "${name}")`,
          path: file.path,
          origin: file.origin ?? 'directory',
        },
      });
    }
  }
  const builtin = Object.hasOwn(builtins, name) ? builtins[name] : undefined;
  if (builtin)
    layers.push({ values: builtin, source: { kind: 'builtin', label: `built-in environment "${name}"` } });
  if (layers.length === 0) {
    const known = listEnvironments(files, builtins).map((e) => e.name);
    const from =
      seen.length > 0 ? `environment "${seen[seen.length - 1]}" extends` : `${selectedBy.label} names`;
    const near = suggest(name, known);
    throw new TogoError(
      seen.length > 0 || selectedBy.kind === 'file' ? 'CONFIG_INVALID' : 'USAGE',
      `${from} an unknown environment "${name}"${near ? ` (did you mean "${near}"?)` : ''}`,
      { hint: `Known environments: ${known.join(', ')}. Define more in togo.config.json.` },
    );
  }
  const parent = layers.map((l) => l.values.extends).find((e) => e !== undefined);
  if (parent) layers.push(...environmentLayers(parent, files, builtins, selectedBy, [...seen, name]));
  return layers;
}

function listEnvironments(
  files: ConfigFile[],
  builtins: Readonly<Record<string, EnvironmentDef>>,
): EnvironmentInfo[] {
  const out = new Map<string, EnvironmentInfo>();
  for (const file of files) {
    for (const [name, def] of Object.entries(file.environments)) {
      if (!out.has(name)) {
        out.set(name, {
          name,
          definedIn: file.path,
          ...(def.description ? { description: def.description } : {}),
        });
      }
    }
  }
  for (const [name, def] of Object.entries(builtins)) {
    if (!out.has(name)) {
      out.set(name, {
        name,
        definedIn: 'built-in',
        ...(def.description ? { description: def.description } : {}),
      });
    }
  }
  return [...out.values()];
}

function clean(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v === undefined || v === '' ? undefined : v;
}

/** Checks one value's syntax; the error names where the value came from. */
function check(
  key: SettingKey,
  value: string,
  where: () => string,
  code: 'USAGE' | 'CONFIG_INVALID',
): string {
  const bad = (problem: string, hint?: string): never => {
    throw new TogoError(code, `${where()}: ${problem}`, hint ? { hint } : {});
  };
  switch (key) {
    case 'issuer':
    case 'loginBase':
    case 'authorizationEndpoint': {
      if (!isHttpUrl(value)) bad(`"${value}" is not an http(s) URL`);
      return key === 'loginBase' ? trimSlash(value) : value;
    }
    case 'redirectUri': {
      if (!URL.canParse(value)) bad(`"${value}" is not an absolute URI`);
      return value;
    }
    case 'flavor': {
      if (!(FLAVORS as readonly string[]).includes(value))
        bad(`flavor must be ${FLAVORS.join(' or ')}, not "${value}"`);
      return value;
    }
    case 'responseType': {
      const normal = normaliseResponseType(value);
      if (!normal) {
        bad(
          `unknown response type "${value}"`,
          `Use one of: ${RESPONSE_TYPES.map((t) => `"${t}"`).join(', ')}.`,
        );
      }
      return normal!;
    }
    case 'responseMode': {
      if (!(RESPONSE_MODES as readonly string[]).includes(value)) {
        bad(`response mode must be ${RESPONSE_MODES.join(', ')}, not "${value}"`);
      }
      return value;
    }
    case 'grant': {
      if (!(GRANTS as readonly string[]).includes(value)) {
        bad(`grant must be ${GRANTS.join(' or ')}, not "${value}"`, "Leave it out for a person's login.");
      }
      return value;
    }
    case 'scope':
      return value.split(/\s+/).filter(Boolean).join(' ');
    default:
      return value;
  }
}

/**
 * The canonical spelling of a response type (OAuth 2.0 Multiple Response Types: the order of the
 * space-separated values does not matter), or undefined when it is not one togo knows. `+` and `,`
 * are accepted as separators for convenience on the command line.
 */
export function normaliseResponseType(value: string): string | undefined {
  const parts = value.split(/[\s+,]+/).filter(Boolean);
  const key = [...parts].sort().join(' ');
  return RESPONSE_TYPES.find(
    (t) => t.split(' ').sort().join(' ') === key && parts.length === t.split(' ').length,
  );
}

/** An absolute http: or https: URL. */
export function isHttpUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const u = new URL(value);
  return u.protocol === 'https:' || u.protocol === 'http:';
}

/** Where to set a missing setting, for error hints. */
export function howToSet(key: SettingKey): string {
  return `Pass ${SETTINGS[key].flag}, set ${SETTINGS[key].env}, or add "${key}" to an environment in togo.config.json.`;
}
