import type { Command } from 'commander';
import type { CommandMeta, Runner } from '../shared/kit.js';
import { examples } from '../shared/kit.js';

export interface DemoFlags {
  responseType: string;
  user: string;
}

export const demoMeta: CommandMeta = {
  name: 'demo',
  summary: 'the whole login, offline: the built-in Togo ID emulator and a headless login against it',
};

export function declareDemo(program: Command, runner: Runner): void {
  program
    .command(demoMeta.name)
    .summary(demoMeta.summary)
    .description(
      'Start the Togo ID emulator in-process (the test user signs in automatically), run `togo login --headless` against it, and print the verified ID token with its organizations and roles. No network, no browser.',
    )
    .option('--response-type <type>', 'response type to log in with', 'id_token')
    .option('--user <email>', 'test user who signs in (joe@m.test or ada@m.test)', 'joe@m.test')
    .addHelpText(
      'after',
      examples(
        'togo demo',
        'togo demo --response-type "code id_token" --json',
        'togo demo --user ada@m.test',
      ),
    )
    .action(async (opts: DemoFlags, command: Command) => {
      await runner.run(command, 'demo', [opts, await runner.load('login')]);
    });
}
