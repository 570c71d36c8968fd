import type { Command } from 'commander';
import { TogoError } from '../errors.js';
import { type Ctx, type GlobalOptions, type Io, makeCtx } from './context.js';

/** A command's body: gets the context, returns its exit code; throws TogoError on failure. */
export type CommandBody = (ctx: Ctx) => Promise<number>;

/** Hands every command its context and collects its exit code; the only way commands are run. */
export interface Runner {
  io: Io;
  run(cmd: Command, body: CommandBody): Promise<void>;
}

export function makeRunner(io: Io, onExit: (code: number) => void): Runner {
  return {
    io,
    async run(cmd, body) {
      const ctx = await makeCtx(io, cmd.optsWithGlobals<GlobalOptions>());
      try {
        onExit(await body(ctx));
      } finally {
        await ctx.cleanup();
      }
    },
  };
}

/** What the command list in `togo --help` shows of a command that is not running. */
export interface CommandMeta {
  name: string;
  summary: string;
  /** Its argument, as `--help` shows it: `[token]`, `<url>`. */
  args?: string;
}

/** Commander collects repeatable flags with this. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Parses a whole number of seconds or milliseconds for flags such as --timeout. */
export function parseIntFlag(name: string, min = 0) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min) {
      throw new TogoError(
        'USAGE',
        `${name} takes a whole number${min > 0 ? ` of at least ${min}` : ''}, not "${value}"`,
      );
    }
    return n;
  };
}
