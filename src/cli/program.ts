import { Command, Help, Option } from 'commander';
import { commands, findCommand } from '../commands/index.js';
import type { CommandMeta, Runner } from '../commands/shared/kit.js';
import { VERSION } from '../version.js';

const EXIT_CODES_HELP = `
Exit codes:
  0    success
  1    a check failed (invalid token, lint failure, state mismatch)
  2    usage error or unreadable input (bad flag; malformed token, URL, config)
  3    network or provider error (DNS, refused, TLS, timeout, HTTP status, JSON)
  4    login not completed (provider error, timeout, cancelled)
  70   internal error (a bug in togo: rerun with --debug and report it)
  130  interrupted (Ctrl-C)`;

/** The command a run asks for: the first word, or the one after `help`. */
function requestedCommand(argv: readonly string[]): string | undefined {
  const words = argv.filter((a) => !a.startsWith('-'));
  return words[0] === 'help' ? words[1] : words[0];
}

/**
 * The program, with the requested command declared in full (flags, help, examples) and every other
 * one only named and summarised: enough for `togo --help` and for suggestions after a typo, and
 * no start-up time spent on flags that will not be parsed.
 */
export function buildProgram(runner: Runner, argv: readonly string[] = []): Command {
  const metas = new Map<string, CommandMeta>(commands.map((c) => [c.meta.name, c.meta] as const));
  const defaultHelp = new Help();
  const program = new Command('togo')
    .description('Discover, log in to, and verify tokens from Togo ID and other OpenID Connect providers.')
    .version(VERSION, '-V, --version', 'print the version')
    .option('--json', 'print one JSON document on stdout')
    .option('--no-color', 'plain output, even on a terminal (NO_COLOR is honoured too)')
    .option('-q, --quiet', 'no narration on stderr; results and errors only')
    .addOption(new Option('--debug', 'stack traces and request details on stderr'))
    .helpOption('-h, --help', 'show help')
    .showSuggestionAfterError(true)
    .configureHelp({
      showGlobalOptions: true,
      sortSubcommands: false,
      subcommandTerm: (cmd) => {
        const meta = metas.get(cmd.name());
        return meta
          ? `${meta.name} [options]${meta.args ? ` ${meta.args}` : ''}`
          : defaultHelp.subcommandTerm(cmd);
      },
    })
    .addHelpText(
      'after',
      `${EXIT_CODES_HELP}\n\nRun \`togo <command> --help\` for a command's flags and examples.`,
    );

  const wanted = requestedCommand(argv);
  // A run of one known command needs no other: the names are for the overview and for typos.
  const known = findCommand(wanted);
  for (const entry of commands) {
    if (entry === known) entry.declare(program, runner);
    else if (!known) program.command(entry.meta.name).summary(entry.meta.summary);
  }
  return program;
}
