import { type Command, Option } from 'commander';
import { examples } from '../program.js';
import { parseIntFlag, type Runner } from '../run.js';

export interface CallbackFlags {
  pending: string;
  httpTimeout: number;
  ca?: string;
  clockSkew: number;
  print?: 'id_token' | 'access_token';
  save?: string;
}

export function declareCallback(program: Command, runner: Runner): void {
  program
    .command('callback')
    .summary('complete a split login: verify the redirect URL pasted from another machine')
    .description(
      'The second half of a split login. `togo login-url --save pending.json` composed the URL and kept its state,\n' +
        'nonce and PKCE verifier; the URL was opened on another machine; paste the URL the browser was sent back to\n' +
        '(or `-` to read it from standard input). It is verified exactly as `togo login` verifies a response.',
    )
    .argument(
      '<redirect-url>',
      'the URL the provider redirected to (fragment or query), or - for standard input',
    )
    .requiredOption('--pending <file>', 'the file `togo login-url --save` wrote')
    .option(
      '--http-timeout <seconds>',
      'network timeout for discovery, keys and the token request',
      parseIntFlag('--http-timeout', 1),
      10,
    )
    .option('--ca <file>', 'extra CA certificates (PEM) for a private provider')
    .option(
      '--clock-skew <seconds>',
      'allowed clock difference when checking the tokens',
      parseIntFlag('--clock-skew'),
      60,
    )
    .addOption(
      new Option('--print <token>', 'print only this raw token (after every check passed)').choices([
        'id_token',
        'access_token',
      ]),
    )
    .option('--save <file>', 'save the tokens to this file (mode 0600)')
    .addHelpText(
      'after',
      examples(
        'togo login-url --env dev --save pending.json       # open the URL anywhere, then:',
        "togo callback 'http://127.0.0.1:8765/callback#state=…&id_token=…' --pending pending.json",
        'pbpaste | togo callback - --pending pending.json --json',
      ),
    )
    .action(async (url: string, opts: CallbackFlags, command: Command) => {
      await runner.run(command, async (ctx) => {
        const { callbackCommand } = await import('../../commands/callback.js');
        return callbackCommand(ctx, url, opts);
      });
    });
}
