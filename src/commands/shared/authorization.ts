/**
 * Building an authorization request from the resolved settings and the request flags: shared by
 * `togo login-url`, which prints it, and `togo login`, which runs it.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ResolvedConfig } from '../../config/resolve.js';
import { howToSet } from '../../config/resolve.js';
import { TogoError } from '../../errors.js';
import { limitDepth } from '../../oidc/depth.js';
import { inspectUrl } from '../../oidc/inspect-url.js';
import {
  type AuthorizationMetadata,
  advertisedWarnings,
  type ComposedLogin,
  type LoginRequest,
} from '../../oidc/login-url.js';
import type { AuthorizeFlags } from './authorize-flags.js';
import type { Ctx } from './context.js';

export interface RequestWarning {
  id: string;
  message: string;
  hint: string;
}

export interface RequestOverrides {
  state?: string;
  nonce?: string;
  /** The redirect URI actually used (a loopback listener's, with its port). */
  redirectUri?: string;
}

/** The authorization request the settings and flags describe; refuses what is missing, with a hint. */
export function authorizationRequest(
  config: ResolvedConfig,
  flags: AuthorizeFlags,
  metadata: AuthorizationMetadata | undefined,
  overrides: RequestOverrides = {},
): LoginRequest {
  const { settings: s, sources } = config;
  const { clientId, redirectUri } = requireRequestSettings(s, overrides.redirectUri);

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
  return {
    flavor: s.flavor,
    authorizationEndpoint: endpoint,
    ...(s.loginBase ? { loginBase: s.loginBase } : {}),
    profile: s.profile,
    behaviourProfile: s.behaviourProfile,
    relativeReturnUrl: flags.relativeReturnUrl === true,
    clientId,
    redirectUri,
    responseType: s.responseType,
    scope: s.scope,
    ...(s.responseMode ? { responseMode: s.responseMode } : {}),
    ...(overrides.state !== undefined ? { state: overrides.state } : {}),
    ...(overrides.nonce !== undefined ? { nonce: overrides.nonce } : {}),
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
}

/**
 * What the provider will likely refuse: capabilities discovery does not advertise, and the checks
 * `togo inspect-url` makes. Such a request is still composed (testing refusals is legitimate), but said.
 */
export function requestWarnings(
  composed: ComposedLogin,
  request: LoginRequest,
  metadata: AuthorizationMetadata | undefined,
): RequestWarning[] {
  const warnings: RequestWarning[] = metadata
    ? advertisedWarnings(metadata, {
        responseType: request.responseType,
        scope: request.scope,
        ...(request.responseMode ? { responseMode: request.responseMode } : {}),
        ...(composed.codeChallengeMethod ? { codeChallengeMethod: composed.codeChallengeMethod } : {}),
      })
    : [];
  for (const f of inspectUrl(composed.url).findings) {
    if (f.status !== 'info') warnings.push({ id: f.id, message: f.message, hint: f.hint ?? '' });
  }
  return warnings;
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

/**
 * The settings every authorization request needs, checked before any request goes on the network:
 * a missing one is reported at once, not after a discovery that could fail or hang.
 */
export function requireRequestSettings(
  s: { clientId?: string; redirectUri?: string },
  redirectOverride?: string,
): { clientId: string; redirectUri: string } {
  if (!s.clientId) throw new TogoError('SETTING_MISSING', 'no client id', { hint: howToSet('clientId') });
  const redirectUri = redirectOverride ?? s.redirectUri;
  if (!redirectUri)
    throw new TogoError('SETTING_MISSING', 'no redirect URI', { hint: howToSet('redirectUri') });
  return { clientId: s.clientId, redirectUri };
}

/**
 * The provider's metadata for composing a request: a saved document (--discovery-file), else the
 * live one when it answers within a few seconds; offline use works without it (--offline skips it).
 */
export async function authorizationMetadata(
  ctx: Ctx,
  issuer: string | undefined,
  flags: { discoveryFile?: string; offline?: boolean; timeout?: number },
): Promise<AuthorizationMetadata | undefined> {
  if (flags.discoveryFile) return readDiscoveryFile(ctx, flags.discoveryFile);
  if (flags.offline || !issuer) return undefined;
  const { httpFor } = await import('./http.js');
  const { fetchDiscovery } = await import('../../provider/discovery.js');
  try {
    const discovery = await fetchDiscovery(
      httpFor(ctx, { timeoutMs: Math.min(flags.timeout ?? 3, 10) * 1000 }),
      issuer,
    );
    return discovery.metadata as AuthorizationMetadata;
  } catch (error) {
    const code = error instanceof TogoError ? error.code : 'NET_ERROR';
    ctx.note(ctx.styleErr.dim(`Discovery for ${issuer} did not answer (${code}); composed without it.`));
    return undefined;
  }
}

async function readDiscoveryFile(ctx: Ctx, file: string): Promise<AuthorizationMetadata> {
  const path = resolve(ctx.cwd, file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new TogoError('INPUT_UNREADABLE', `cannot read the discovery file ${path}`, { cause: error });
  }
  let doc: unknown;
  try {
    doc = limitDepth(JSON.parse(text)).value;
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
