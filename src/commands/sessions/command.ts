import type { Command } from 'commander';
import { sessionsMeta } from '../meta.js';
import { commandFor, examples, type Runner } from '../shared/kit.js';

export function declareSessions(program: Command, runner: Runner): void {
  commandFor(program, sessionsMeta)
    .addHelpText('after', examples('togo sessions', 'togo sessions --json'))
    .action(async (_opts: Record<string, unknown>, command: Command) => {
      await runner.run(command, 'sessions', []);
    });
}
