/** Configuration every command shares: settings, where each came from, environments. */
export { CONFIG_FILE_NAME, type ConfigFile, parseConfigFile } from './file.js';
export {
  configFilePaths,
  defaultConfigHome,
  loadConfigFiles,
  type ResolveConfigInput,
  resolveConfig,
} from './load.js';
export {
  type ConfigFlags,
  type EnvironmentInfo,
  howToSet,
  normaliseResponseType,
  type ResolvedConfig,
  type ResolveSettingsInput,
  resolveSettings,
  type Settings,
  type Source,
  type SourcedKey,
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
