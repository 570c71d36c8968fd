import type { Command } from 'commander';
import { inspectUrlMeta } from '../meta.js';
import { commandFor, examples, type Runner } from '../shared/kit.js';

export interface InspectUrlFlags {
  togo?: boolean;
}

export function declareInspectUrl(program: Command, runner: Runner): void {
  commandFor(program, inspectUrlMeta)
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
