import type { Command } from 'commander';
import type { ConfigOptionValues } from '../../config/resolve.js';
import { configFlags } from '../shared/config-flags.js';
import type { CommandMeta, Runner } from '../shared/kit.js';
import { examples } from '../shared/kit.js';
import { addTokenRequestFlags, type TokenRequestFlags } from '../shared/token-request.js';

export const revokeMeta: CommandMeta = {
  name: 'revoke',
  summary: 'revoke an access or refresh token at the provider (RFC 7009)',
};

export function declareRevoke(program: Command, runner: Runner): void {
  const cmd = program
    .command(revokeMeta.name)
    .summary(revokeMeta.summary)
    .description(
      [
        "POST the token to the provider's revocation_endpoint (from discovery), authenticating the client as togo introspect does (TOGO_CLIENT_SECRET for a confidential client).",
        'The token is never printed: togo names it by kind, subject and a short SHA-256 fingerprint. The provider answers 200 for tokens it does not know too (RFC 7009 §2.2); `togo introspect` tells whether a token is still active.',
      ].join('\n\n'),
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
    .action(
      async (opts: TokenRequestFlags & ConfigOptionValues & Record<string, unknown>, command: Command) => {
        await runner.run(command, 'revoke', [configFlags(opts), opts]);
      },
    );
}
