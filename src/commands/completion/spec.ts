import type { Command, Option } from 'commander';

/** One flag as the completion scripts see it. */
export interface FlagSpec {
  long: string;
  short?: string;
  description: string;
  /** The flag takes a value. */
  value: boolean;
  /** The values it takes, when they are a known list. */
  values?: readonly string[];
  /** Its value is a file name. */
  file?: boolean;
}

export interface CommandSpec {
  name: string;
  summary: string;
  flags: FlagSpec[];
  /** The words its first argument takes, when they are a known list. */
  words?: readonly string[];
}

export interface CompletionSpec {
  commands: CommandSpec[];
  global: FlagSpec[];
}

/** The value lists known by flag name, whatever the command (environments, faults, response types…). */
export type ValueLists = Readonly<Record<string, readonly string[]>>;

/** The flags of a commander command, visible ones only, with their value lists. */
export function flagsOf(cmd: Command, lists: ValueLists): FlagSpec[] {
  return cmd.options
    .filter((o: Option) => !o.hidden && o.long !== undefined)
    .map((o: Option) => {
      const long = o.long as string;
      const value = o.required || o.optional;
      const values = o.argChoices ?? (Object.hasOwn(lists, long) ? lists[long] : undefined);
      return {
        long,
        ...(o.short ? { short: o.short } : {}),
        description: o.description,
        value,
        ...(value && values ? { values } : {}),
        ...(value && !values && /<[^>]*file/.test(o.flags) ? { file: true } : {}),
      };
    });
}
