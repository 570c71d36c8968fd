import type { Command } from 'commander';
import { demoMeta } from '../meta.js';
import { commandFor, examples, type Runner } from '../shared/kit.js';

export interface DemoFlags {
  responseType: string;
  user: string;
}

export function declareDemo(program: Command, runner: Runner): void {
  commandFor(program, demoMeta)
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
