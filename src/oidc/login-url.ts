import { TogoError } from '../errors.js';
import { codeChallengeS256, isValidCodeVerifier, newCodeVerifier, newNonce, newState } from './pkce.js';

/**
 * Composes authorization requests (OpenID Connect Core §3.1.2.1) and Togo ID login URLs. Pure:
 * the only outside input is the CSPRNG behind state, nonce and verifier, and callers may pass
 * their own values instead.
 */

export type LoginFlavor = 'togo' | 'standard';

export interface LoginRequest {
  flavor: LoginFlavor;
  /** The provider's authorization_endpoint; for Togo ID `<issuer>/connect/authorize`. */
  authorizationEndpoint: string;
  /** Togo flavor: the base whose `/login` page receives the user (usually the issuer). */
  loginBase?: string;
  /** Togo flavor: page style and account behaviour; both `togo` unless Togo says otherwise. */
  profile?: string;
  behaviourProfile?: string;
  /** Togo flavor: ReturnUrl as a local path (`/identity/connect/authorize?…`), IdentityServer's own form. */
  relativeReturnUrl?: boolean;
  clientId: string;
  redirectUri: string;
  responseType: string;
  scope: string;
  responseMode?: string;
  /** Generated from the CSPRNG when absent. */
  state?: string;
  nonce?: string;
  codeVerifier?: string;
  /** PKCE S256 is added whenever the response type contains `code`, unless this is false. */
  pkce?: boolean;
  prompt?: string;
  loginHint?: string;
  maxAge?: number;
  acrValues?: string;
  uiLocales?: string;
  /** Auth0-style API audience. */
  audience?: string;
  /** RFC 8707 resource indicators; the parameter may repeat. */
  resource?: string[];
  /** Anything else, appended in order. */
  extraParams?: ReadonlyArray<readonly [string, string]>;
}

export interface ParamRow {
  name: string;
  value: string;
  /** `login` for the Togo login page's own parameters, `authorize` for those of the authorize URL. */
  in: 'login' | 'authorize';
}

export interface ComposedLogin {
  /** What to open in the browser: the Togo login URL, or the authorize URL itself. */
  url: string;
  /** The authorization request (absolute, even when ReturnUrl carries the relative form). */
  authorizeUrl: string;
  flavor: LoginFlavor;
  state: string;
  nonce: string;
  codeVerifier?: string;
  codeChallenge?: string;
  codeChallengeMethod?: 'S256';
  redirectUri: string;
  /** Every parameter, the login page's first, then the authorize URL's, decoded. */
  params: ParamRow[];
}

/**
 * Parameters of the authorization request itself, never of Togo ID's login page: seen outside
 * ReturnUrl, they leaked out of it.
 */
export const AUTHORIZE_REQUEST_PARAMS = [
  'nonce',
  'redirect_uri',
  'response_type',
  'scope',
  'state',
  'response_mode',
  'code_challenge',
  'code_challenge_method',
] as const;

/** Parameters togo sets itself; `--param` may not set them a second time (RFC 6749 §3.1). */
export const RESERVED_PARAMS = [
  'client_id',
  ...AUTHORIZE_REQUEST_PARAMS,
  'prompt',
  'login_hint',
  'max_age',
  'acr_values',
  'ui_locales',
  'audience',
  'resource',
] as const;

/** IdentityServer's input limits (InputLengthRestrictions), which Togo ID enforces. */
export const IS_LIMITS = { clientId: 100, nonce: 300, scope: 300, redirectUri: 400 } as const;

/** Togo ID's rule for state: 16 to 32 letters and digits (Togo ID implicit-flow guide). */
export const TOGO_STATE = /^[A-Za-z0-9]{16,32}$/;
/** RFC 6749 Appendix A.5: state is visible ASCII (VSCHAR) and space. */
const VSCHAR = /^[\x20-\x7E]+$/;

/**
 * Percent-encodes a value for a query: every byte but RFC 3986's unreserved characters, so a space
 * is `%20` (never `+`) and the result survives being nested in another URL. This equals
 * encodeURIComponent plus `!'()*`, which the seed's sample code and .NET's EscapeDataString agree on.
 */
export function encodeParam(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

export function checkState(state: string, flavor: LoginFlavor): void {
  if (flavor === 'togo') {
    if (!TOGO_STATE.test(state)) {
      throw new TogoError(
        'STATE_INVALID',
        `state "${state}" has ${state.length} characters${/^[A-Za-z0-9]*$/.test(state) ? '' : ', not all letters and digits'}; Togo ID expects 16 to 32 letters and digits`,
      );
    }
  } else if (!VSCHAR.test(state)) {
    throw new TogoError('STATE_INVALID', 'state must be non-empty visible ASCII (RFC 6749 Appendix A.5)', {
      hint: 'Leave the state out and togo generates one.',
    });
  }
}

/** Composes the login URL; throws STATE_INVALID or USAGE for inputs the provider would refuse. */
export function composeLoginUrl(request: LoginRequest): ComposedLogin {
  const state = request.state ?? newState();
  checkState(state, request.flavor);
  const nonce = request.nonce ?? newNonce();
  if (!VSCHAR.test(nonce)) throw new TogoError('USAGE', 'nonce must be non-empty visible ASCII');
  const pkce = pkceFor(request);
  const authorize = authorizeParams(request, state, nonce, pkce?.codeChallenge);
  const query = authorize.map(([k, v]) => `${encodeParam(k)}=${encodeParam(v)}`).join('&');
  const endpoint = request.authorizationEndpoint;
  const authorizeUrl = `${endpoint}${endpoint.includes('?') ? '&' : '?'}${query}`;
  const togo = request.flavor === 'togo' ? togoLoginUrl(request, authorizeUrl) : undefined;
  return {
    url: togo?.url ?? authorizeUrl,
    authorizeUrl,
    flavor: request.flavor,
    state,
    nonce,
    ...(pkce ? { ...pkce, codeChallengeMethod: 'S256' as const } : {}),
    redirectUri: request.redirectUri,
    params: [
      ...(togo?.params ?? []).map(([name, value]): ParamRow => ({ name, value, in: 'login' })),
      ...authorize.map(([name, value]): ParamRow => ({ name, value, in: 'authorize' })),
    ],
  };
}

/** The PKCE pair (S256) when the response type includes a code and PKCE is not turned off. */
function pkceFor(request: LoginRequest): { codeVerifier: string; codeChallenge: string } | undefined {
  if (!request.responseType.split(' ').includes('code') || request.pkce === false) return undefined;
  const codeVerifier = request.codeVerifier ?? newCodeVerifier();
  if (!isValidCodeVerifier(codeVerifier)) {
    throw new TogoError(
      'USAGE',
      'a PKCE code verifier has 43 to 128 letters, digits or -._~ (RFC 7636 §4.1)',
    );
  }
  return { codeVerifier, codeChallenge: codeChallengeS256(codeVerifier) };
}

/** The authorization request's parameters, in order; extra parameters may not repeat one togo sets. */
function authorizeParams(
  request: LoginRequest,
  state: string,
  nonce: string,
  codeChallenge: string | undefined,
): [string, string][] {
  // The order of the Togo ID guide's example comes first: client_id, nonce, redirect_uri,
  // response_type, scope, state; then the optional parameters.
  const authorize: [string, string][] = [
    ['client_id', request.clientId],
    ['nonce', nonce],
    ['redirect_uri', request.redirectUri],
    ['response_type', request.responseType],
    ['scope', request.scope],
    ['state', state],
  ];
  const optional = (name: string, value: string | number | undefined) => {
    if (value !== undefined && value !== '') authorize.push([name, String(value)]);
  };
  optional('response_mode', request.responseMode);
  if (codeChallenge) {
    authorize.push(['code_challenge', codeChallenge], ['code_challenge_method', 'S256']);
  }
  optional('prompt', request.prompt);
  optional('login_hint', request.loginHint);
  optional('max_age', request.maxAge);
  optional('acr_values', request.acrValues);
  optional('ui_locales', request.uiLocales);
  optional('audience', request.audience);
  for (const r of request.resource ?? []) optional('resource', r);
  for (const [name, value] of request.extraParams ?? []) {
    if ((RESERVED_PARAMS as readonly string[]).includes(name)) {
      throw new TogoError('USAGE', `the extra parameter ${name} would repeat a parameter togo sets itself`, {
        hint: `Set ${name} through its own setting, not as an extra parameter.`,
      });
    }
    if (name === '') throw new TogoError('USAGE', 'an extra parameter needs a name: name=value');
    authorize.push([name, value]);
  }
  return authorize;
}

/** The Togo flavor: the login page's URL, carrying the authorize URL as its ReturnUrl. */
function togoLoginUrl(
  request: LoginRequest,
  authorizeUrl: string,
): { url: string; params: [string, string][] } {
  if (!request.loginBase) throw new TogoError('USAGE', 'the Togo flavor needs the login base URL');
  let returnUrl = authorizeUrl;
  if (request.relativeReturnUrl) {
    // IdentityServer accepts a local ReturnUrl whose path ends in connect/authorize.
    const parsed = new URL(authorizeUrl);
    returnUrl = `${parsed.pathname}${parsed.search}`;
  }
  const params: [string, string][] = [
    ['profile', request.profile ?? 'togo'],
    ['behaviourProfile', request.behaviourProfile ?? 'togo'],
    ['client_id', request.clientId],
    ['ReturnUrl', returnUrl],
  ];
  const base = request.loginBase.replace(/\/+$/, '');
  // The whole authorize URL, separators included, is encoded once more (Togo ID guide).
  return { url: `${base}/login?${params.map(([k, v]) => `${k}=${encodeParam(v)}`).join('&')}`, params };
}

/** The parts of discovery metadata that say what an authorization request may use. */
export interface AuthorizationMetadata {
  response_types_supported?: unknown;
  response_modes_supported?: unknown;
  scopes_supported?: unknown;
  code_challenge_methods_supported?: unknown;
  [key: string]: unknown;
}

export interface AdvertisedWarning {
  id: 'advertised.response-type' | 'advertised.response-mode' | 'advertised.scope' | 'advertised.pkce';
  message: string;
  hint: string;
}

/**
 * What the request uses that the provider's discovery document does not advertise. Warnings
 * only: metadata is often incomplete, and the provider has the last word.
 */
export function advertisedWarnings(
  metadata: AuthorizationMetadata,
  request: { responseType: string; responseMode?: string; scope: string; codeChallengeMethod?: string },
): AdvertisedWarning[] {
  const out: AdvertisedWarning[] = [];
  const list = (v: unknown): string[] | undefined =>
    Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined;

  const types = list(metadata.response_types_supported);
  // Multiple Response Types §5: the order of the values does not matter.
  const sortedType = request.responseType.split(' ').sort().join(' ');
  if (types && !types.some((t) => t.split(' ').filter(Boolean).sort().join(' ') === sortedType)) {
    out.push({
      id: 'advertised.response-type',
      message: `response type "${request.responseType}" is not in the provider's response_types_supported`,
      hint: `The provider advertises: ${types.map((t) => `"${t}"`).join(', ')}.`,
    });
  }
  if (request.responseMode) {
    // Discovery §3: absent means ["query", "fragment"].
    const modes = list(metadata.response_modes_supported) ?? ['query', 'fragment'];
    if (!modes.includes(request.responseMode)) {
      out.push({
        id: 'advertised.response-mode',
        message: `response mode "${request.responseMode}" is not in the provider's response_modes_supported`,
        hint: `The provider advertises: ${modes.join(', ')}.`,
      });
    }
  }
  const scopes = list(metadata.scopes_supported);
  if (scopes) {
    const missing = request.scope.split(' ').filter((s) => s && !scopes.includes(s));
    if (missing.length > 0) {
      out.push({
        id: 'advertised.scope',
        message: `scope${missing.length > 1 ? 's' : ''} ${missing.join(', ')} not in the provider's scopes_supported`,
        hint: `The provider advertises: ${scopes.join(' ')}. Unlisted scopes may still work, or be refused.`,
      });
    }
  }
  if (request.codeChallengeMethod) {
    const methods = list(metadata.code_challenge_methods_supported);
    if (!methods) {
      out.push({
        id: 'advertised.pkce',
        message: 'the provider does not advertise PKCE (no code_challenge_methods_supported)',
        hint: 'RFC 8414 §2: absent means PKCE is not supported; the provider may ignore the challenge.',
      });
    } else if (!methods.includes(request.codeChallengeMethod)) {
      out.push({
        id: 'advertised.pkce',
        message: `PKCE method ${request.codeChallengeMethod} is not in code_challenge_methods_supported`,
        hint: `The provider advertises: ${methods.join(', ')}.`,
      });
    }
  }
  return out;
}

/** What a login sent, and so what its response must match. */
export interface PendingRequest {
  issuer: string;
  clientId: string;
  redirectUri: string;
  responseType: string;
  /** As requested; absent means the response type's default. */
  responseMode?: string;
  scope: string;
  state: string;
  /** Absent in the device flow, which sends none. */
  nonce?: string;
  codeVerifier?: string;
  maxAge?: number;
  acrValues?: string[];
}

/**
 * What `--save` writes for the split login: the request as a login keeps it, enough to check the
 * redirect URL pasted later (state, nonce) and to redeem a code (verifier), with the URL. Holds
 * secrets; the command writes it with mode 0600.
 */
export interface PendingLogin extends Omit<PendingRequest, 'issuer' | 'nonce' | 'maxAge' | 'acrValues'> {
  kind: 'togo-pending-login';
  version: 1;
  createdAt: string;
  issuer?: string;
  nonce: string;
  url: string;
  /**
   * The config file in the working directory that chose the issuer, when the user did not confirm
   * it: `togo callback` then refuses to send TOGO_CLIENT_SECRET there, as `togo login` would.
   */
  issuerFromDirectoryConfig?: string;
}

type RequestFields = Pick<LoginRequest, 'clientId' | 'responseType' | 'responseMode' | 'scope'>;

/** What a login keeps of the request it composed, to check the response and redeem a code. */
export function pendingRequest(
  composed: ComposedLogin,
  request: RequestFields,
  issuer: string,
): PendingRequest {
  return {
    issuer,
    clientId: request.clientId,
    redirectUri: composed.redirectUri,
    responseType: request.responseType,
    ...(request.responseMode ? { responseMode: request.responseMode } : {}),
    scope: request.scope,
    state: composed.state,
    nonce: composed.nonce,
    ...(composed.codeVerifier ? { codeVerifier: composed.codeVerifier } : {}),
  };
}

/** The same request as the split login's file keeps it (`login-url --save`), with the URL. */
export function pendingLogin(
  composed: ComposedLogin,
  request: RequestFields & { issuer?: string },
  now: number,
): PendingLogin {
  const { issuer, ...kept } = pendingRequest(composed, request, request.issuer ?? '');
  return {
    kind: 'togo-pending-login',
    version: 1,
    createdAt: new Date(now).toISOString(),
    ...(issuer ? { issuer } : {}),
    ...kept,
    nonce: composed.nonce,
    url: composed.url,
  };
}
