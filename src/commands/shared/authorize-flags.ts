import { type Command, Option } from 'commander';
import { addFlags, flag } from './flags.js';
import { collect, parseIntFlag } from './kit.js';

/** Optional authorization request parameters, shared by `login-url` and `login`. */
export interface AuthorizeFlags {
  prompt?: string;
  loginHint?: string;
  maxAge?: number;
  acrValues?: string;
  uiLocales?: string;
  audience?: string;
  resource?: string[];
  param?: string[];
  relativeReturnUrl?: boolean;
  pkce: boolean;
  /** RFC 9126: push the request first (also automatic when the provider or the client requires it). */
  par?: boolean;
}

export function addAuthorizeFlags(cmd: Command): Command {
  return cmd
    .option('--no-pkce', 'leave PKCE out of a code flow (it is added automatically)')
    .option('--prompt <prompt>', 'prompt: none, login, consent, select_account')
    .option('--login-hint <hint>', 'login_hint, e.g. an email address')
    .option(
      '--max-age <seconds>',
      'max_age: force re-authentication after this many seconds',
      parseIntFlag('--max-age'),
    )
    .option('--acr-values <values>', 'acr_values, space-separated')
    .option('--ui-locales <locales>', 'ui_locales, e.g. "en-GB fr"')
    .option('--audience <audience>', 'audience of the access token (Auth0-style providers)')
    .option('--resource <uri>', 'RFC 8707 resource indicator (repeatable)', collect)
    .option('--param <name=value>', 'any other parameter (repeatable)', collect)
    .option('--relative-return-url', "Togo flavor: ReturnUrl as a local path, IdentityServer's own form")
    .option(
      '--par',
      'push the request to the provider first (RFC 9126; automatic when the provider or client requires it)',
    );
}

/** What finishing a login needs: network settings, the clock skew, and where the tokens go. */
export interface CompletionFlags {
  /** The network timeout (--timeout, or its old spelling --http-timeout). */
  timeout: number;
  httpTimeout?: number;
  ca?: string;
  clockSkew: number;
  print?: 'id_token' | 'access_token';
  save?: string;
  /** The whole report (every claim and check) instead of the summary. */
  verbose?: boolean;
}

/** The network timeout in seconds, whichever spelling was used. */
export function networkTimeout(flags: CompletionFlags): number {
  return flags.httpTimeout ?? flags.timeout;
}

/** Flags shared by `login` and `callback`, which verify and print a login's result the same way. */
export function addCompletionFlags(cmd: Command): Command {
  return addFlags(
    cmd,
    flag.timeout('network timeout for discovery, keys and the token request'),
    flag.oldSeconds('--http-timeout', '--timeout'),
    flag.ca('extra CA certificates (PEM) for a private provider'),
    flag.clockSkew('allowed clock difference when checking the tokens'),
  )
    .addOption(
      new Option(
        '--print <token>',
        'print only this raw token (after every check passed); not with --json, whose document holds the tokens',
      ).choices(['id_token', 'access_token']),
    )
    .option('--save <file>', 'save the tokens to this file (mode 0600) for userinfo, api, logout…')
    .option(
      '--verbose',
      'the whole report: every claim of each token and every check, as `togo decode` shows them (the default is a summary)',
    );
}
