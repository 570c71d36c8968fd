import { type Command, Option } from 'commander';
import { addConfigFlags, configFlags } from '../shared/config-flags.js';
import { addNetworkFlags, addTokenFlags } from '../shared/flags.js';
import { type CommandMeta, collect, commandFor, examples, type Runner } from '../shared/kit.js';
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

export const apiMeta: CommandMeta = {
  name: 'api',
  summary: 'call an API with Authorization: Bearer <token>, like curl',
  args: '<url>',
};

export function declareApi(program: Command, runner: Runner): void {
  const cmd = commandFor(
    program,
    apiMeta,
    "Call an API with `Authorization: Bearer <token>`. Which token goes by the provider's flavor (--flavor, the environment, or the session file): Togo ID's APIs take the ID token, as Togo ID documents; a standard provider's APIs take the access token. --use overrides either. The token comes from --token, --token-file, --session or TOGO_TOKEN; an explicit -H 'Authorization: …' replaces it.",
    'Like curl: -X sets the method, -H adds a header (repeatable), -d sends a body (@file reads a file, @- standard input; POST by default, and application/json when the body parses as JSON), -i prints the status line and headers before the body, -L follows redirects. A redirect to another origin never gets the Authorization header.',
    'The status goes to stderr and the body to stdout, JSON pretty-printed. Exit 0 for 1xx-3xx, 1 for 4xx and 5xx (so scripts and CI fail on an error status), 3 when the API refuses the token (401, TOKEN_REJECTED, as userinfo) or the request itself fails (DNS, refused, TLS, timeout).',
  ).argument('<url>', 'the API URL');
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
