import { type Command, CommanderError } from 'commander';
import { findCommand } from '../commands/index.js';
import { type Io, makeCtx } from '../commands/shared/context.js';
import { ERROR_CODES, TogoError, toTogoError } from '../errors.js';
import { redactText } from '../redact.js';
import { colorLevel } from '../ui/color.js';
import { lines, t } from '../ui/safe.js';
import { VERSION } from '../version.js';
import { buildProgram } from './program.js';
import { makeRunner } from './run.js';

/**
 * Runs togo with `argv` (without node and the script) and returns the exit code. Never throws and
 * never exits the process: bin/togo.cjs is the only place that sets the process's exit code.
 */
export async function main(argv: string[], io: Io): Promise<number> {
  let exitCode = 0;
  const runner = makeRunner(io, (code) => {
    exitCode = code;
  });
  const program = buildProgram(runner, argv);
  let usageMessage: string | undefined;
  // Help width and color from togo's own terminal facts: commander's defaults read process.stdout,
  // whose first use loads Node's stream and net modules (milliseconds of every `--help`).
  const noColor = argv.includes('--no-color');
  program.exitOverride();
  for (const cmd of [program, ...program.commands]) {
    cmd.exitOverride();
    cmd.configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      getOutHelpWidth: () => io.stdout.columns ?? 80,
      getErrHelpWidth: () => io.stderr.columns ?? 80,
      getOutHasColors: () => colorLevel(io.stdout, io.env, noColor) > 0,
      getErrHasColors: () => colorLevel(io.stderr, io.env, noColor) > 0,
      outputError: (s) => {
        usageMessage = s.replace(/^error:\s*/, '').trim();
      },
    });
  }

  if (argv.length === 0) {
    io.stdout.write(program.helpInformation());
    return 0;
  }
  // `togo --version --json`: the version as a JSON document, like every other --json.
  if (
    argv.includes('--json') &&
    argv.every((a) => a.startsWith('-')) &&
    argv.some((a) => a === '--version' || a === '-V')
  ) {
    io.stdout.write(`${JSON.stringify({ version: VERSION })}\n`);
    return 0;
  }

  // `togo --json` (global flags, no command): --json promises one JSON document, so the missing
  // command is a usage error in JSON, not help on stderr and exit 0.
  if (
    argv.includes('--json') &&
    argv.every((a) => a.startsWith('-')) &&
    !argv.some((a) => a === '--help' || a === '-h')
  ) {
    return reportError(
      io,
      argv,
      new TogoError('USAGE', 'no command given', { hint: 'Run `togo --help` to list the commands.' }),
    );
  }

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
      ) {
        return 0;
      }
      const message = (usageMessage ?? error.message).replace(/^error:\s*/, '').replace(/\s*\n\s*/g, ' ');
      return reportError(
        io,
        argv,
        new TogoError('USAGE', message, { cause: error, hint: usageHint(program, argv, error) }),
      );
    }
    return reportError(io, argv, error);
  }
}

/** Names the help to read: the command's own, or the list of commands when the command is unknown. */
function usageHint(program: Command, argv: readonly string[], error: CommanderError): string {
  const word = argv.find((a) => !a.startsWith('-'));
  const known = word !== undefined && program.commands.some((c) => c.name() === word);
  if (error.code === 'commander.unknownCommand' || !known) {
    return 'Run `togo --help` to list the commands.';
  }
  return `Run \`togo ${word} --help\` to see its flags and examples.`;
}

/**
 * A usage error with the generic hint ("Run `togo <command> --help`") names the command that ran,
 * so the hint is a command to copy.
 */
function withCommandHelp(err: TogoError, argv: readonly string[]): TogoError {
  if (err.code !== 'USAGE' || err.hint !== ERROR_CODES.USAGE.hint) return err;
  const word = argv.find((a) => !a.startsWith('-'));
  const hint = findCommand(word)
    ? `Run \`togo ${word} --help\` to see its flags and examples.`
    : 'Run `togo --help` to list the commands.';
  return new TogoError(err.code, err.message, {
    hint,
    cause: err.cause ?? err,
    ...(err.details ? { details: err.details } : {}),
  });
}

/** Prints an error the documented way: one line with the code, one with the hint. */
export async function reportError(io: Io, argv: string[], error: unknown): Promise<number> {
  const err = withCommandHelp(toTogoError(error), argv);
  // Errors can happen before commander has parsed anything: read the global flags from argv.
  const ctx = await makeCtx(io, {
    json: argv.includes('--json'),
    color: !argv.includes('--no-color'),
    debug: argv.includes('--debug'),
  });
  if (ctx.json) ctx.printJson({ ok: false, error: err.toJSON() });
  const s = ctx.styleErr;
  // Messages quote what the user or a provider gave: escaped like all output (src/ui/safe.ts), so
  // the error stays one line and no control, bidi or invisible character reaches the terminal.
  ctx.printErr(t`${s.red.bold('error')} ${s.dim(`[${err.code}]`)} ${err.shownMessage}`);
  if (err.hint !== '') ctx.printErr(t`${s.dim('hint:')} ${err.hint}`);
  if (ctx.debug) {
    const stack = err.cause instanceof Error ? err.cause.stack : err.stack;
    if (stack)
      ctx.printErr(
        lines(
          redactText(stack)
            .split('\n')
            .map((l) => s.dim(l)),
        ),
      );
  }
  return err.exitCode;
}
