import type { Command } from 'commander';
import type { ConfigOptionValues } from '../../config/resolve.js';
import { type AuthorizeFlags, addAuthorizeFlags } from '../shared/authorize-flags.js';
import { addClientAuthFlags, type ClientAuthFlags } from '../shared/client-auth-flags.js';
import { addConfigFlags, configFlags } from '../shared/config-flags.js';
import type { CommandMeta, Runner } from '../shared/kit.js';
import { examples } from '../shared/kit.js';

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

export const loginUrlMeta: CommandMeta = {
  name: 'login-url',
  summary: "compose a login URL (Togo ID login page, or any provider's authorize URL)",
};

export function declareLoginUrl(program: Command, runner: Runner): void {
  const cmd = program
    .command(loginUrlMeta.name)
    .summary(loginUrlMeta.summary)
    .description(
      [
        'Compose the URL that starts a login, with fresh state, nonce and (for code flows) a PKCE S256 verifier.',
        'Togo flavor: <base>/login?profile=…&behaviourProfile=…&client_id=…&ReturnUrl=<the authorize URL, percent-encoded once more>. Standard flavor: the authorization endpoint with the parameters.',
        'Output: the URL alone on the first line of stdout, so URL=$(togo login-url) works. The parameter table follows on stdout when it is a terminal, on stderr otherwise (silenced by -q); --url-only drops it. --json prints { url, state, nonce, codeVerifier, redirectUri, params }.',
      ].join('\n\n'),
    );
  addClientAuthFlags(addAuthorizeFlags(addConfigFlags(cmd)))
    .option('--state <state>', 'use this state (Togo ID: 16-32 letters and digits) instead of a random one')
    .option('--nonce <nonce>', 'use this nonce instead of a random one')
    .option(
      '--discovery-file <file>',
      'discovery document to take the endpoint from and compare the request with',
    )
    .option('--offline', 'never fetch discovery (only --discovery-file is consulted)')
    .option('--url-only', 'print only the URL')
    .option('--open', 'open the URL in the browser')
    .option('--browser <command>', 'browser command that receives the URL as its argument [TOGO_BROWSER]')
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
    .action(async (opts: LoginUrlFlags & ConfigOptionValues & Record<string, unknown>, command: Command) => {
      await runner.run(command, 'login-url', [configFlags(opts), opts]);
    });
}
