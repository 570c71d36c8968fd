import type { Command } from 'commander';
import { SETTING_KEYS } from '../../config/settings.js';
import { addConfigFlags, configFlags } from '../shared/config-flags.js';
import { type CommandMeta, examples, type Runner } from '../shared/kit.js';

/** What `togo config` does besides showing the settings. */
export const CONFIG_ACTIONS = ['show', 'list', 'set', 'unset', 'add-env', 'use'] as const;
export type ConfigAction = (typeof CONFIG_ACTIONS)[number];

export interface ConfigEditFlags {
  project?: boolean;
  extends?: string;
  description?: string;
}

export const configMeta: CommandMeta = {
  name: 'config',
  summary: 'show and change the settings: environments, the default one, each value',
  args: '[action] [args...]',
  words: CONFIG_ACTIONS,
};

export function declareConfig(program: Command, runner: Runner): void {
  const cmd = program
    .command(configMeta.name)
    .summary(configMeta.summary)
    .description(
      [
        'Show the resolved settings (issuer, client id, redirect URI, …) and the source of each one, or change them.',
        'Actions: show (the default): the settings in effect. list: the environments with their issuer and client, the current one marked. set KEY VALUE: a setting of the current environment (--env, else the default one). unset KEY: remove it. add-env NAME --issuer URL --client-id ID [--extends ENV]: a new environment. use NAME: make it the default environment.',
        'Changes go to the user config file ($XDG_CONFIG_HOME/togo/togo.config.json, else ~/.config/togo/togo.config.json), to the file named by --config or TOGO_CONFIG, or with --project to ./togo.config.json. The file is rewritten whole, keeping the order of its keys, and replaced in one step; secrets are never written (TOGO_CLIENT_SECRET stays in the environment). Built-in environments (togo-production, togo-staging, mock) are not changed: add your own with --extends.',
        'Precedence, highest first: flags; environment variables (TOGO_ISSUER, TOGO_CLIENT_ID, …); the selected environment in ./togo.config.json, then in the user config directory; the built-in environment of that name; defaults. The environment is --env, else TOGO_ENV, else the file\'s "defaultEnvironment", else togo-production (unless an issuer is given).',
      ].join('\n\n'),
    )
    .argument('[action]', `${CONFIG_ACTIONS.join(', ')} (default show)`)
    .argument('[args...]', "the action's arguments: KEY VALUE, KEY or NAME");
  addConfigFlags(cmd, SETTING_KEYS)
    .option('--project', 'change ./togo.config.json instead of the user config file')
    .option('--extends <env>', 'add-env: the environment the new one starts from')
    .option('--description <text>', 'add-env: a line describing the environment')
    .addHelpText(
      'after',
      examples(
        'togo config',
        'togo config --env togo-staging',
        'togo config list',
        'TOGO_ENV=mock togo config --json',
      ),
    )
    .action(
      async (action: string | undefined, args: string[], opts: Record<string, unknown>, command: Command) => {
        await runner.run(command, 'config', [
          configFlags(opts),
          action ?? 'show',
          args,
          {
            ...(opts.project === true ? { project: true } : {}),
            ...(typeof opts.extends === 'string' ? { extends: opts.extends } : {}),
            ...(typeof opts.description === 'string' ? { description: opts.description } : {}),
          } satisfies ConfigEditFlags,
        ]);
      },
    );
}
