/**
 * The provider settings every networked command shares: --env, --config and one flag per setting
 * (--issuer, --client-id, …). Their precedence is src/config's.
 */
import { type Command, Option } from 'commander';
import type { ConfigOptionValues } from '../../config/resolve.js';
import { SETTING_KEYS, SETTINGS } from '../../config/settings.js';
import { parseUrlFlag } from './kit.js';

/**
 * Adds --env, --config and one flag per setting (--issuer, --client-id, …) to a command. Commands
 * pass what they get to `configFlags()` and then to `resolveConfig`.
 */
export function addConfigFlags(
  cmd: Command,
  only: readonly (typeof SETTING_KEYS)[number][] = REQUEST_SETTING_KEYS,
): Command {
  cmd.option(
    '--env <name>',
    'environment to use: togo-production, togo-staging, mock, or one from togo.config.json',
  );
  cmd.option('--config <file>', 'read this config file instead of ./togo.config.json and the user one');
  cmd.option(
    '--trust-directory-config',
    'let ./togo.config.json choose the issuer that receives TOGO_CLIENT_SECRET (only for a directory you own)',
  );
  for (const key of only) {
    const spec = SETTINGS[key];
    const placeholder = PLACEHOLDERS[key];
    const option = new Option(`${spec.flag} <${placeholder}>`, `${spec.describe} [${spec.env}]`);
    if (key === 'issuer') option.argParser(parseUrlFlag(spec.flag));
    cmd.addOption(option);
  }
  return cmd;
}

/** The settings of a login request: every one but `grant`, which only `togo token` and `togo config` read. */
const REQUEST_SETTING_KEYS = SETTING_KEYS.filter((k) => k !== 'grant');

const PLACEHOLDERS: Record<(typeof SETTING_KEYS)[number], string> = {
  issuer: 'url',
  loginBase: 'url',
  authorizationEndpoint: 'url',
  clientId: 'id',
  redirectUri: 'uri',
  scope: 'scopes',
  responseType: 'type',
  responseMode: 'mode',
  flavor: 'togo|standard',
  profile: 'name',
  behaviourProfile: 'name',
  grant: 'grant',
};

/** Picks the config flags out of a command's options. */
export function configFlags(opts: Record<string, unknown>): ConfigOptionValues {
  const out: ConfigOptionValues = {};
  for (const key of [...SETTING_KEYS, 'env', 'config'] as const) {
    const v = opts[key];
    if (typeof v === 'string') out[key] = v;
  }
  if (opts.trustDirectoryConfig === true) out.trustDirectoryConfig = true;
  return out;
}

// Kept apart from the flags (commander) so that a command's body can read its settings without
// loading commander a second time; re-exported for the commands that import it from here.
export { settingsWhere } from './config-where.js';
