import { resolve } from 'node:path';
import { resolveConfig } from '../../config/load.js';
import type { ConfigOptionValues } from '../../config/resolve.js';
import { composeLoginUrl, pendingLogin } from '../../oidc/login-url.js';
import { t } from '../../ui/safe.js';
import { renderComposedParams } from '../../ui/url-report.js';
import { authorizationMetadata, authorizationRequest, requestWarnings } from '../shared/authorization.js';
import { openInBrowser } from '../shared/browser.js';
import type { Ctx } from '../shared/context.js';
import { writeSecretFile } from '../shared/files.js';
import type { LoginUrlFlags } from './command.js';

export async function loginUrlCommand(
  ctx: Ctx,
  configValues: ConfigOptionValues,
  flags: LoginUrlFlags,
): Promise<number> {
  const resolved = await resolveConfig({ flags: configValues, env: ctx.env, cwd: ctx.cwd });
  const config = resolved;
  const s = resolved.settings;

  const metadata = await authorizationMetadata(ctx, s.issuer, flags);
  if (metadata && s.issuer && typeof metadata.issuer === 'string' && metadata.issuer !== s.issuer) {
    ctx.warn(t`the discovery document's issuer ${metadata.issuer} differs from the configured ${s.issuer}`);
  }
  const request = authorizationRequest(config, flags, metadata, { state: flags.state, nonce: flags.nonce });
  const composed = composeLoginUrl(request);
  const warnings = requestWarnings(composed, request, metadata);
  for (const w of warnings) ctx.warn(t`${w.message}. ${w.hint}`);

  let saved: string | undefined;
  if (flags.save) {
    saved = resolve(ctx.cwd, flags.save);
    const doc = pendingLogin(composed, { ...request, ...(s.issuer ? { issuer: s.issuer } : {}) }, ctx.now());
    await writeSecretFile(saved, `${JSON.stringify(doc, null, 2)}\n`);
  }

  if (ctx.json) {
    ctx.printJson({
      ok: true,
      url: composed.url,
      authorizeUrl: composed.authorizeUrl,
      flavor: composed.flavor,
      state: composed.state,
      nonce: composed.nonce,
      codeVerifier: composed.codeVerifier ?? null,
      redirectUri: composed.redirectUri,
      params: composed.params,
      warnings,
      ...(saved ? { saved } : {}),
    });
  } else {
    // The URL alone on the first line keeps `$(togo login-url)` working; the table is narration
    // unless a person is watching stdout.
    ctx.print(t`${composed.url}`);
    if (!flags.urlOnly) {
      const table = renderComposedParams(composed, ctx.stdout.isTTY ? ctx.style : ctx.styleErr);
      const authorize = composed.flavor === 'togo' ? `\n\nauthorize URL: ${composed.authorizeUrl}` : '';
      if (ctx.stdout.isTTY) ctx.print(t`\n${table}${authorize}`);
      else ctx.note(t`${table}${authorize}`);
    }
    if (saved) ctx.note(t`saved the pending login to ${saved} (mode 0600: it holds the nonce and verifier)`);
  }

  if (flags.open) await openInBrowser(ctx, composed.url, flags.browser ?? ctx.env.TOGO_BROWSER);
  return 0;
}
