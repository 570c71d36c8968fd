import type { Command } from 'commander';
import { conformanceMeta } from '../meta.js';
import { flag } from '../shared/flags.js';
import { commandFor, examples, type Runner } from '../shared/kit.js';

export interface ConformanceFlags {
  startUrl?: string;
  successText?: string;
  successUrl?: string;
  port: number;
  clients?: string;
  user: string;
  faults?: string;
  junit?: string;
  timeout: number;
}

const AFTER = `
How it works:
  1. The emulator starts on --port (as \`togo mock\` does: issuer
     http://127.0.0.1:<port>/identity), with --user signed in at once on every
     login. Configure your application with that issuer and one of its clients
     (togo-cli, togo-confidential, or your own from --clients) beforehand.
  2. Chromium (/usr/bin/chromium, or TOGO_CHROMIUM, or a Playwright browser
     server's endpoint in TOGO_BROWSER_ENDPOINT; driven by playwright-core)
     opens --start-url in a fresh context per login and follows it through the
     emulator back to the application. The application accepted a login when the
     final page shows --success-text (or its URL matches --success-url) with a
     status below 400; anything else is a rejection.
  3. A control login without a fault must be accepted, first and again after
     every fault case, so an application that stops accepting good logins is
     told apart from one that rejects.
  4. Each fault that applies to the application's flow is switched on for one
     login, in the same emulator with the same keys. Expected outcomes come from
     \`togo mock --help\`: reject, accept (e.g. missing-at-hash at the token
     endpoint), or either where the specification allows it.

Output: a table (fault, expected, what the application did, verdict; the rule
broken and the usual cause for each failure), --json, --junit <file>; GitHub
Actions annotations when GITHUB_ACTIONS=true. Exit 0 when every case met its
expectation, 1 when the application accepted a fault it must reject (or refused
a good login), 2 on a usage or set-up error, 4 when the control login failed.`;

export function declareConformance(program: Command, runner: Runner): void {
  commandFor(program, conformanceMeta)
    .option('--start-url <url>', "the application's page that starts a login (required)")
    .option('--success-text <text>', 'text on the page the application shows a signed-in user')
    .option('--success-url <regex>', 'or: a regular expression that the signed-in page URL matches')
    .addOption(flag.port("the emulator's port (your application's issuer names it); 0 picks a free one"))
    .addOption(flag.clients())
    .option('--user <email>', 'the test user signed in on every login', 'joe@m.test')
    .option('--faults <names>', 'only these faults, comma-separated (default: every fault a login can meet)')
    .addOption(flag.junit())
    .addOption(flag.timeout('how long one login may take', 15))
    .addHelpText(
      'after',
      `${AFTER}\n${examples(
        'togo conformance --start-url http://127.0.0.1:5055/login --success-text "Signed in as"',
        'togo conformance --start-url http://127.0.0.1:5055/login --success-url "/home$" --faults wrong-audience,alg-none --json',
      )}`,
    )
    .action(async (flags: ConformanceFlags, cmd: Command) => {
      await runner.run(cmd, 'conformance', [flags]);
    });
}
