import { type Command, Option } from 'commander';
import type { ConfigOptionValues } from '../../config/resolve.js';
import { addClientAuthFlags, type ClientAuthFlags } from '../shared/client-auth-flags.js';
import { addConfigFlags, configFlags } from '../shared/config-flags.js';
import { type CommandMeta, examples, parseIntFlag, type Runner } from '../shared/kit.js';
import { addNetworkFlags, type NetworkFlags } from '../shared/session.js';

export interface TokenCommandFlags extends NetworkFlags, ClientAuthFlags {
  use?: 'access_token' | 'id_token';
  minTtl: number;
  refresh?: boolean;
  clientCredentials?: boolean;
  audience?: string;
  resource?: string;
  output?: 'token' | 'exec-credential';
  clockSkew: number;
  login?: boolean;
  open?: boolean;
  headless?: boolean;
  wait: number;
}

export const tokenMeta: CommandMeta = {
  name: 'token',
  summary: 'print a currently valid token for scripts, CI and kubectl (stored, refreshed or new)',
};

export function declareToken(program: Command, runner: Runner): void {
  const cmd = program
    .command(tokenMeta.name)
    .summary(tokenMeta.summary)
    .description(
      [
        'Print one currently valid token for the environment and nothing else on stdout, ready for $(…): the access token, or the ID token with --use id_token.',
        'Where it comes from, in order: the session `togo login` kept for the issuer and client, when the token has at least --min-ttl seconds left (no network request); else a refresh with its refresh token (refresh_token grant; a rotated refresh token replaces the old one; an ID token from the refresh is verified as a login verifies it and must name the same user, else the session is removed); else, with --client-credentials, a new token from the client_credentials grant (a confidential client: TOGO_CLIENT_SECRET). Otherwise exit 4 with the `togo login` to run.',
        "Never interactive unless --login is given: then, when nothing stored can serve, the login runs first (as `togo login` with the environment's settings; its URL and verdict go to stderr) and its token is printed.",
        'Two runs at once never both refresh: a lock file beside the session makes the second wait and read the result.',
      ].join('\n\n'),
    );
  addConfigFlags(cmd, ['issuer', 'clientId', 'scope', 'redirectUri'])
    .addOption(
      new Option(
        '--use <kind>',
        'which token (default access_token; id_token for --output exec-credential)',
      ).choices(['access_token', 'id_token']),
    )
    .option(
      '--min-ttl <seconds>',
      'serve a stored token only when it has this long left',
      parseIntFlag('--min-ttl'),
      60,
    )
    .option('--refresh', 'refresh now, even when the stored token is still valid')
    .option(
      '--login',
      'when nothing stored can serve, run `togo login` for the environment first (its URL and result on stderr)',
    )
    .option('--open', 'with --login: open the login URL in the browser')
    .option('--headless', 'with --login: follow the redirects without a browser (togo mock --auto-login)')
    .option(
      '--wait <seconds>',
      'with --login: how long to wait for the sign-in',
      parseIntFlag('--wait', 1),
      300,
    )
    .option(
      '--client-credentials',
      'when no session can serve, get a token with the client_credentials grant (TOGO_CLIENT_SECRET or --client-key)',
    )
    .option('--audience <value>', 'client_credentials: the audience parameter to send')
    .option('--resource <uri>', 'client_credentials: the resource indicator to send (RFC 8707)')
    .addOption(
      new Option(
        '--output <format>',
        'token (the default), or exec-credential: a Kubernetes client.authentication.k8s.io/v1 ExecCredential',
      ).choices(['token', 'exec-credential']),
    )
    .option(
      '--clock-skew <seconds>',
      'clock skew allowed when verifying a refreshed ID token',
      parseIntFlag('--clock-skew'),
      120,
    );
  addNetworkFlags(addClientAuthFlags(cmd))
    .addHelpText(
      'after',
      examples(
        'curl -H "Authorization: Bearer $(togo token --env dev)" https://api.example/me',
        'togo token --env dev --use id_token --json',
        'TOGO_CLIENT_SECRET=… togo token --env dev --client-id my-app --client-credentials --scope "api:read"',
        'togo token --env dev --output exec-credential        # a kubectl credential plugin',
        'togo token --env dev --client-id my-app --client-credentials --client-key client-key.pem',
        'togo token --env mock --login --headless              # log in first when nothing is stored',
      ),
    )
    .action(
      async (opts: TokenCommandFlags & ConfigOptionValues & Record<string, unknown>, command: Command) => {
        // login's body loads only when --login needs it.
        await runner.run(command, 'token', [configFlags(opts), opts, () => runner.load('login')]);
      },
    );
}
