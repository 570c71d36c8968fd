import type { Command } from 'commander';
import { runWithConfig } from '../shared/config-flags.js';
import { type CommandMeta, commandFor, examples, type Runner } from '../shared/kit.js';
import { addTokenRequestFlags } from '../shared/token-request.js';

export const revokeMeta: CommandMeta = {
  name: 'revoke',
  summary: 'revoke an access or refresh token at the provider (RFC 7009)',
};

export function declareRevoke(program: Command, runner: Runner): void {
  const cmd = commandFor(
    program,
    revokeMeta,
    "POST the token to the provider's revocation_endpoint (from discovery), authenticating the client as togo introspect does (TOGO_CLIENT_SECRET for a confidential client).",
    'The token is never printed: togo names it by kind, subject and a short SHA-256 fingerprint. The provider answers 200 for tokens it does not know too (RFC 7009 §2.2); `togo introspect` tells whether a token is still active.',
  );
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
