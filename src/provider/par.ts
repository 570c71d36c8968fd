/**
 * Pushed authorization requests (RFC 9126) on the wire: the push itself, with the client's
 * authentication (client-auth.ts, through the same form POST as the token endpoint), and finding
 * out whether the client must use PAR. The protocol rules are in src/oidc/par.ts.
 */
import { TogoError } from '../errors.js';
import type { HttpClient } from '../http/client.js';
import { responseFromUrl } from '../oidc/callback.js';
import { describeClientAuth } from '../oidc/client-auth.js';
import type { ComposedLogin } from '../oidc/login-url.js';
import {
  isParRequiredError,
  judgeParResponse,
  type ParReason,
  parEndpoint,
  parRequestParams,
  parRequiredByMetadata,
  withRequestUri,
} from '../oidc/par.js';
import { type BackChannel, clientAuthFor, postClientForm } from './token-endpoint.js';

export interface Pushed {
  composed: ComposedLogin;
  requestUri: string;
  expiresIn: number;
  reason: ParReason;
  /** How the client authenticated the push, as narration names it (client-auth.ts). */
  clientAuth: string;
}

/**
 * The Accept header a browser sends when it navigates (Chromium's): the authorize endpoint is a
 * page a browser opens, and some providers answer any other Accept as an API call (a JSON error
 * instead of the login page). The push itself is a back-channel POST and asks for JSON.
 */
export const NAVIGATION_ACCEPT =
  'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

/** Pushes the composed request and returns it rewritten to its request_uri form. */
export async function pushAuthorizationRequest(
  provider: BackChannel,
  composed: ComposedLogin,
  clientId: string,
  reason: ParReason,
): Promise<Pushed> {
  const endpoint = parEndpoint(provider.metadata);
  if (!endpoint) {
    throw new TogoError(
      'PROVIDER_ENDPOINT_MISSING',
      'the provider advertises no pushed_authorization_request_endpoint',
      {
        hint: 'The provider does not offer pushed authorization requests (RFC 9126); log in without them.',
      },
    );
  }
  const authorizationEndpoint = provider.metadata.authorization_endpoint;
  if (typeof authorizationEndpoint !== 'string') {
    throw new TogoError('PROVIDER_ERROR', 'discovery names no authorization_endpoint');
  }
  const params = Object.fromEntries(parRequestParams(composed));
  const auth = clientAuthFor(provider, 'pushed_authorization_request');
  const reply = await postClientForm(provider, 'pushed_authorization_request', clientId, params, auth);
  const verdict = judgeParResponse(reply.status, reply.json);
  if (!verdict.ok) {
    throw new TogoError('LOGIN_PROVIDER_ERROR', verdict.problem, {
      hint: 'The provider refused the pushed request: see its error; the same parameters would be refused in the URL.',
      details: { status: reply.status, ...(verdict.error ? { error: verdict.error } : {}) },
    });
  }
  return {
    composed: withRequestUri(composed, authorizationEndpoint, clientId, verdict.requestUri),
    requestUri: verdict.requestUri,
    expiresIn: verdict.expiresIn,
    reason,
    clientAuth: describeClientAuth(auth),
  };
}

/**
 * Whether this request must be pushed, and why: asked for; the provider requires PAR of everyone
 * (RFC 9126 §5); or the client is registered to require it (§6), which only the provider knows, so
 * the plain request is tried once without following redirects: a provider that wants PAR answers
 * at once with an error naming it, before anyone signs in.
 */
export async function parReason(
  http: HttpClient,
  metadata: Record<string, unknown>,
  composed: Pick<ComposedLogin, 'url' | 'redirectUri'>,
  requested: boolean,
): Promise<ParReason | undefined> {
  if (requested) return 'requested';
  if (!parEndpoint(metadata)) return undefined;
  if (parRequiredByMetadata(metadata)) return 'required by the provider';
  return (await clientRequiresPar(http, composed.url, composed.redirectUri))
    ? 'required for the client'
    : undefined;
}

/** GETs the plain authorization request once and reads an error that asks for PAR. */
export async function clientRequiresPar(
  http: HttpClient,
  url: string,
  redirectUri: string,
): Promise<boolean> {
  try {
    const res = await http.request(url, { headers: { accept: NAVIGATION_ACCEPT } });
    const location = res.headers.location;
    if (location) {
      const target = new URL(location, url);
      const redirect = new URL(redirectUri);
      if (target.origin === redirect.origin && target.pathname === redirect.pathname) {
        const r = responseFromUrl(target);
        return isParRequiredError(r.error, r.error_description);
      }
      return false;
    }
    if (res.status >= 400) {
      try {
        const body = JSON.parse(res.text) as { error?: string; error_description?: string };
        return isParRequiredError(body.error, body.error_description);
      } catch {
        return /pushed authori[sz]ation request/i.test(res.text);
      }
    }
    return false;
  } catch (error) {
    if (error instanceof TogoError && error.code === 'INTERRUPTED') throw error;
    return false;
  }
}

/** The request as it goes to the browser: pushed first when asked for or required, else as composed. */
export async function pushIfNeeded(
  provider: BackChannel,
  composed: ComposedLogin,
  clientId: string,
  requested: boolean,
): Promise<Pushed | undefined> {
  const reason = await parReason(provider.http, provider.metadata, composed, requested);
  return reason ? pushAuthorizationRequest(provider, composed, clientId, reason) : undefined;
}
