import type { Command } from 'commander';
import { DEFAULT_POST_LOGOUT_REDIRECT_URI, logoutMeta, logoutUrlMeta } from '../meta.js';
import { addConfigFlags, runWithConfig } from '../shared/config-flags.js';
import { addFlags, addNetworkFlags, addTokenFlags, flag } from '../shared/flags.js';

import { commandFor, examples, type Runner } from '../shared/kit.js';
import type { NetworkFlags, TokenFlags } from '../shared/session.js';

export { DEFAULT_POST_LOGOUT_REDIRECT_URI };

export interface LogoutUrlFlags extends TokenFlags, NetworkFlags {
  postLogoutRedirectUri?: string;
  state?: string;
  uiLocales?: string;
  endSessionEndpoint?: string;
}

export interface LogoutFlags extends LogoutUrlFlags {
  open?: boolean;
  headless?: boolean;
  browser?: string;
  /** How long to wait for the post-logout redirect (--wait; --wait-timeout is its old name). */
  wait: number;
  waitTimeout?: number;
}

function addLogoutUrlFlags(cmd: Command): Command {
  addConfigFlags(cmd, ['issuer', 'clientId']);
  addTokenFlags(cmd, 'ID token to send as id_token_hint');
  cmd
    .option('--state <state>', 'state to send (a random one from a CSPRNG by default)')
    .option('--ui-locales <locales>', 'ui_locales for the logout page, e.g. "en-GB fr"')
    .option('--end-session-endpoint <url>', "use this endpoint instead of the issuer's discovery document");
  return addNetworkFlags(cmd);
}

export function declareLogoutUrl(program: Command, runner: Runner): void {
  const urlCmd = commandFor(program, logoutUrlMeta);
  addLogoutUrlFlags(urlCmd)
    .option('--post-logout-redirect-uri <uri>', 'where the provider sends the browser after logout')
    .addHelpText(
      'after',
      examples(
        'togo logout-url --session session.json --post-logout-redirect-uri https://app.example/signed-out',
        'togo logout-url --env togo-staging --client-id my-app --token-file id_token.txt',
        'togo logout-url --end-session-endpoint "$ISSUER/connect/endsession" --token "$ID_TOKEN"',
        'togo logout-url --session session.json --json | jq -r .state',
      ),
    )
    .action(runWithConfig(runner, 'logout-url'));
}

export function declareLogout(program: Command, runner: Runner): void {
  const cmd = commandFor(program, logoutMeta);
  addLogoutUrlFlags(cmd).option(
    '--post-logout-redirect-uri <uri>',
    `loopback URI to listen on (no port: a free one)`,
    DEFAULT_POST_LOGOUT_REDIRECT_URI,
  );
  addFlags(
    cmd,
    flag.open('open the logout URL in the browser'),
    flag.browser(),
    flag.headless(
      "follow the redirects and confirm the provider's sign-out page without a browser (as login --headless)",
    ),
    flag.wait('how long to wait for the post-logout redirect', 120),
    flag.oldSeconds('--wait-timeout', '--wait'),
  )
    .addHelpText(
      'after',
      examples(
        'togo logout --session session.json --open',
        'togo logout --env mock --session session.json --post-logout-redirect-uri http://127.0.0.1/logged-out --open',
        'togo logout --session session.json --browser "firefox --private-window" --wait 60',
        'togo logout --session session.json --json',
        'togo logout --env mock --session session.json --headless',
      ),
    )
    .action(runWithConfig(runner, 'logout'));
}
