import { type Command, Option } from 'commander';
import type { ConfigFlags } from '../../config/resolve.js';
import { SETTING_KEYS, SETTINGS } from '../../config/settings.js';
import { examples } from '../program.js';
import type { CommandMeta, Runner } from '../run.js';

/** The flags every command that talks to a provider shares; see src/config for their precedence. */
export interface ConfigOptionValues extends ConfigFlags {
  config?: string;
}

/**
 * Adds --env, --config and one flag per setting (--issuer, --client-id, …) to a command. Commands
 * pass what they get to `configFlags()` and then to `resolveConfig`.
 */
export function addConfigFlags(
  cmd: Command,
  only: readonly (typeof SETTING_KEYS)[number][] = SETTING_KEYS,
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
    cmd.addOption(new Option(`${spec.flag} <${placeholder}>`, `${spec.describe} [${spec.env}]`));
  }
  return cmd;
}

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

export const configMeta: CommandMeta = {
  name: 'config',
  summary: 'show the settings in effect and where each came from',
};

export function declareConfig(program: Command, runner: Runner): void {
  const cmd = program
    .command(configMeta.name)
    .summary(configMeta.summary)
    .description(
      [
        'Show the resolved settings (issuer, client id, redirect URI, …) and the source of each one.',
        'Precedence, highest first: flags; environment variables (TOGO_ISSUER, TOGO_CLIENT_ID, …); the selected environment in ./togo.config.json, then in the user config directory ($XDG_CONFIG_HOME/togo/togo.config.json, else ~/.config/togo/togo.config.json); the built-in environment of that name; defaults.',
        'The environment is --env, else TOGO_ENV, else the file\'s "defaultEnvironment", else togo-production (unless an issuer is given). Secrets such as TOGO_CLIENT_SECRET are read only from the environment and never printed.',
      ].join('\n\n'),
    );
  addConfigFlags(cmd)
    .addHelpText(
      'after',
      examples('togo config', 'togo config --env togo-staging', 'TOGO_ENV=mock togo config --json'),
    )
    .action(async (opts: Record<string, unknown>, command: Command) => {
      await runner.run(command, async (ctx) => {
        const { configCommand } = await import('../../commands/config.js');
        return configCommand(ctx, configFlags(opts));
      });
    });
}
