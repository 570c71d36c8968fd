import { resolve } from 'node:path';
import { resolveConfig } from '../../config/load.js';
import { type ConfigOptionValues, clientSecretOf } from '../../config/resolve.js';
import { TogoError } from '../../errors.js';
import { type ComposedLogin, composeLoginUrl, pendingLogin } from '../../oidc/login-url.js';
import { t } from '../../ui/safe.js';
import { renderComposedParams } from '../../ui/url-report.js';
import {
  authorizationMetadata,
  authorizationRequest,
  requestWarnings,
  requireRequestSettings,
} from '../shared/authorization.js';
import { openInBrowser } from '../shared/browser.js';
import { assertKeyIssuerTrusted, clientAuthOptions } from '../shared/client-key.js';
import { settingsWhere } from '../shared/config-flags.js';
import type { Ctx } from '../shared/context.js';
import { writeSecretFile } from '../shared/files.js';
import type { LoginUrlFlags } from './command.js';

export async function loginUrlCommand(
  ctx: Ctx,
  configValues: ConfigOptionValues,
  flags: LoginUrlFlags,
): Promise<number> {
  const resolved = await resolveConfig({ flags: configValues, ...settingsWhere(ctx) });
  const config = resolved;
  const s = resolved.settings;
  requireRequestSettings(s);

  const metadata = await authorizationMetadata(ctx, s.issuer, flags);
  if (metadata && s.issuer && typeof metadata.issuer === 'string' && metadata.issuer !== s.issuer) {
    ctx.warn(t`the discovery document's issuer ${metadata.issuer} differs from the configured ${s.issuer}`);
  }
  const request = authorizationRequest(config, flags, metadata, { state: flags.state, nonce: flags.nonce });
  let composed = composeLoginUrl(request);
  const warnings = requestWarnings(composed, request, metadata);
  for (const w of warnings) ctx.warn(t`${w.message}. ${w.hint}`);
  // RFC 9126: pushed first when asked for, or when the provider or the client requires it.
  const pushed = await pushRequest(ctx, s.issuer, metadata, composed, request.clientId, flags, () => {
    assertKeyIssuerTrusted(flags, resolved, configValues.trustDirectoryConfig);
    return clientSecretOf(resolved);
  });
  if (pushed) {
    composed = pushed.composed;
    ctx.note(
      ctx.styleErr.dim(
        `Pushed the authorization request (${pushed.reason}, RFC 9126); valid ${pushed.expiresIn} s.`,
      ),
    );
  }

  let saved: string | undefined;
  if (flags.save) {
    saved = resolve(ctx.cwd, flags.save);
    const doc = pendingLogin(composed, { ...request, ...(s.issuer ? { issuer: s.issuer } : {}) }, ctx.now());
    const issuerSource = resolved.sources.issuer;
    if (issuerSource?.origin === 'directory' && !configValues.trustDirectoryConfig && issuerSource.path) {
      doc.issuerFromDirectoryConfig = issuerSource.path;
    }
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
      ...(pushed
        ? { par: { requestUri: pushed.requestUri, expiresIn: pushed.expiresIn, reason: pushed.reason } }
        : {}),
      warnings,
      ...(saved ? { saved } : {}),
    });
  } else {
    // The URL alone on the first line keeps `$(togo login-url)` working; the table is narration
    // unless a person is watching stdout.
    ctx.print(t`${composed.url}`);
    if (!flags.urlOnly) {
      const table = renderComposedParams(composed, ctx.stdout.isTTY ? ctx.style : ctx.styleErr);
      // The line breaks are togo's own; only the URL inside is outside text (and escaped).
      const authorize = composed.flavor === 'togo' ? t`\n\nauthorize URL: ${composed.authorizeUrl}` : t``;
      if (ctx.stdout.isTTY) ctx.print(t`\n${table}${authorize}`);
      else ctx.note(t`${table}${authorize}`);
    }
    if (saved) ctx.note(t`saved the pending login to ${saved} (mode 0600: it holds the nonce and verifier)`);
  }

  if (flags.open) await openInBrowser(ctx, composed.url, flags.browser ?? ctx.env.TOGO_BROWSER);
  return 0;
}

async function pushRequest(
  ctx: Ctx,
  issuer: string | undefined,
  metadata: Record<string, unknown> | undefined,
  composed: ComposedLogin,
  clientId: string,
  flags: LoginUrlFlags,
  /** The client secret, if the rule for secrets (and keys) lets it go to this issuer (asked only when pushing). */
  clientSecret: () => string | undefined,
) {
  // --offline keeps login-url off the network unless a push is asked for.
  if (flags.offline && !flags.par) return undefined;
  if (!metadata) {
    if (!flags.par) return undefined;
    throw new TogoError(
      'USAGE',
      "--par needs the provider's discovery document (its pushed_authorization_request_endpoint)",
      {
        hint: 'Leave out --offline, or pass --discovery-file with the document.',
      },
    );
  }
  const { httpFor } = await import('../shared/http.js');
  const { parReason, pushAuthorizationRequest } = await import('../../provider/par.js');
  const http = httpFor(ctx, { timeoutMs: 10_000 });
  const reason = await parReason(http, metadata, composed, flags.par === true);
  if (!reason) return undefined;
  // The push carries the client's credentials: only to the issuer in effect, from its own document
  // (the gate checks both), and a saved document must be the user's own file.
  if (!issuer) {
    throw new TogoError('SETTING_MISSING', 'a pushed authorization request needs the issuer', {
      hint: 'Name the issuer (--issuer, TOGO_ISSUER, --env): the push goes only to its endpoint.',
    });
  }
  if (flags.discoveryFile) {
    const { assertFileIssuer, fileOwnership } = await import('../../provider/gate.js');
    const path = resolve(ctx.cwd, flags.discoveryFile);
    const owned = fileOwnership(path);
    const named = typeof metadata.issuer === 'string' ? metadata.issuer : '(none)';
    const file = { what: 'the discovery file', path, issuer: named };
    assertFileIssuer(file, { issuer, how: 'the issuer in effect' });
    if (!owned.own) {
      throw new TogoError(
        'FILE_NOT_TRUSTED',
        `the discovery file ${path} would choose where the pushed request goes, but it is not yours: ${owned.why}; nothing is sent`,
        { details: { file: path, why: owned.why } },
      );
    }
  }
  const secret = clientSecret();
  return pushAuthorizationRequest(
    {
      issuer,
      metadata,
      http,
      ...(secret ? { clientSecret: secret } : {}),
      ...(await clientAuthOptions(ctx, flags)),
      now: ctx.now,
      ...(flags.discoveryFile ? { documentFrom: resolve(ctx.cwd, flags.discoveryFile) } : {}),
    },
    composed,
    clientId,
    reason,
  );
}
