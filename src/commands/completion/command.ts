import { Argument, type Command } from 'commander';
import { completionMeta, SHELLS } from '../meta.js';
import { commandFor, examples, type Runner } from '../shared/kit.js';

export { SHELLS };

export type Shell = (typeof SHELLS)[number];

export function declareCompletion(program: Command, runner: Runner): void {
  commandFor(program, completionMeta)
    .addArgument(new Argument('<shell>', 'the shell: bash, zsh or fish').choices(SHELLS))
    .addHelpText('after', examples('togo completion bash', 'togo completion fish'))
    .action(async (shell: Shell, _opts: Record<string, unknown>, command: Command) => {
      // The program itself is handed over, its global flags completed too, and every command.
      await runner.run(command, 'completion', [shell, command.parent, runner.commands]);
    });
}
