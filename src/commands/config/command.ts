import type { Command } from 'commander';
import { addConfigFlags, configFlags } from '../shared/config-flags.js';
import { type CommandMeta, examples, type Runner } from '../shared/kit.js';

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
      await runner.run(command, 'config', [configFlags(opts)]);
    });
}
