import type { Command } from 'commander';
import { checkMeta } from '../meta.js';
import { addConfigFlags, configFlags } from '../shared/config-flags.js';
import { addNetworkFlags, flag } from '../shared/flags.js';
import { collect, commandFor, examples, type Runner } from '../shared/kit.js';

export interface CheckFlags {
  strict?: boolean;
  timeout: number;
  ca?: string;
  expectResponseType?: string[];
  expectScope?: string[];
  expectClaim?: string[];
  expectGrant?: string[];
  expectAlg?: string[];
  baseline?: string;
  idToken?: string;
  clockSkew: number;
  origin?: string;
  distinctKeysFrom?: string;
  junit?: string;
}

export function declareCheck(program: Command, runner: Runner): void {
  const cmd = commandFor(program, checkMeta).argument(
    '[issuer]',
    'issuer or discovery URL (default: the configured issuer, see `togo config`)',
  );
  // The probe's client comes from the shared configuration: --client-id, --redirect-uri, … or TOGO_*.
  addConfigFlags(cmd, ['issuer', 'clientId', 'redirectUri', 'responseType', 'scope'])
    .option('--expect-response-type <type>', 'a response type that must be advertised (repeatable)', collect)
    .option('--expect-scope <scope>', 'a scope that must be advertised (repeatable)', collect)
    .option('--expect-claim <claim>', 'a claim that must be advertised (repeatable)', collect)
    .option('--expect-grant <grant>', 'a grant type that must be advertised (repeatable)', collect)
    .option(
      '--expect-alg <alg>',
      'an ID token signing algorithm that must be advertised (repeatable)',
      collect,
    )
    .option('--baseline <file>', 'compare with a saved `togo discover --json` and report what changed')
    .option(
      '--id-token <token|file>',
      'verify this ID token (or the file holding it; - for stdin) against the live keys',
    )
    .addOption(flag.clockSkew('allowed clock difference for --id-token'))
    .option('--origin <origin>', 'check CORS for this browser origin (discovery, JWKS, token, userinfo)')
    .option(
      '--distinct-keys-from <env|issuer>',
      "fail when a signing key is also in this environment's or provider's JWKS",
    )
    .addOption(flag.junit())
    .addOption(flag.strict());
  addNetworkFlags(cmd, 'connect, response and body timeouts')
    .addHelpText(
      'after',
      examples(
        'togo check --env togo-staging --expect-scope cosmos --expect-response-type "id_token token"',
        'togo check "$ISSUER" --baseline baseline.json --junit togo-check.xml',
        'togo check "$ISSUER" --client-id my-app --redirect-uri https://app.example/callback --response-type "id_token token"',
        'togo check --env togo-staging --origin https://app.example --distinct-keys-from togo-production',
        'togo check --env mock --id-token ./id_token.txt',
      ),
    )
    .action(
      async (issuer: string | undefined, flags: CheckFlags & Record<string, unknown>, command: Command) => {
        await runner.run(command, 'check', [issuer, configFlags(flags), flags]);
      },
    );
}
