import type { Command } from 'commander';
import { revokeMeta } from '../meta.js';
import { runWithConfig } from '../shared/config-flags.js';
import { commandFor, examples, type Runner } from '../shared/kit.js';
import { addTokenRequestFlags } from '../shared/token-request.js';

export function declareRevoke(program: Command, runner: Runner): void {
  const cmd = commandFor(program, revokeMeta);
  addTokenRequestFlags(cmd, 'revoke')
    .addHelpText(
      'after',
      examples(
        'togo revoke --session session.json',
        'togo revoke --session session.json --use refresh_token',
        'TOGO_CLIENT_SECRET=… togo revoke --client-id my-app --token "$ACCESS_TOKEN" --token-type-hint access_token',
      ),
    )
    .action(runWithConfig(runner, 'revoke'));
}
