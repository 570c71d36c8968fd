/** Configuration every command shares: settings, where each came from, environments. */
export { CONFIG_FILE_NAME, type ConfigFile, type ConfigOrigin, parseConfigFile } from './file.js';
export {
  configFilePaths,
  defaultConfigHome,
  loadConfigFiles,
  type ResolveConfigInput,
  resolveConfig,
} from './load.js';
export {
  type ConfigFlags,
  clientSecretOf,
  type EnvironmentInfo,
  howToSet,
  normaliseResponseType,
  pinnedIssuer,
  type ResolvedConfig,
  type ResolveSettingsInput,
  resolveSettings,
  type Settings,
  type Source,
  type SourcedKey,
  type SupplyingFile,
} from './resolve.js';
export {
  builtinEnvironments,
  DEFAULT_MOCK_ISSUER,
  ENV_VARS,
  type EnvironmentDef,
  FLAVORS,
  type Flavor,
  RESPONSE_MODES,
  RESPONSE_TYPES,
  SETTING_KEYS,
  SETTINGS,
  type SettingKey,
  type SettingValues,
} from './settings.js';
