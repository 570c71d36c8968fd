import type { Command } from 'commander';
import { SETTING_KEYS } from '../../config/settings.js';
import { CONFIG_ACTIONS, configMeta } from '../meta.js';
import { addConfigFlags, configFlags } from '../shared/config-flags.js';
import { commandFor, examples, type Runner } from '../shared/kit.js';

export { CONFIG_ACTIONS };

/** What `togo config` does besides showing the settings. */
export interface ConfigEditFlags {
  project?: boolean;
  extends?: string;
  description?: string;
}

export function declareConfig(program: Command, runner: Runner): void {
  const cmd = commandFor(program, configMeta)
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
