import type { Command } from 'commander';
import { addCompletionFlags, type CompletionFlags } from '../shared/authorize-flags.js';
import { addClientAuthFlags, type ClientAuthFlags } from '../shared/client-auth-flags.js';
import type { CommandMeta, Runner } from '../shared/kit.js';
import { examples } from '../shared/kit.js';

export interface CallbackFlags extends CompletionFlags, ClientAuthFlags {
  pending: string;
}

export const callbackMeta: CommandMeta = {
  name: 'callback',
  summary: 'complete a split login: verify the redirect URL pasted from another machine',
  args: '<redirect-url>',
};

export function declareCallback(program: Command, runner: Runner): void {
  const cmd = program
    .command(callbackMeta.name)
    .summary(callbackMeta.summary)
    .description(
      'The second half of a split login. `togo login-url --save pending.json` composed the URL and kept its state, nonce and PKCE verifier; the URL was opened on another machine; paste the URL the browser was sent back to (or `-` to read it from standard input). It is verified exactly as `togo login` verifies a response.',
    )
    .argument(
      '<redirect-url>',
      'the URL the provider redirected to (fragment or query), or - for standard input',
    )
    .requiredOption(
      '--pending <file>',
      'the file `togo login-url --save` wrote; it names the issuer when it is yours (mode 600)',
    );
  addClientAuthFlags(addCompletionFlags(cmd))
    .addHelpText(
      'after',
      examples(
        'togo login-url --env dev --save pending.json       # open the URL anywhere, then:',
        "togo callback 'http://127.0.0.1:8765/callback#state=…&id_token=…' --pending pending.json",
        'pbpaste | togo callback - --pending pending.json --json',
      ),
    )
    .action(async (url: string, opts: CallbackFlags, command: Command) => {
      await runner.run(command, 'callback', [url, opts]);
    });
}
