import type { Command } from 'commander';
import { addConfigFlags, configFlags } from '../shared/config-flags.js';
import { addNetworkFlags, flag } from '../shared/flags.js';
import { type CommandMeta, commandFor, examples, type Runner } from '../shared/kit.js';

export interface DiscoverFlags {
  raw?: boolean;
  strict?: boolean;
  timeout: number;
  ca?: string;
}

export const discoverMeta: CommandMeta = {
  name: 'discover',
  summary: "fetch and lint a provider's discovery document and keys",
  args: '[issuer]',
};

export function declareDiscover(program: Command, runner: Runner): void {
  const cmd = commandFor(
    program,
    discoverMeta,
    "Fetch a provider's discovery document and JWKS, show them readably, and lint both: every finding has a stable id (disc.*, jwks.*), a status (FAIL, WARN, INFO) and a hint. Exit 1 when a FAIL finding exists, 3 when the document cannot be fetched.",
    "The issuer can be an issuer, a base URL or the full well-known URL. The OpenID Connect location (issuer + /.well-known/openid-configuration) is tried first, then RFC 8414's. http is accepted for loopback hosts (with a warning) so local providers work.",
  ).argument('[issuer]', 'issuer or discovery URL (default: the configured issuer, see `togo config`)');
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
