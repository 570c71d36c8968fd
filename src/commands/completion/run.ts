import { Command } from 'commander';
import { resolveConfig } from '../../config/load.js';
import { BUILTIN_ENVIRONMENT_NAMES, FLAVORS, RESPONSE_MODES, RESPONSE_TYPES } from '../../config/settings.js';
import { FAULT_NAMES } from '../../mock/faults.js';
import { lines } from '../../ui/safe.js';
import type { Ctx } from '../shared/context.js';
import type { CommandEntry, Runner } from '../shared/kit.js';
import type { Shell } from './command.js';
import { completionScript } from './scripts.js';
import { type CompletionSpec, flagsOf, type ValueLists } from './spec.js';

export async function completionCommand(
  ctx: Ctx,
  shell: Shell,
  root: Command,
  commands: readonly CommandEntry[],
): Promise<number> {
  const lists: ValueLists = {
    '--env': await environmentNames(ctx),
    '--distinct-keys-from': await environmentNames(ctx),
    '--fault': FAULT_NAMES,
    '--response-type': RESPONSE_TYPES,
    '--response-mode': RESPONSE_MODES,
    '--flavor': FLAVORS,
  };
  ctx.print(
    lines(
      completionScript(shell, completionSpec(root, lists, commands))
        .replace(/\n$/, '')
        .split('\n'),
    ),
  );
  return 0;
}

/** Every command with every flag: each declared on a program of its own, as when it runs. */
export function completionSpec(
  root: Command,
  lists: ValueLists,
  commands: readonly CommandEntry[],
): CompletionSpec {
  const idle: Runner = {
    io: undefined as never,
    commands,
    run: async () => undefined,
    load: async () => {
      throw new Error('completion runs no command');
    },
  };
  const words = new Map(commands.map((c) => [c.meta.name, c.meta.words]));
  const program = new Command('togo');
  for (const entry of commands) entry.declare(program, idle);
  return {
    global: flagsOf(root, lists),
    commands: program.commands.map((c) => ({
      name: c.name(),
      summary: c.summary() || c.description(),
      flags: flagsOf(c, lists),
      ...(words.get(c.name()) ? { words: words.get(c.name()) } : {}),
    })),
  };
}

/** The built-in environments and those of the config files; a broken config file leaves the built-ins. */
async function environmentNames(ctx: Ctx): Promise<readonly string[]> {
  try {
    const resolved = await resolveConfig({ env: ctx.env, cwd: ctx.cwd });
    return resolved.environments.map((e) => e.name);
  } catch {
    return BUILTIN_ENVIRONMENT_NAMES;
  }
}
