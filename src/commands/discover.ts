import type { DiscoverFlags } from '../cli/commands/discover.js';
import type { Ctx } from '../cli/context.js';
import { httpClientFor } from '../http/for-run.js';
import { hasFailure } from '../oidc/findings.js';
import { fetchDiscovery } from '../provider/discovery.js';
import { inspectProvider } from '../provider/inspect.js';
import { resolveIssuer } from '../provider/target.js';
import { discoverJson, renderDiscover } from '../ui/discover.js';

export async function discoverCommand(
  ctx: Ctx,
  arg: string | undefined,
  flags: DiscoverFlags,
): Promise<number> {
  const issuer = resolveIssuer(arg, flags, ctx.env);
  const http = httpClientFor(ctx, flags);
  try {
    ctx.note(ctx.styleErr.dim(`Fetching the discovery document for ${issuer}…`));
    const discovery = await fetchDiscovery(http, issuer);
    if (flags.raw) {
      ctx.stdout.write(discovery.raw.endsWith('\n') ? discovery.raw : `${discovery.raw}\n`);
      return 0;
    }
    const inspection = await inspectProvider(http, issuer, { discovery, strict: flags.strict === true });
    if (ctx.json) ctx.printJson(discoverJson(inspection));
    else ctx.print(renderDiscover(inspection, ctx.style));
    return hasFailure(inspection.findings) ? 1 : 0;
  } finally {
    await http.close();
  }
}
