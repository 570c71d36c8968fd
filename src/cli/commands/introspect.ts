import { type Command, Option } from 'commander';
import { examples } from '../program.js';
import type { CommandMeta, Runner } from '../run.js';
import {
  addNetworkFlags,
  addTokenFlags,
  type NetworkFlags,
  type TokenFlags,
  type TokenKind,
} from '../session.js';
import { addConfigFlags, type ConfigOptionValues, configFlags } from './config.js';

export interface TokenRequestFlags extends TokenFlags, NetworkFlags {
  use?: TokenKind;
  tokenTypeHint?: string;
}

/** The flags introspect and revoke share: which token, its hint, the client, the network. */
export function addTokenRequestFlags(cmd: Command, verb: string): Command {
  addTokenFlags(addConfigFlags(cmd, ['issuer', 'clientId']), `token to ${verb}`)
    .addOption(
      new Option('--use <kind>', "which of the session's tokens (default access_token)").choices([
        'access_token',
        'refresh_token',
        'id_token',
      ]),
    )
    .option(
      '--token-type-hint <hint>',
      'token_type_hint to send: access_token or refresh_token (default: the kind of token used)',
    );
  return addNetworkFlags(cmd);
}

export const introspectMeta: CommandMeta = {
  name: 'introspect',
  summary: 'ask the provider whether a token is active (RFC 7662) and what it grants',
};

export function declareIntrospect(program: Command, runner: Runner): void {
  const cmd = program
    .command(introspectMeta.name)
    .summary(introspectMeta.summary)
    .description(
      [
        "POST the token to the provider's introspection_endpoint (from discovery) and show the answer: active, scope, client, subject, expiry as a readable date.",
        'The client authenticates as it would at the token endpoint: with TOGO_CLIENT_SECRET set, client_secret_basic (client_secret_post when the provider does not list basic); without it, as a public client (client_id in the body), which providers let introspect only its own tokens.',
        'Exit 0 when the token is active, 1 when it is not (expired, revoked, unknown), 3 when the provider refuses or fails.',
      ].join('\n\n'),
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
    .action(
      async (opts: TokenRequestFlags & ConfigOptionValues & Record<string, unknown>, command: Command) => {
        await runner.run(command, async (ctx) => {
          const { introspectCommand } = await import('../../commands/introspect.js');
          return introspectCommand(ctx, configFlags(opts), opts);
        });
      },
    );
}
