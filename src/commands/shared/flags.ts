/**
 * The flags several commands share, each declared once. A command adds a group with one call
 * (`addNetworkFlags(cmd)`) or one flag with its own wording (`cmd.addOption(flag.wait(…))`); the
 * name, the value's parser and the usual default live here, so `--timeout` or `--wait` reads and
 * parses the same in every command.
 */
import { type Command, Option } from 'commander';
import { parseIntFlag } from './kit.js';

/** Whole seconds, at least `min`, with a default when one is given. */
function seconds(flags: string, what: string, min: number, fallback?: number): Option {
  const option = new Option(flags, what).argParser(parseIntFlag(flags.split(' ')[0] ?? flags, min));
  return fallback === undefined ? option : option.default(fallback);
}

/** One flag each, worded for the command at hand where the default wording does not fit. */
export const flag = {
  timeout: (what = 'HTTP timeout', fallback = 10) => seconds('--timeout <seconds>', what, 1, fallback),
  ca: (what = 'extra CA certificates (PEM) to trust, e.g. a private CA') => new Option('--ca <file>', what),
  clockSkew: (what = 'allowed clock difference', fallback = 60) =>
    seconds('--clock-skew <seconds>', what, 0, fallback),
  wait: (what: string, fallback: number) => seconds('--wait <seconds>', what, 1, fallback),
  /** The old spelling of a flag, still accepted, not shown in help. */
  oldSeconds: (name: string, of: string) => seconds(`${name} <seconds>`, `old name of ${of}`, 1).hideHelp(),
  open: (what = 'open the URL in the browser') => new Option('--open', what),
  browser: (what = 'browser command that receives the URL as its last argument [TOGO_BROWSER]') =>
    new Option('--browser <command>', what),
  headless: (what: string) => new Option('--headless', what),
  strict: () => new Option('--strict', 'plain OpenID Connect: a missing RS256 fails instead of warning'),
  junit: () => new Option('--junit <file>', 'also write the results as JUnit XML'),
  port: (what: string) => new Option('--port <n>', what).argParser(parseIntFlag('--port')).default(4444),
  clients: () =>
    new Option(
      '--clients <file>',
      'JSON array of oidc-provider client metadata, added to the default clients',
    ),
};

/** Adds options to a command, in order. */
export function addFlags(cmd: Command, ...options: readonly Option[]): Command {
  for (const option of options) cmd.addOption(option);
  return cmd;
}

/** --timeout and --ca, for every command that goes on the network. */
export function addNetworkFlags(cmd: Command, timeout?: string): Command {
  return addFlags(cmd, flag.timeout(timeout), flag.ca());
}

/** --token, --token-file and --session, described for the command at hand. */
export function addTokenFlags(cmd: Command, what: string): Command {
  return cmd
    .option('--token <token>', `${what} [TOGO_TOKEN]`)
    .option(
      '--token-file <file>',
      'read the token from a file: a raw token, or a session file (read for its tokens only: its issuer must be the one in effect)',
    )
    .option(
      '--session <file>',
      'session file written by `togo login --save <file>`; it names the issuer when it is yours (mode 600). Default: the session `togo login` kept for the environment',
    );
}

export { addClientAuthFlags } from './client-auth-flags.js';
