import type { Command } from 'commander';
import { introspectMeta } from '../meta.js';
import { runWithConfig } from '../shared/config-flags.js';
import { commandFor, examples, type Runner } from '../shared/kit.js';
import { addTokenRequestFlags } from '../shared/token-request.js';

export function declareIntrospect(program: Command, runner: Runner): void {
  const cmd = commandFor(program, introspectMeta);
  addTokenRequestFlags(cmd, 'introspect')
    .addHelpText(
      'after',
      examples(
        'TOGO_CLIENT_SECRET=… togo introspect --client-id my-app --session session.json',
        'TOGO_CLIENT_SECRET=togo-confidential-secret togo introspect --env mock --client-id togo-confidential --token "$ACCESS_TOKEN" --json | jq .response.active',
        'togo introspect --session session.json --use refresh_token',
      ),
    )
    .action(runWithConfig(runner, 'introspect'));
}
