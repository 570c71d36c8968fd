import { type Command, Option } from 'commander';
import { apiMeta } from '../meta.js';
import { addConfigFlags, configFlags } from '../shared/config-flags.js';
import { addNetworkFlags, addTokenFlags } from '../shared/flags.js';
import { collect, commandFor, examples, type Runner } from '../shared/kit.js';
import type { NetworkFlags, TokenFlags } from '../shared/session.js';

export interface ApiFlags extends TokenFlags, NetworkFlags {
  request?: string;
  header?: string[];
  data?: string;
  include?: boolean;
  location?: boolean;
  /** Unset: by the provider's flavor (Togo: the ID token; standard: the access token). */
  use?: 'id_token' | 'access_token';
}

export function declareApi(program: Command, runner: Runner): void {
  const cmd = commandFor(program, apiMeta).argument('<url>', 'the API URL');
  addTokenFlags(cmd, 'token to send')
    .addOption(
      new Option(
        '--use <kind>',
        "which of the session's tokens to send (default: by the provider's flavor)",
      ).choices(['id_token', 'access_token']),
    )
    .option('-X, --request <method>', 'HTTP method (default GET, or POST with -d)')
    .option('-H, --header <header>', 'extra header "Name: value" (repeatable)', collect)
    .option('-d, --data <data>', 'request body; @file reads a file, @- standard input')
    .option('-i, --include', 'print the status line and response headers before the body')
    .option('-L, --location', 'follow redirects (the token only to the same origin)');
  addConfigFlags(addNetworkFlags(cmd), ['flavor'])
    .addHelpText(
      'after',
      examples(
        'togo api --session session.json https://api.togogroup.com/v1/me',
        'TOGO_TOKEN=$ID_TOKEN togo api https://api.example/v1/bookings -i',
        'togo api --session session.json -X PATCH -H "If-Match: 3" -d \'{"name":"Airstream"}\' https://api.example/v1/fleet/42',
        'togo api --session session.json --use access_token -d @order.json https://api.example/v1/orders',
        'togo api --session session.json https://api.example/v1/me --json | jq .body',
      ),
    )
    .action(async (url: string, opts: ApiFlags & Record<string, unknown>, command: Command) => {
      await runner.run(command, 'api', [url, opts, configFlags(opts)]);
    });
}
