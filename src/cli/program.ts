import { Command, Option } from 'commander';
import { VERSION } from '../version.js';
import { commands } from './commands/index.js';
import type { Runner } from './run.js';

const EXIT_CODES_HELP = `
Exit codes:
  0    success
  1    a check failed (invalid token, lint failure, state mismatch)
  2    usage error or unreadable input (bad flag, malformed token, URL or config)
  3    network or provider error (DNS, refused, TLS, timeout, HTTP error, non-JSON)
  4    login not completed (provider error, timeout, cancelled)
  70   internal error (a bug in togo: rerun with --debug and report it)
  130  interrupted (Ctrl-C)`;

export function buildProgram(runner: Runner): Command {
  const program = new Command('togo')
    .description('Discover, log in to, and verify tokens from Togo ID and other OpenID Connect providers.')
    .version(VERSION, '-V, --version', 'print the version')
    .option('--json', 'print one JSON document on stdout')
    .option('--no-color', 'plain output, even on a terminal (NO_COLOR is honoured too)')
    .option('-q, --quiet', 'no narration on stderr; results and errors only')
    .addOption(new Option('--debug', 'stack traces and request details on stderr'))
    .helpOption('-h, --help', 'show help')
    .showSuggestionAfterError(true)
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .addHelpText(
      'after',
      `${EXIT_CODES_HELP}\n\nRun \`togo <command> --help\` for a command's flags and examples.`,
    );

  for (const declare of commands) declare(program, runner);
  return program;
}

/** Formats examples for `addHelpText('after', …)`. */
export function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}`;
}
