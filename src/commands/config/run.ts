import { resolveConfig } from '../../config/load.js';
import type { ConfigOptionValues } from '../../config/resolve.js';
import { renderConfig } from '../../ui/config-report.js';
import type { Ctx } from '../shared/context.js';

export async function configCommand(ctx: Ctx, flags: ConfigOptionValues): Promise<number> {
  const resolved = await resolveConfig({
    flags,
    env: ctx.env,
    cwd: ctx.cwd,
    onConfigFiles: ctx.onConfigFiles,
  });
  const { clientSecret, ...settings } = resolved.settings;
  if (ctx.json) {
    ctx.printJson({
      ok: true,
      environment: settings.environment ?? null,
      settings: {
        ...settings,
        ...(clientSecret ? { clientSecret: '(set)' } : {}),
        ...(resolved.secretWithheld ? { clientSecret: '(set, withheld)' } : {}),
      },
      ...(resolved.secretWithheld ? { secretWithheld: resolved.secretWithheld } : {}),
      sources: resolved.sources,
      files: resolved.files,
      environments: resolved.environments,
    });
    return 0;
  }
  ctx.print(renderConfig(resolved, ctx.style));
  return 0;
}
