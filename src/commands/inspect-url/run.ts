import { TogoError } from '../../errors.js';
import { inspectUrl } from '../../oidc/inspect-url.js';
import { cleanPastedUrl, describeCleaning } from '../../oidc/paste.js';
import { renderInspection } from '../../ui/url-report.js';
import type { Ctx } from '../shared/context.js';
import type { InspectUrlFlags } from './command.js';

/** URLs are short; anything this large is a file of logs pasted by mistake. */
const MAX_URL_BYTES = 64 * 1024;

export async function inspectUrlCommand(
  ctx: Ctx,
  arg: string | undefined,
  flags: InspectUrlFlags,
): Promise<number> {
  let input = arg;
  if (input === undefined || input === '-') {
    if (input === undefined && ctx.stdin.isTTY) {
      throw new TogoError('USAGE', 'no URL given', {
        hint: "Pass the URL in quotes: togo inspect-url '<url>'.",
      });
    }
    input = await readAll(ctx);
  }
  if (input.length > MAX_URL_BYTES) {
    throw new TogoError(
      'INPUT_TOO_LARGE',
      `the input has ${input.length} characters; a URL has a few thousand at most`,
      {
        hint: 'Pass the URL itself.',
      },
    );
  }
  if (input.trim() === '') throw new TogoError('URL_MALFORMED', 'the input is empty');
  const pasted = cleanPastedUrl(input);
  if (pasted.cleaned.length > 0) {
    ctx.note(ctx.styleErr.dim(`Cleaned the pasted URL: ${describeCleaning(pasted.cleaned)}.`));
  }
  const result = inspectUrl(pasted.text, flags.togo ? { togo: true } : {});
  if (ctx.json) ctx.printJson(result);
  else ctx.print(renderInspection(result, ctx.style));
  return result.ok ? 0 : 1;
}

async function readAll(ctx: Ctx): Promise<string> {
  let text = '';
  for await (const chunk of ctx.stdin) {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    if (text.length > MAX_URL_BYTES) break;
  }
  return text;
}
