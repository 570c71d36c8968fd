import type { Command } from 'commander';
import { examples } from '../program.js';
import { collect, parseIntFlag, type Runner } from '../run.js';

export interface CheckFlags {
  issuer?: string;
  strict?: boolean;
  timeout: number;
  ca?: string;
  expectResponseType?: string[];
  expectScope?: string[];
  expectClaim?: string[];
  expectGrant?: string[];
  expectAlg?: string[];
  baseline?: string;
  clientId?: string;
  redirectUri?: string;
  responseType?: string;
  scope?: string;
  origin?: string;
  distinctKeysFrom?: string;
  junit?: string;
}

export function declareCheck(program: Command, runner: Runner): void {
  program
    .command('check')
    .summary('gate CI on a provider: lint, expectations, baseline drift, client probe, CORS, distinct keys')
    .description(
      'Run every check that needs no user against a provider and report each by name; exit 1 when one fails.\n' +
        'Always: the discovery and JWKS lint of `togo discover`. On request: expected values (--expect-*),\n' +
        'drift against a saved `togo discover --json` (--baseline), a probe of the authorize endpoint for your\n' +
        'client (--client-id, --redirect-uri), CORS for a browser origin (--origin), and signing keys shared\n' +
        'with another environment (--distinct-keys-from).\n\n' +
        'Output: a table, --json, --junit <file>; GitHub Actions annotations when GITHUB_ACTIONS=true.',
    )
    .argument('[issuer]', 'issuer or discovery URL (default: --issuer, then TOGO_ISSUER)')
    .option('--issuer <url>', 'the issuer, when not given as the argument')
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
    .option('--client-id <id>', 'probe the authorize endpoint for this client (default: TOGO_CLIENT_ID)')
    .option('--redirect-uri <uri>', "the client's registered redirect URI (default: TOGO_REDIRECT_URI)")
    .option('--response-type <type>', 'response type for the probe', 'code')
    .option('--scope <scopes>', 'scopes for the probe', 'openid')
    .option('--origin <origin>', 'check CORS for this browser origin (discovery, JWKS, token, userinfo)')
    .option('--distinct-keys-from <issuer>', "fail when a signing key is also in this provider's JWKS")
    .option('--junit <file>', 'also write the results as JUnit XML')
    .option('--strict', 'plain OpenID Connect: a missing RS256 fails instead of warning')
    .option('--timeout <seconds>', 'connect, response and body timeouts', parseIntFlag('--timeout', 1), 10)
    .option('--ca <file>', 'extra CA certificates (PEM) to trust, e.g. a private CA')
    .addHelpText(
      'after',
      examples(
        'togo check https://id2-staging.runswithtogo.com/ --expect-scope cosmos --expect-response-type "id_token token"',
        'togo check "$TOGO_ISSUER" --baseline baseline.json --junit togo-check.xml',
        'togo check "$TOGO_ISSUER" --client-id my-app --redirect-uri https://app.example/callback --response-type "id_token token"',
        'togo check "$TOGO_ISSUER" --origin https://app.example --distinct-keys-from https://id2.runswithtogo.com/identity',
      ),
    )
    .action(async (issuer: string | undefined, flags: CheckFlags, cmd: Command) => {
      await runner.run(cmd, async (ctx) => {
        const { checkCommand } = await import('../../commands/check.js');
        return checkCommand(ctx, issuer, flags);
      });
    });
}
