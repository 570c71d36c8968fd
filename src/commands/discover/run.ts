import { hasFailure } from '../../check.js';
import type { ConfigOptionValues } from '../../config/resolve.js';
import { resolveTarget } from '../../config/target.js';
import { fetchDiscovery } from '../../provider/discovery.js';
import { inspectProvider } from '../../provider/inspect.js';
import { discoverJson, renderDiscover } from '../../ui/discover.js';
import { settingsWhere } from '../shared/config-flags.js';
import type { Ctx } from '../shared/context.js';
import { httpFor } from '../shared/http.js';
import type { DiscoverFlags } from './command.js';

export async function discoverCommand(
  ctx: Ctx,
  arg: string | undefined,
  config: ConfigOptionValues,
  flags: DiscoverFlags,
): Promise<number> {
  const { issuer } = await resolveTarget(settingsWhere(ctx), arg, config);
  const http = httpFor(ctx, { timeoutMs: flags.timeout * 1000, ...(flags.ca ? { caFile: flags.ca } : {}) });
  ctx.note(ctx.styleErr.dim(`Fetching the discovery document for ${issuer}…`));
  const discovery = await fetchDiscovery(http, issuer);
  if (flags.raw) {
    // The document as served: as it is to a pipe, escaped on a terminal (see printBytes).
    ctx.printBytes(discovery.raw.endsWith('\n') ? discovery.raw : `${discovery.raw}\n`);
    return 0;
  }
  const inspection = await inspectProvider(http, issuer, { discovery, strict: flags.strict === true });
  if (ctx.json) ctx.printJson(discoverJson(inspection));
  else ctx.print(renderDiscover(inspection, ctx.style));
  return hasFailure(inspection.findings) ? 1 : 0;
}
