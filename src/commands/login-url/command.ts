import type { Command } from 'commander';
import { loginUrlMeta } from '../meta.js';
import { type AuthorizeFlags, addAuthorizeFlags } from '../shared/authorize-flags.js';
import { addClientAuthFlags, type ClientAuthFlags } from '../shared/client-auth-flags.js';
import { addConfigFlags, runWithConfig } from '../shared/config-flags.js';
import { flag } from '../shared/flags.js';
import { commandFor, examples, type Runner } from '../shared/kit.js';

export interface LoginUrlFlags extends AuthorizeFlags, ClientAuthFlags {
  state?: string;
  nonce?: string;
  discoveryFile?: string;
  offline?: boolean;
  urlOnly?: boolean;
  open?: boolean;
  browser?: string;
  save?: string;
}

export function declareLoginUrl(program: Command, runner: Runner): void {
  const cmd = commandFor(program, loginUrlMeta);
  addClientAuthFlags(addAuthorizeFlags(addConfigFlags(cmd)))
    .option('--state <state>', 'use this state (Togo ID: 16-32 letters and digits) instead of a random one')
    .option('--nonce <nonce>', 'use this nonce instead of a random one')
    .option(
      '--discovery-file <file>',
      'discovery document to take the endpoint from and compare the request with',
    )
    .option('--offline', 'never fetch discovery (only --discovery-file is consulted)')
    .option('--url-only', 'print only the URL')
    .addOption(flag.open())
    .addOption(flag.browser())
    .option(
      '--save <file>',
      'save the pending request (state, nonce, verifier, …) for a later check, mode 0600',
    )
    .addHelpText(
      'after',
      examples(
        'togo login-url --client-id sample-production --redirect-uri https://sample.togogroup.com/togo-callback',
        'togo login-url --env togo-staging --client-id my-app --redirect-uri http://127.0.0.1:8765/callback --response-type "code id_token"',
        'togo login-url --flavor standard --authorization-endpoint https://tenant.logto.app/oidc/auth --client-id app --redirect-uri http://127.0.0.1/cb',
        'URL=$(togo login-url -q --save pending.json) && echo "$URL"',
        'togo login-url --json | jq -r .state',
      ),
    )
    .action(runWithConfig(runner, 'login-url'));
}
