import type { Command } from 'commander';
import { type CommandMeta, commandFor, examples, type Runner } from '../shared/kit.js';

export const sessionsMeta: CommandMeta = {
  name: 'sessions',
  summary: 'list the sessions `togo login` kept (never a token)',
};

export function declareSessions(program: Command, runner: Runner): void {
  commandFor(
    program,
    sessionsMeta,
    'List the sessions in the store ($XDG_STATE_HOME/togo, else ~/.local/state/togo): issuer, client, user, scopes, and when the access token expires. Tokens are never printed; `togo token` prints one.',
  )
    .addHelpText('after', examples('togo sessions', 'togo sessions --json'))
    .action(async (_opts: Record<string, unknown>, command: Command) => {
      await runner.run(command, 'sessions', []);
    });
}
