import type { Command } from 'commander';
import { callbackMeta } from '../meta.js';
import { addCompletionFlags, type CompletionFlags } from '../shared/authorize-flags.js';
import { addClientAuthFlags, type ClientAuthFlags } from '../shared/client-auth-flags.js';
import { commandFor, examples, type Runner } from '../shared/kit.js';

export interface CallbackFlags extends CompletionFlags, ClientAuthFlags {
  pending: string;
}

export function declareCallback(program: Command, runner: Runner): void {
  const cmd = commandFor(program, callbackMeta)
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
