import type { Command } from 'commander';
import { FAULT_NAMES, fault } from '../../mock/faults.js';
import { type CommandMeta, collect, examples, parseIntFlag, type Runner, wrapHelp } from '../shared/kit.js';

export interface MockFlags {
  port: number;
  host: string;
  users?: string;
  clients?: string;
  autoLogin?: string;
  fault?: string[];
  keys?: string;
  sessionTtl: number;
  accessTokenTtl: number;
  maxSessions: number;
}

function faultsHelp(): string {
  const lines = FAULT_NAMES.map((name) => {
    const f = fault(name);
    return `${wrapHelp(`  ${name}  ${f.what}`, '      ')}\n${wrapHelp(`      flows: ${f.flows}`, '             ')}\n${wrapHelp(`      tests: ${f.exercises}`, '             ')}`;
  });
  return `\nFaults (--fault, repeatable):\n${lines.join('\n')}`;
}

const DEFAULTS_HELP = `
Default clients:
  togo-cli           public (token_endpoint_auth_method none), native: redirect
                     URIs http://127.0.0.1/callback and http://[::1]/callback on
                     any port; every response type; no refresh tokens, as Togo
                     ID issues none
  togo-offline       public, same redirect URIs; code and hybrid flows, refresh
                     tokens for offline_access (with prompt=consent), rotated
                     on every refresh
  togo-confidential  secret togo-confidential-secret (client_secret_basic),
                     same redirect URIs; code and hybrid flows, refresh tokens,
                     client credentials
  All: post-logout redirect URIs http://127.0.0.1/logged-out,
  http://[::1]/logged-out, http://127.0.0.1/logout-callback and
  http://[::1]/logout-callback, on any port; any other gets HTTP 400. Logout
  with a valid id_token_hint goes straight back, without a prompt.

Default users (password togo-mock):
  joe@m.test         Joe Marsh: administrator of "Joe Marsh", Campervan Owner
                     at "Airstream"
  ada@m.test         Ada Fleet: Fleet Manager at "Airstream"

Running as a service:
  <issuer>/health answers 200 with a small JSON status once the emulator
  serves (for readiness checks); with --json the description is printed once
  it listens. What it keeps is bounded: expired sessions and tokens are swept
  out every minute, and past --max-sessions the session unused longest goes,
  with its tokens (--debug says so). --keys keeps the signing key in a file,
  so restarts publish the same JWKS; rotate-keys still rotates within a run.

The emulator serves until Ctrl-C, which is its normal end: it closes cleanly
and exits 0.`;

export const mockMeta: CommandMeta = {
  name: 'mock',
  summary: 'run a local Togo ID emulator (a real OpenID provider) for tests',
};

export function declareMock(program: Command, runner: Runner): void {
  program
    .command(mockMeta.name)
    .summary(mockMeta.summary)
    .description(
      [
        "Run a local emulator of Togo ID on panva's oidc-provider, a certified OpenID provider. The issuer is http://<host>:<port>/identity, with discovery, JWKS and /identity/connect/* endpoints where Togo ID has them, and Togo ID's login page at /identity/login (profile, behaviourProfile, client_id, ReturnUrl). ID tokens are RS256 and carry the `user` claim (organizations and roles) as a JSON string.",
        'Prints the issuer, the discovery URL, the clients and the test users, then serves until Ctrl-C (exit 0). With --fault it misbehaves on purpose, so you can test that your application catches each failure.',
      ].join('\n\n'),
    )
    .option(
      '--port <n>',
      'port to listen on (the `mock` environment expects 4444); 0 picks a free one',
      parseIntFlag('--port'),
      4444,
    )
    .option('--host <address>', 'address to listen on (and to name in the issuer)', '127.0.0.1')
    .option('--users <file>', 'JSON array of test users, replacing the default ones')
    .option('--clients <file>', 'JSON array of oidc-provider client metadata, added to the default clients')
    .option(
      '--auto-login <email>',
      'sign this user in at once on every login, so logins complete without a person',
    )
    .option('--fault <name>', 'make the provider misbehave on purpose (repeatable; see below)', collect)
    .option(
      '--keys <file>',
      'keep the signing key and its certificate in this JSON Web Key Set file (created, mode 0600, when missing), so every start publishes the same keys',
    )
    .option(
      '--session-ttl <seconds>',
      'lifetime of sessions, grants and refresh tokens',
      parseIntFlag('--session-ttl', 1),
      3600,
    )
    .option(
      '--access-token-ttl <seconds>',
      'lifetime of access tokens',
      parseIntFlag('--access-token-ttl', 1),
      3600,
    )
    .option(
      '--max-sessions <n>',
      'sessions kept at most; past it the one unused longest goes, with its tokens',
      parseIntFlag('--max-sessions', 1),
      1000,
    )
    .addHelpText(
      'after',
      `${faultsHelp()}\n${DEFAULTS_HELP}\n${examples(
        'togo mock',
        'togo mock --port 5080 --auto-login joe@m.test',
        'togo mock --json --fault expired-id-token --fault rotate-keys',
        'togo mock --users ./test-users.json --clients ./clients.json',
        'togo mock --port 0 --json --keys ./mock-keys.json',
      )}`,
    )
    .action(async (flags: MockFlags, cmd: Command) => {
      await runner.run(cmd, 'mock', [flags]);
    });
}
