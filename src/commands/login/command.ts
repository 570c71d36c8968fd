import { type Command, Option } from 'commander';
import { loginMeta } from '../meta.js';
import {
  type AuthorizeFlags,
  addAuthorizeFlags,
  addCompletionFlags,
  type CompletionFlags,
} from '../shared/authorize-flags.js';
import { addClientAuthFlags, type ClientAuthFlags } from '../shared/client-auth-flags.js';
import { addConfigFlags, runWithConfig } from '../shared/config-flags.js';
import { addFlags, flag } from '../shared/flags.js';
import { commandFor, examples, type Runner } from '../shared/kit.js';

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

export function declareLogin(program: Command, runner: Runner): void {
  const cmd = commandFor(program, loginMeta);
  addFlags(
    addClientAuthFlags(addCompletionFlags(addAuthorizeFlags(addConfigFlags(cmd)))),
    flag.open('open the login URL in the browser'),
    new Option(
      '--no-open',
      'only print the URL (the default): open it yourself, on any machine that reaches the listener',
    ),
    flag.browser(),
    flag.headless(
      'follow the redirects without a browser (providers that sign in without a person, e.g. togo mock --auto-login)',
    ),
    new Option(
      '--device',
      'device authorization grant (RFC 8628): show a code to enter on any device, no redirect',
    ),
    flag.wait('how long to wait for the sign-in', 300),
  )
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
        'togo login --env mock --headless   # with `togo mock --auto-login joe@m.test`',
        'togo login --env mock --device     # enter the code shown, on any device',
        'togo login --env togo-staging --client-id my-app --redirect-uri http://127.0.0.1:8765/callback --open',
        'togo login --env dev --response-type "code id_token" --response-mode form_post --open',
        'TOKEN=$(togo login --env dev --open --print id_token)',
        'togo login --env dev --browser "node complete-login.mjs" --json   # CI with a scripted browser',
      ),
    )
    .action(runWithConfig(runner, 'login'));
}
