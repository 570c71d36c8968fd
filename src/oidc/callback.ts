/**
 * Judging an authorization response (what reaches the redirect URI), apart from how it arrived
 * (fragment captured by a page, query, form_post). Pure: the listener and `togo callback` share it.
 */

export interface AuthorizationResponse {
  code?: string;
  id_token?: string;
  access_token?: string;
  token_type?: string;
  expires_in?: string;
  scope?: string;
  state?: string;
  session_state?: string;
  /** RFC 9207: the issuer that sent this response. */
  iss?: string;
  [name: string]: string | undefined;
}

export type CallbackVerdict =
  | { kind: 'success'; response: AuthorizationResponse }
  | { kind: 'error'; error: string; description?: string; uri?: string; response: AuthorizationResponse }
  /** Not for this login: wrong or missing state, or no response parameters at all. Keep waiting. */
  | { kind: 'ignored'; reason: string };

/** Parses `a=b&c=d` the way browsers encode fragments and form posts; `#_=_` (IdentityServer) is noise. */
export function parseResponseParams(text: string): AuthorizationResponse {
  const out: AuthorizationResponse = {};
  for (const [key, value] of new URLSearchParams(text.replace(/^[#?]/, ''))) {
    if (key === '_' && value === '_') continue;
    if (!Object.hasOwn(out, key)) {
      Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    }
  }
  return out;
}

/** The fragment when it has parameters, else the query: where the response of a redirect URL lives. */
export function responseFromUrl(url: URL): AuthorizationResponse {
  const fragment = parseResponseParams(url.hash);
  return Object.keys(fragment).length > 0 ? fragment : parseResponseParams(url.search);
}

const RESPONSE_KEYS = ['code', 'id_token', 'access_token', 'error', 'state'];

/**
 * The words of an error response, labelled as the sender's: togo did not write them, and an error
 * response carries no proof of who sent it. Terminal escaping is the renderer's business.
 */
export function describeProviderError(error: string, description?: string, who = 'the provider'): string {
  return `${error}${description !== undefined && description !== '' ? ` (${who}'s own words: "${description}")` : ''}`;
}

/**
 * State first (RFC 6749 §10.12, RFC 9700 §4.7): a response without this login's state belongs to
 * another login or to anyone at all (any web page can send the browser to a loopback URL), so it is
 * ignored, not fatal, and the real one can still arrive. That holds for error responses too: an
 * `error=access_denied` without state would let any page end a waiting login.
 */
export function judgeCallback(response: AuthorizationResponse, expectedState: string): CallbackVerdict {
  if (!RESPONSE_KEYS.some((k) => response[k] !== undefined)) {
    return { kind: 'ignored', reason: 'no authorization response parameters' };
  }
  // An empty state is one anyone can send: it never matches, even an empty expectation.
  if (response.state === '' || expectedState === '') {
    return { kind: 'ignored', reason: 'a response with an empty state' };
  }
  if (response.error !== undefined) {
    if (response.state !== expectedState) {
      const which = response.state === undefined ? 'without state' : 'with another state';
      return {
        kind: 'ignored',
        reason: `an error response ${which}, ${describeProviderError(response.error, response.error_description, 'its sender')}`,
      };
    }
    return {
      kind: 'error',
      error: response.error,
      ...(response.error_description ? { description: response.error_description } : {}),
      ...(response.error_uri ? { uri: response.error_uri } : {}),
      response,
    };
  }
  if (response.state === undefined) return { kind: 'ignored', reason: 'a response without state' };
  if (response.state !== expectedState) return { kind: 'ignored', reason: 'a response with another state' };
  if (response.code === undefined && response.id_token === undefined && response.access_token === undefined) {
    return { kind: 'ignored', reason: 'a response without code or tokens' };
  }
  return { kind: 'success', response };
}

/** Hints for the errors providers send back to the redirect URI (RFC 6749 §4.1.2.1, OIDC Core §3.1.2.6). */
export const PROVIDER_ERROR_HINTS: Readonly<Record<string, string>> = {
  access_denied: 'The user (or the provider) refused the request.',
  login_required: 'prompt=none was sent but nobody is signed in at the provider.',
  consent_required: 'The user must consent first: log in without prompt=none.',
  interaction_required: 'The provider needs the user to act: log in without prompt=none.',
  account_selection_required: 'The user must pick an account: log in without prompt=none.',
  invalid_request: 'A parameter is missing or malformed: check `togo inspect-url` on the login URL.',
  unauthorized_client: 'The client may not use this response type, or the redirect URI is not registered.',
  unsupported_response_type: 'The provider does not offer this response type: see `togo discover`.',
  invalid_scope: 'A requested scope is unknown or not allowed for this client.',
  server_error: 'The provider failed; try again later.',
  temporarily_unavailable: 'The provider is busy; try again later.',
};
