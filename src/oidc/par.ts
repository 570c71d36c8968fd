/**
 * Pushed authorization requests (RFC 9126), apart from sending them: when to push, what to push,
 * how to judge the answer, and the authorization URL that then carries only client_id and
 * request_uri. Pure.
 */
import type { ComposedLogin, ParamRow } from './login-url.js';

/** Why a request is pushed. */
export type ParReason = 'requested' | 'required by the provider' | 'required for the client';

/** RFC 9126 §5: the provider requires PAR of every client. */
export function parRequiredByMetadata(metadata: Record<string, unknown>): boolean {
  return metadata.require_pushed_authorization_requests === true;
}

export function parEndpoint(metadata: Record<string, unknown>): string | undefined {
  const e = metadata.pushed_authorization_request_endpoint;
  return typeof e === 'string' && e !== '' ? e : undefined;
}

/**
 * An authorization error that says the client must use PAR (RFC 9126 §6: a client registered with
 * require_pushed_authorization_requests). Providers word it in their own way; oidc-provider says
 * "Pushed Authorization Request must be used".
 */
export function isParRequiredError(error: string | undefined, description: string | undefined): boolean {
  if (error !== 'invalid_request' && error !== 'unauthorized_client') return false;
  return /pushed[ _-]?authori[sz]ation[ _-]?request|\bPAR\b|request_uri/i.test(description ?? '');
}

/** The body of the push: every parameter of the authorization request (RFC 9126 §2.1). */
export function parRequestParams(composed: Pick<ComposedLogin, 'params'>): URLSearchParams {
  const body = new URLSearchParams();
  for (const p of composed.params) if (p.in === 'authorize') body.append(p.name, p.value);
  return body;
}

export type ParVerdict =
  | { ok: true; requestUri: string; expiresIn: number }
  | { ok: false; problem: string; error?: string };

/** RFC 9126 §2.2: 201 with request_uri and expires_in; §2.3: an OAuth error otherwise. */
export function judgeParResponse(status: number, json: unknown): ParVerdict {
  const body = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
  if (status !== 201 && status !== 200) {
    const error = typeof body.error === 'string' ? body.error : undefined;
    const description = typeof body.error_description === 'string' ? body.error_description : undefined;
    return {
      ok: false,
      problem: `the pushed authorization request was refused (HTTP ${status}${error ? `: ${error}` : ''}${description ? `: ${description}` : ''})`,
      ...(error ? { error } : {}),
    };
  }
  if (typeof body.request_uri !== 'string' || body.request_uri === '') {
    return { ok: false, problem: 'the PAR response has no request_uri (RFC 9126 §2.2)' };
  }
  if (typeof body.expires_in !== 'number' || !(body.expires_in > 0)) {
    return { ok: false, problem: 'the PAR response has no positive expires_in (RFC 9126 §2.2)' };
  }
  return { ok: true, requestUri: body.request_uri, expiresIn: body.expires_in };
}

/** RFC 9126 §4: the authorization request that refers to the pushed one. */
export function parAuthorizeUrl(authorizationEndpoint: string, clientId: string, requestUri: string): string {
  const url = new URL(authorizationEndpoint);
  url.searchParams.set('client_id', clientId);
  url.searchParams.set('request_uri', requestUri);
  return url.href;
}

/** The composed login, rewritten to its request_uri form; the pushed parameters stay listed. */
export function withRequestUri(
  composed: ComposedLogin,
  authorizationEndpoint: string,
  clientId: string,
  requestUri: string,
): ComposedLogin {
  const url = parAuthorizeUrl(authorizationEndpoint, clientId, requestUri);
  const params: ParamRow[] = composed.params.map((p) => ({ ...p }));
  return { ...composed, url, authorizeUrl: url, params };
}
