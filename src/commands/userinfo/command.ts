import type { Command } from 'commander';
import { userinfoMeta } from '../meta.js';
import { addConfigFlags, runWithConfig } from '../shared/config-flags.js';
import { addNetworkFlags, addTokenFlags } from '../shared/flags.js';
import { commandFor, examples, type Runner } from '../shared/kit.js';
import type { NetworkFlags, TokenFlags } from '../shared/session.js';

export interface UserinfoFlags extends TokenFlags, NetworkFlags {
  idToken?: string;
}

export function declareUserinfo(program: Command, runner: Runner): void {
  const cmd = commandFor(program, userinfoMeta);
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
