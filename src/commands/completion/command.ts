import { Argument, type Command } from 'commander';
import { type CommandMeta, examples, type Runner } from '../shared/kit.js';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

export const completionMeta: CommandMeta = {
  name: 'completion',
  summary: 'print a shell completion script (bash, zsh, fish)',
  args: '<shell>',
  words: SHELLS,
};

export function declareCompletion(program: Command, runner: Runner): void {
  program
    .command(completionMeta.name)
    .summary(completionMeta.summary)
    .description(
      [
        'Print a completion script for bash, zsh or fish, generated from the command tree: commands, flags, environment names (built-in and from your config files), the values of --use, --response-type, --response-mode, --flavor and the fault names of `togo mock --fault`.',
        'Install: bash: `togo completion bash > ~/.local/share/bash-completion/completions/togo`; zsh: `source <(togo completion zsh)` in ~/.zshrc; fish: `togo completion fish > ~/.config/fish/completions/togo.fish`. Environment names are read when the script is generated: run it again after `togo config add-env`.',
      ].join('\n\n'),
    )
    .addArgument(new Argument('<shell>', 'the shell: bash, zsh or fish').choices(SHELLS))
    .addHelpText('after', examples('togo completion bash', 'togo completion fish'))
    .action(async (shell: Shell, _opts: Record<string, unknown>, command: Command) => {
      // The program itself is handed over, its global flags completed too, and every command.
      await runner.run(command, 'completion', [shell, command.parent, runner.commands]);
    });
}
