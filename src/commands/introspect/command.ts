import type { Command } from 'commander';
import { runWithConfig } from '../shared/config-flags.js';
import { type CommandMeta, commandFor, examples, type Runner } from '../shared/kit.js';
import { addTokenRequestFlags } from '../shared/token-request.js';

export const introspectMeta: CommandMeta = {
  name: 'introspect',
  summary: 'ask the provider whether a token is active (RFC 7662) and what it grants',
};

export function declareIntrospect(program: Command, runner: Runner): void {
  const cmd = commandFor(
    program,
    introspectMeta,
    "POST the token to the provider's introspection_endpoint (from discovery) and show the answer: active, scope, client, subject, expiry as a readable date.",
    'The client authenticates as it would at the token endpoint: with TOGO_CLIENT_SECRET set, client_secret_basic (client_secret_post when the provider does not list basic); without it, as a public client (client_id in the body), which providers let introspect only its own tokens.',
    'Exit 0 when the token is active, 1 when it is not (expired, revoked, unknown), 3 when the provider refuses or fails.',
  );
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
