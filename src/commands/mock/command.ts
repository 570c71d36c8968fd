import type { Command } from 'commander';
import { FAULT_NAMES, fault } from '../../mock/faults.js';
import { mockMeta } from '../meta.js';
import { flag } from '../shared/flags.js';
import { collect, commandFor, examples, parseIntFlag, type Runner, wrapHelp } from '../shared/kit.js';

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

export function declareMock(program: Command, runner: Runner): void {
  commandFor(program, mockMeta)
    .addOption(flag.port('port to listen on (the `mock` environment expects 4444); 0 picks a free one'))
    .option('--host <address>', 'address to listen on (and to name in the issuer)', '127.0.0.1')
    .option('--users <file>', 'JSON array of test users, replacing the default ones')
    .addOption(flag.clients())
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
