import { type Command, Option } from 'commander';
import type { ConfigOptionValues } from '../../config/resolve.js';
import { addConfigFlags, configFlags } from '../shared/config-flags.js';
import { type CommandMeta, examples, parseIntFlag, type Runner } from '../shared/kit.js';
import { addNetworkFlags, addTokenFlags, type NetworkFlags, type TokenFlags } from '../shared/session.js';

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

export const DEFAULT_POST_LOGOUT_REDIRECT_URI = 'http://127.0.0.1/logout-callback';

function addLogoutUrlFlags(cmd: Command): Command {
  addConfigFlags(cmd, ['issuer', 'clientId']);
  addTokenFlags(cmd, 'ID token to send as id_token_hint');
  cmd
    .option('--state <state>', 'state to send (a random one from a CSPRNG by default)')
    .option('--ui-locales <locales>', 'ui_locales for the logout page, e.g. "en-GB fr"')
    .option('--end-session-endpoint <url>', "use this endpoint instead of the issuer's discovery document");
  return addNetworkFlags(cmd);
}

export const logoutUrlMeta: CommandMeta = {
  name: 'logout-url',
  summary: 'compose the RP-initiated logout URL (end_session_endpoint with id_token_hint)',
};

export const logoutMeta: CommandMeta = {
  name: 'logout',
  summary: 'sign out at the provider and wait for the post-logout redirect on loopback',
};

export function declareLogoutUrl(program: Command, runner: Runner): void {
  const urlCmd = program
    .command(logoutUrlMeta.name)
    .summary(logoutUrlMeta.summary)
    .description(
      [
        "Compose the URL that signs the user out at the provider (OpenID Connect RP-Initiated Logout): the provider's end_session_endpoint, from discovery, with id_token_hint, post_logout_redirect_uri, state and client_id.",
        'The ID token comes from --token, --token-file, --session or TOGO_TOKEN; without one the URL is still composed, with a warning (IdentityServer, hence Togo ID, redirects back only with id_token_hint).',
        'Output: the URL alone on the first line of stdout, so URL=$(togo logout-url …) works; the parameters follow on stderr. --json prints { url, state, endSessionEndpoint, postLogoutRedirectUri, params, warnings }.',
      ].join('\n\n'),
    );
  addLogoutUrlFlags(urlCmd)
    .option('--post-logout-redirect-uri <uri>', 'where the provider sends the browser after logout')
    .addHelpText(
      'after',
      examples(
        'togo logout-url --session session.json --post-logout-redirect-uri https://app.example/signed-out',
        'togo logout-url --env togo-staging --client-id my-app --token-file id_token.txt',
        'togo logout-url --end-session-endpoint https://id2.runswithtogo.com/identity/connect/endsession --token "$ID_TOKEN"',
        'togo logout-url --session session.json --json | jq -r .state',
      ),
    )
    .action(async (opts: LogoutUrlFlags & ConfigOptionValues & Record<string, unknown>, command: Command) => {
      await runner.run(command, 'logout-url', [configFlags(opts), opts]);
    });
}

export function declareLogout(program: Command, runner: Runner): void {
  const cmd = program
    .command(logoutMeta.name)
    .summary(logoutMeta.summary)
    .description(
      [
        'Sign out at the provider: compose the logout URL (as togo logout-url), listen on the loopback post-logout redirect URI, open the URL (--open, or --browser <command>), and wait for the provider to send the browser back with the same state.',
        `The post-logout redirect URI defaults to ${DEFAULT_POST_LOGOUT_REDIRECT_URI} on a free port (RFC 8252 §7.3); it must be registered for the client. Without --open, --browser or --headless the URL is shown on stderr for you to open; it carries the ID token, so it never goes to stdout (stdout gets the result only).`,
        'Exit 0 when the redirect arrives with the right state; a redirect with a wrong state is refused and the wait goes on (exit 1 if no right one follows); exit 4 when nothing arrives in time; 130 on Ctrl-C.',
      ].join('\n\n'),
    );
  addLogoutUrlFlags(cmd)
    .option(
      '--post-logout-redirect-uri <uri>',
      `loopback URI to listen on (no port: a free one)`,
      DEFAULT_POST_LOGOUT_REDIRECT_URI,
    )
    .option('--open', 'open the logout URL in the browser')
    .option(
      '--browser <command>',
      'browser command that receives the URL as its last argument [TOGO_BROWSER]',
    )
    .option(
      '--headless',
      "follow the redirects and confirm the provider's sign-out page without a browser (as login --headless)",
    )
    .option(
      '--wait <seconds>',
      'how long to wait for the post-logout redirect',
      parseIntFlag('--wait', 1),
      120,
    )
    .addOption(
      new Option('--wait-timeout <seconds>', 'old name of --wait')
        .argParser(parseIntFlag('--wait-timeout', 1))
        .hideHelp(),
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
    .action(async (opts: LogoutFlags & ConfigOptionValues & Record<string, unknown>, command: Command) => {
      await runner.run(command, 'logout', [configFlags(opts), opts]);
    });
}
