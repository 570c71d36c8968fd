import { type Command, Option } from 'commander';
import type { ConfigOptionValues } from '../../config/resolve.js';
import { tokenMeta } from '../meta.js';
import type { ClientAuthFlags } from '../shared/client-auth-flags.js';
import { addConfigFlags, configFlags } from '../shared/config-flags.js';
import { addClientAuthFlags, addFlags, addNetworkFlags, flag } from '../shared/flags.js';
import { commandFor, examples, parseIntFlag, type Runner } from '../shared/kit.js';
import type { NetworkFlags } from '../shared/session.js';

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

export function declareToken(program: Command, runner: Runner): void {
  const cmd = commandFor(program, tokenMeta);
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
    );
  addFlags(
    cmd,
    flag.open('with --login: open the login URL in the browser'),
    flag.headless('with --login: follow the redirects without a browser (togo mock --auto-login)'),
    flag.wait('with --login: how long to wait for the sign-in', 300),
  ).option(
    '--client-credentials',
    'when no session can serve, get a token with the client_credentials grant (TOGO_CLIENT_SECRET or --client-key)',
  );
  addClientAuthFlags(cmd)
    .option('--audience <value>', 'client_credentials: the audience parameter to send')
    .option('--resource <uri>', 'client_credentials: the resource indicator to send (RFC 8707)')
    .addOption(
      new Option(
        '--output <format>',
        'token (the default), or exec-credential: a Kubernetes client.authentication.k8s.io/v1 ExecCredential',
      ).choices(['token', 'exec-credential']),
    )
    .addOption(flag.clockSkew('clock skew allowed when verifying a refreshed ID token', 120));
  addNetworkFlags(cmd)
    .addHelpText(
      'after',
      examples(
        'curl -H "Authorization: Bearer $(togo token --env dev)" https://api.example/me',
        'togo token --env dev --use id_token --json',
        'TOGO_CLIENT_SECRET=… togo token --env dev --client-id my-app --client-credentials --scope "api:read"',
        'togo token --env dev --output exec-credential   # a kubectl credential plugin',
        'togo token --env dev --client-id my-app --client-credentials --client-key client-key.pem',
        'togo token --env mock --login --headless   # log in first if nothing is stored',
      ),
    )
    .action(
      async (opts: TokenCommandFlags & ConfigOptionValues & Record<string, unknown>, command: Command) => {
        // login's body loads only when --login needs it.
        await runner.run(command, 'token', [configFlags(opts), opts, () => runner.load('login')]);
      },
    );
}
