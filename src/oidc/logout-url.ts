/**
 * RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0 §2): the URL that sends the browser
 * to the provider's end_session_endpoint. Pure: no network, no clock; state from the CSPRNG.
 */
import { TogoError } from '../errors.js';
import { encodeParam } from './login-url.js';
import { newState } from './pkce.js';

export interface LogoutRequest {
  endSessionEndpoint: string;
  /** The ID token last issued to the client (RECOMMENDED; IdentityServer needs it to redirect back). */
  idTokenHint?: string;
  /** Where the provider sends the browser after logout; must be registered for the client. */
  postLogoutRedirectUri?: string;
  /** Echoed back on the post-logout redirect; random when absent. */
  state?: string;
  clientId?: string;
  uiLocales?: string;
}

export interface ComposedLogout {
  url: string;
  state: string;
  /** The parameters in the order they appear, values decoded; id_token_hint included. */
  params: [string, string][];
  warnings: { id: string; message: string }[];
}

const isLoopback = (host: string) =>
  host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);

/**
 * Composes `end_session_endpoint?id_token_hint=…&post_logout_redirect_uri=…&state=…&client_id=…`
 * (+ ui_locales). A query the endpoint already has is kept; values are percent-encoded with %20
 * for spaces, as the login URL is.
 */
export function composeLogoutUrl(request: LogoutRequest): ComposedLogout {
  let endpoint: URL;
  try {
    endpoint = new URL(request.endSessionEndpoint);
  } catch {
    throw new TogoError(
      'URL_MALFORMED',
      `the end-session endpoint is not a URL: ${request.endSessionEndpoint}`,
    );
  }
  if (endpoint.protocol !== 'https:' && endpoint.protocol !== 'http:') {
    throw new TogoError('URL_MALFORMED', `the end-session endpoint is not http(s): ${endpoint.href}`);
  }
  const warnings: ComposedLogout['warnings'] = [];
  if (endpoint.protocol === 'http:' && !isLoopback(endpoint.hostname)) {
    warnings.push({
      id: 'logout.endpoint-not-https',
      message: `the end-session endpoint ${endpoint.origin} uses http: the ID token would travel in clear`,
    });
  }
  if (request.postLogoutRedirectUri !== undefined) {
    try {
      new URL(request.postLogoutRedirectUri);
    } catch {
      throw new TogoError(
        'URL_MALFORMED',
        `the post-logout redirect URI is not an absolute URL: ${request.postLogoutRedirectUri}`,
      );
    }
    if (!request.idTokenHint && !request.clientId) {
      warnings.push({
        id: 'logout.redirect-without-hint',
        message:
          'a post_logout_redirect_uri without id_token_hint or client_id is refused by providers (RP-Initiated Logout §2)',
      });
    }
  }
  if (!request.idTokenHint) {
    warnings.push({
      id: 'logout.no-id-token-hint',
      message:
        'no id_token_hint: the provider may ask the user to confirm, and IdentityServer (Togo ID) will not redirect back',
    });
  }

  const state = request.state ?? newState();
  const params: [string, string][] = [];
  if (request.idTokenHint) params.push(['id_token_hint', request.idTokenHint]);
  if (request.postLogoutRedirectUri) params.push(['post_logout_redirect_uri', request.postLogoutRedirectUri]);
  params.push(['state', state]);
  if (request.clientId) params.push(['client_id', request.clientId]);
  if (request.uiLocales) params.push(['ui_locales', request.uiLocales]);

  const existing = endpoint.search.replace(/^\?/, '');
  const added = params.map(([k, v]) => `${k}=${encodeParam(v)}`).join('&');
  const base = `${endpoint.origin}${endpoint.pathname}`;
  const url = `${base}?${existing ? `${existing}&` : ''}${added}`;
  return { url, state, params, warnings };
}
