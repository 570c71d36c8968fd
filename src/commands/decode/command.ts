import { type Command, Option } from 'commander';
import { decodeMeta } from '../meta.js';
import { addConfigFlags } from '../shared/config-flags.js';
import { addNetworkFlags, flag } from '../shared/flags.js';
import { collect, commandFor, examples, parseIntFlag, parseUrlFlag, type Runner } from '../shared/kit.js';

export interface DecodeFlags {
  /** Which token to pick from a redirect URL or fragment (--use; --field is its old name). */
  use: 'id_token' | 'access_token' | 'refresh_token' | 'logout_token';
  field?: DecodeFlags['use'];
  claim?: string;
  verify?: boolean;
  issuer?: string;
  issuerFromToken?: boolean;
  jwks?: string;
  /** The client id: the audience an ID token must name (aud, azp). */
  clientId?: string;
  /** The audience an access token must name (the API); for an ID token, the old name of --client-id. */
  audience?: string;
  nonce?: string;
  accessToken?: string;
  code?: string;
  maxAge?: number;
  acrValues?: string[];
  clockSkew: number;
  secret?: boolean;
  timeout: number;
  dpopKey?: string;
  ca?: string;
  env?: string;
  config?: string;
}

const TOKEN_CHOICES = ['id_token', 'access_token', 'refresh_token', 'logout_token'];

export function declareDecode(program: Command, runner: Runner): void {
  const cmd = commandFor(program, decodeMeta)
    .argument('[token]', 'the token, or - to read standard input (the default when stdin is a pipe)')
    .addOption(
      new Option('--use <kind>', 'which token to pick from a redirect URL, fragment or session file')
        .choices(TOKEN_CHOICES)
        .default('id_token'),
    )
    .addOption(new Option('--field <kind>', 'old name of --use').choices(TOKEN_CHOICES).hideHelp())
    .option('--claim <path>', 'print only this claim, e.g. user.organizations.0.organization.name')
    .option('--verify', 'verify the token and report every check (exit 1 when one fails)')
    .option(
      '--issuer <url>',
      'expected issuer (pins it); its discovery gives the keys and allowed algorithms [TOGO_ISSUER]',
      parseUrlFlag('--issuer'),
    )
    .option(
      '--issuer-from-token',
      'take the issuer from the token\'s own iss: at best "signature valid, issuer not pinned", exit 1',
    )
    .option('--jwks <file|url>', 'verify with this JWKS instead of discovery')
    .option('--client-id <client_id>', 'your client id: the audience the token must name (aud, azp)')
    .option(
      '--audience <resource>',
      "the audience an access token must name: the API it is for (an ID token's is --client-id)",
    )
    .option('--nonce <nonce>', 'expected nonce (the one sent in the authorization request)')
    .option('--access-token <token>', 'access token that came with the ID token (checks at_hash)')
    .option('--code <code>', 'authorization code that came with the ID token (checks c_hash)')
    .option('--max-age <seconds>', 'max_age that was requested (checks auth_time)', parseIntFlag('--max-age'))
    .option('--acr-values <acr>', 'acr value that was requested (repeatable)', collect)
    .addOption(flag.clockSkew())
    .option('--secret', 'HS256/384/512 only: read the client secret from TOGO_CLIENT_SECRET')
    .option(
      '--dpop-key <file>',
      "DPoP key (a `login --dpop --save` session, or a JWK): checks the token's cnf.jkt",
    );
  addNetworkFlags(cmd, 'network timeout for discovery and JWKS');
  // With --verify and neither --issuer nor --jwks, the keys come from the configured provider.
  addConfigFlags(cmd, [])
    .addHelpText(
      'after',
      examples(
        'togo decode eyJhbGciOiJSUzI1NiIs...',
        "togo decode 'https://app.example/cb#state=abc&id_token=eyJ...'",
        'pbpaste | togo decode',
        'togo decode "$TOKEN" --claim user.organizations.0.organization.name',
        'togo decode "$TOKEN" --verify --issuer https://id2.runswithtogo.com/identity --client-id my-client',
        'togo decode "$TOKEN" --verify --env mock',
        'togo decode "$TOKEN" --verify --jwks ./jwks.json --client-id togo-cli --nonce "$NONCE" --json',
      ),
    )
    .action(async (token: string | undefined, flags: DecodeFlags, cmd: Command) => {
      await runner.run(cmd, 'decode', [token, { ...flags, use: flags.field ?? flags.use }]);
    });
}
