import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { openInBrowser } from '../cli/browser.js';
import type { ConfigOptionValues } from '../cli/commands/config.js';
import type { LoginUrlFlags } from '../cli/commands/login-url.js';
import type { Ctx } from '../cli/context.js';
import { writeSecretFile } from '../cli/files.js';
import { resolveConfig } from '../config/load.js';
import { howToSet } from '../config/resolve.js';
import { TogoError } from '../errors.js';
import { inspectUrl } from '../oidc/inspect-url.js';
import {
  type AuthorizationMetadata,
  advertisedWarnings,
  composeLoginUrl,
  type LoginRequest,
  pendingLogin,
} from '../oidc/login-url.js';
import { renderComposedParams } from '../ui/url-report.js';

export async function loginUrlCommand(
  ctx: Ctx,
  config: ConfigOptionValues,
  flags: LoginUrlFlags,
): Promise<number> {
  const { settings: s, sources } = await resolveConfig({ flags: config, env: ctx.env, cwd: ctx.cwd });
  if (!s.clientId) throw new TogoError('SETTING_MISSING', 'no client id', { hint: howToSet('clientId') });
  if (!s.redirectUri)
    throw new TogoError('SETTING_MISSING', 'no redirect URI', { hint: howToSet('redirectUri') });

  // Discovery is consulted only from a file for now; the live fetch arrives with the HTTP layer.
  const metadata = flags.discoveryFile ? await readDiscoveryFile(ctx, flags.discoveryFile) : undefined;
  if (metadata && s.issuer && typeof metadata.issuer === 'string' && metadata.issuer !== s.issuer) {
    ctx.warn(`the discovery document's issuer ${metadata.issuer} differs from the configured ${s.issuer}`);
  }

  // An endpoint someone set explicitly wins over discovery; discovery wins over the IdentityServer guess.
  let endpoint = s.authorizationEndpoint;
  const discovered = metadata?.authorization_endpoint;
  if (typeof discovered === 'string' && (!endpoint || sources.authorizationEndpoint?.kind === 'derived')) {
    endpoint = discovered;
  }
  if (!endpoint) {
    throw new TogoError('SETTING_MISSING', 'no authorization endpoint for the standard flavor', {
      hint: `Pass --authorization-endpoint or --discovery-file <file> (the document at <issuer>/.well-known/openid-configuration). ${howToSet('authorizationEndpoint')}`,
    });
  }
  if (s.flavor === 'togo' && !s.loginBase) {
    throw new TogoError('SETTING_MISSING', 'no Togo ID login base', { hint: howToSet('loginBase') });
  }

  const request: LoginRequest = {
    flavor: s.flavor,
    authorizationEndpoint: endpoint,
    ...(s.loginBase ? { loginBase: s.loginBase } : {}),
    profile: s.profile,
    behaviourProfile: s.behaviourProfile,
    relativeReturnUrl: flags.relativeReturnUrl === true,
    clientId: s.clientId,
    redirectUri: s.redirectUri,
    responseType: s.responseType,
    scope: s.scope,
    ...(s.responseMode ? { responseMode: s.responseMode } : {}),
    ...(flags.state !== undefined ? { state: flags.state } : {}),
    ...(flags.nonce !== undefined ? { nonce: flags.nonce } : {}),
    pkce: flags.pkce !== false,
    ...(flags.prompt ? { prompt: flags.prompt } : {}),
    ...(flags.loginHint ? { loginHint: flags.loginHint } : {}),
    ...(flags.maxAge !== undefined ? { maxAge: flags.maxAge } : {}),
    ...(flags.acrValues ? { acrValues: flags.acrValues } : {}),
    ...(flags.uiLocales ? { uiLocales: flags.uiLocales } : {}),
    ...(flags.audience ? { audience: flags.audience } : {}),
    ...(flags.resource ? { resource: flags.resource } : {}),
    extraParams: (flags.param ?? []).map(parseParam),
  };
  const composed = composeLoginUrl(request);

  const warnings: { id: string; message: string; hint: string }[] = metadata
    ? advertisedWarnings(metadata, {
        responseType: s.responseType,
        scope: s.scope,
        ...(s.responseMode ? { responseMode: s.responseMode } : {}),
        ...(composed.codeChallengeMethod ? { codeChallengeMethod: composed.codeChallengeMethod } : {}),
      })
    : [];
  // The same checks inspect-url makes: a request the provider will refuse (query mode with tokens,
  // an http redirect URI, …) is still composed, since testing such refusals is legitimate, but said.
  for (const f of inspectUrl(composed.url).findings) {
    if (f.severity !== 'info') warnings.push({ id: f.id, message: f.message, hint: f.hint });
  }
  for (const w of warnings) ctx.warn(`${w.message}. ${w.hint}`);

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
    ctx.print(composed.url);
    if (!flags.urlOnly) {
      const table = renderComposedParams(composed, ctx.stdout.isTTY ? ctx.style : ctx.styleErr);
      const authorize = composed.flavor === 'togo' ? `\n\nauthorize URL: ${composed.authorizeUrl}` : '';
      if (ctx.stdout.isTTY) ctx.print(`\n${table}${authorize}`);
      else ctx.note(`${table}${authorize}`);
    }
    if (saved) ctx.note(`saved the pending login to ${saved} (mode 0600: it holds the nonce and verifier)`);
  }

  if (flags.open) await openInBrowser(ctx, composed.url, flags.browser ?? ctx.env.TOGO_BROWSER);
  return 0;
}

function parseParam(text: string): [string, string] {
  const eq = text.indexOf('=');
  if (eq <= 0) {
    throw new TogoError('USAGE', `--param takes name=value, not "${text}"`, {
      hint: 'For example --param organization_id=abc; repeat --param for more.',
    });
  }
  return [text.slice(0, eq), text.slice(eq + 1)];
}

async function readDiscoveryFile(ctx: Ctx, file: string): Promise<AuthorizationMetadata> {
  const path = resolve(ctx.cwd, file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new TogoError('INPUT_UNREADABLE', `cannot read the discovery file ${path}`, { cause: error });
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new TogoError('INPUT_UNREADABLE', `${path} is not JSON (${(error as Error).message})`, {
      hint: 'Save the document from <issuer>/.well-known/openid-configuration as it is.',
      cause: error,
    });
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new TogoError('INPUT_UNREADABLE', `${path} is not a discovery document (a JSON object)`, {
      hint: 'Save the document from <issuer>/.well-known/openid-configuration as it is.',
    });
  }
  return doc as AuthorizationMetadata;
}
