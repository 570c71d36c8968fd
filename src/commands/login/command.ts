import type { Command } from 'commander';
import type { ConfigOptionValues } from '../../config/resolve.js';
import {
  type AuthorizeFlags,
  addAuthorizeFlags,
  addCompletionFlags,
  type CompletionFlags,
} from '../shared/authorize-flags.js';
import { addClientAuthFlags, type ClientAuthFlags } from '../shared/client-auth-flags.js';
import { addConfigFlags, configFlags } from '../shared/config-flags.js';
import { type CommandMeta, examples, parseIntFlag, type Runner } from '../shared/kit.js';

export interface LoginFlags extends AuthorizeFlags, CompletionFlags, ClientAuthFlags {
  open?: boolean;
  browser?: string;
  headless?: boolean;
  device?: boolean;
  /** How long to wait for the person to sign in (--wait). */
  wait: number;
  dpop?: boolean;
  /** False with --no-store: keep no session in the store. */
  store?: boolean;
}

export const loginMeta: CommandMeta = {
  name: 'login',
  summary: 'run a whole login and verify the result (browser, or --headless)',
};

export function declareLogin(program: Command, runner: Runner): void {
  const cmd = program
    .command(loginMeta.name)
    .summary(loginMeta.summary)
    .description(
      [
        "Run the login for the environment: compose the login URL (Togo or standard flavor), listen on the loopback redirect URI, let the browser capture the response (fragment, query or form_post), verify state, the ID token (signature with the provider's keys, iss, aud, azp, exp, iat, nonce, at_hash, c_hash), exchange a code with PKCE, and show the tokens as `togo decode` does. A redirect URI without a port listens on a free port (providers accept any loopback port, RFC 8252); with a port, on that port.",
        'The login URL and the redirect URI go to stderr (with --headless, only with --verbose); the result to stdout: a summary (who signed in, organizations and roles, the tokens, failed and warned checks, the verdict, where the session went), or with --verbose the whole report. Exit 0 when the login completed and every check passed, 1 when a check failed, 3 on network errors, 4 when the login did not complete (provider error, timeout), 130 on Ctrl-C.',
      ].join('\n\n'),
    );
  addClientAuthFlags(addCompletionFlags(addAuthorizeFlags(addConfigFlags(cmd))))
    .option('--open', 'open the login URL in the browser')
    .option(
      '--no-open',
      'only print the URL (the default): open it yourself, on any machine that reaches the listener',
    )
    .option(
      '--browser <command>',
      'browser command that receives the URL as its last argument [TOGO_BROWSER]',
    )
    .option(
      '--headless',
      'follow the redirects without a browser (providers that sign in without a person, e.g. togo mock --auto-login)',
    )
    .option(
      '--device',
      'device authorization grant (RFC 8628): show a code to enter on any device, no redirect',
    )
    .option('--wait <seconds>', 'how long to wait for the sign-in', parseIntFlag('--wait', 1), 300)
    .option(
      '--dpop',
      'bind the tokens to a new DPoP key (RFC 9449); --save keeps the key for userinfo and api',
    )
    .option(
      '--no-store',
      'keep no session in the store ($XDG_STATE_HOME/togo, else ~/.local/state/togo) for `togo token` and the session commands',
    )
    .addHelpText(
      'after',
      examples(
        'togo login --env mock --headless                       # against `togo mock --auto-login joe@m.test`',
        'togo login --env mock --device                         # enter the code shown, on any device',
        'togo login --env togo-staging --client-id my-app --redirect-uri http://127.0.0.1:8765/callback --open',
        'togo login --env dev --response-type "code id_token" --response-mode form_post --open',
        'TOKEN=$(togo login --env dev --open --print id_token)',
        'togo login --env dev --browser "node complete-login.mjs" --json   # CI with a scripted browser',
      ),
    )
    .action(async (opts: LoginFlags & ConfigOptionValues & Record<string, unknown>, command: Command) => {
      await runner.run(command, 'login', [configFlags(opts), opts]);
    });
}
