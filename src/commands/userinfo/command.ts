import type { Command } from 'commander';
import { addConfigFlags, runWithConfig } from '../shared/config-flags.js';
import { addNetworkFlags, addTokenFlags } from '../shared/flags.js';
import { type CommandMeta, commandFor, examples, type Runner } from '../shared/kit.js';
import type { NetworkFlags, TokenFlags } from '../shared/session.js';

export interface UserinfoFlags extends TokenFlags, NetworkFlags {
  idToken?: string;
}

export const userinfoMeta: CommandMeta = {
  name: 'userinfo',
  summary: "call the provider's userinfo endpoint with the access token; check sub against the ID token",
};

export function declareUserinfo(program: Command, runner: Runner): void {
  const cmd = commandFor(
    program,
    userinfoMeta,
    "Call the userinfo endpoint (from the issuer's discovery document) with `Authorization: Bearer <access token>` and show the claims as togo decode does, Togo ID's `user` claim expanded. JSON and signed (application/jwt) responses are read; a signed one is verified like any token: the signature with the provider's keys, iss, aud (the client id) and its times.",
    "When an ID token is at hand (the session file's, or --id-token), the userinfo sub must equal the ID token's (OpenID Connect Core §5.3.2): a mismatch exits 1. A 401 exits 3: the access token expired or lacks the openid scope.",
  );
  addTokenFlags(addConfigFlags(cmd, ['issuer', 'clientId']), 'access token to send')
    .option('--id-token <token>', "ID token whose sub the userinfo sub must match (default: the session's)")
    .addHelpText(
      'after',
      examples(
        'togo userinfo --session session.json',
        'togo userinfo --env togo-staging --token "$ACCESS_TOKEN" --id-token "$ID_TOKEN"',
        'TOGO_TOKEN=$ACCESS_TOKEN togo userinfo --issuer https://id2.runswithtogo.com/identity --json | jq .claims.email',
      ),
    );
  addNetworkFlags(cmd).action(runWithConfig(runner, 'userinfo'));
}
