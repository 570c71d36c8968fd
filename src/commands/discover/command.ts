import type { Command } from 'commander';
import { discoverMeta } from '../meta.js';
import { addConfigFlags, configFlags } from '../shared/config-flags.js';
import { addNetworkFlags, flag } from '../shared/flags.js';
import { commandFor, examples, type Runner } from '../shared/kit.js';

export interface DiscoverFlags {
  raw?: boolean;
  strict?: boolean;
  timeout: number;
  ca?: string;
}

export function declareDiscover(program: Command, runner: Runner): void {
  const cmd = commandFor(program, discoverMeta).argument(
    '[issuer]',
    'issuer or discovery URL (default: the configured issuer, see `togo config`)',
  );
  addConfigFlags(cmd, ['issuer'])
    .option('--raw', 'print the discovery document exactly as served')
    .addOption(flag.strict());
  addNetworkFlags(cmd, 'connect, response and body timeouts')
    .addHelpText(
      'after',
      examples(
        'togo discover https://id2.runswithtogo.com/identity',
        'togo discover --env mock',
        'togo discover https://id2-staging.runswithtogo.com/ --json > baseline.json',
        'togo discover http://127.0.0.1:4000/identity/.well-known/openid-configuration --raw',
      ),
    )
    .action(
      async (
        issuer: string | undefined,
        flags: DiscoverFlags & Record<string, unknown>,
        command: Command,
      ) => {
        await runner.run(command, 'discover', [issuer, configFlags(flags), flags]);
      },
    );
}
