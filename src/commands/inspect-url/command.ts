import type { Command } from 'commander';
import { type CommandMeta, commandFor, examples, type Runner } from '../shared/kit.js';

export interface InspectUrlFlags {
  togo?: boolean;
}

export const inspectUrlMeta: CommandMeta = {
  name: 'inspect-url',
  summary: 'explain a login or authorize URL and flag its problems',
  args: '[url]',
};

export function declareInspectUrl(program: Command, runner: Runner): void {
  commandFor(
    program,
    inspectUrlMeta,
    'Parse a Togo ID login URL or any authorization URL, decode the nested ReturnUrl, list every parameter and flag problems with a status (FAIL, WARN, INFO) and a hint: ReturnUrl encoded twice or not at all, missing profile, behaviourProfile, client_id or nonce, client_id mismatch, state rules, query mode with tokens, insecure or localhost redirect URIs, scope without openid, IdentityServer length limits.',
    'Exit 1 when a FAIL finding exists, 2 when the URL cannot be parsed.',
  )
    .argument('[url]', 'the URL (quote it), or - to read standard input (the default when stdin is a pipe)')
    .option('--togo', "apply Togo ID's rules (state) to a bare authorize URL on another host")
    .addHelpText(
      'after',
      examples(
        'togo login-url --env mock --url-only | togo inspect-url',
        'pbpaste | togo inspect-url',
        'togo inspect-url --json "$URL" | jq \'.findings[] | select(.status == "fail")\'',
      ),
    )
    .action(async (url: string | undefined, flags: InspectUrlFlags, command: Command) => {
      await runner.run(command, 'inspect-url', [url, flags]);
    });
}
