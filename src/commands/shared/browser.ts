import { acceptsEndOfOptions, openableUrl } from '../../oidc/open-url.js';
import { t } from '../../ui/safe.js';
import type { Ctx } from './context.js';

/**
 * Opens a URL: with a browser command (`--browser`, TOGO_BROWSER) that gets the URL as its last
 * argument (after `--` for browsers that take it), else with the `open` package. Only `https:`, or
 * `http:` to this machine, is opened, never a value beginning with `-` (see oidc/open-url.ts); a
 * refused URL, like a browser that does not start, is a warning: the URL is already printed.
 */
export async function openInBrowser(ctx: Ctx, url: string, command: string | undefined): Promise<void> {
  const checked = openableUrl(url);
  if (!checked.ok) {
    ctx.warn(t`togo does not open this URL in a browser: ${checked.reason}`);
    return;
  }
  const href = checked.href;
  try {
    if (command?.trim()) {
      const [file, ...args] = splitCommand(command.trim());
      const endOfOptions = acceptsEndOfOptions(file!) ? ['--'] : [];
      // Loaded here, not at start-up: only --open needs it.
      const { spawn } = process.getBuiltinModule('node:child_process');
      await new Promise<void>((resolvePromise, reject) => {
        const child = spawn(file!, [...args, ...endOfOptions, href], { stdio: 'ignore', detached: true });
        child.once('error', reject);
        child.once('spawn', () => {
          child.unref();
          resolvePromise();
        });
      });
    } else {
      await (await loadOpen())(href);
    }
    ctx.note(t`opened the URL in the browser`);
  } catch (error) {
    ctx.warn(t`could not open the browser (${(error as Error).message}); open the URL above yourself`);
  }
}

/** Splits a command line on spaces, honouring simple single and double quotes. */
export function splitCommand(command: string): string[] {
  const out: string[] = [];
  for (const m of command.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) out.push(m[1] ?? m[2] ?? m[3]!);
  return out;
}

type Open = typeof import('open').default;

/**
 * The `open` package, an ES module. The CLI's CommonJS bundles require() it, and Node hands its
 * namespace over as the default export of the namespace the bundle sees; unwrap either shape.
 */
async function loadOpen(): Promise<Open> {
  const mod: { default: unknown } = await import('open');
  const candidate =
    typeof mod.default === 'function' ? mod.default : (mod.default as { default?: unknown }).default;
  if (typeof candidate !== 'function') throw new Error('the open package has no default export');
  return candidate as Open;
}
