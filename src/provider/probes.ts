import type { Check } from '../check.js';
import { isTogoError } from '../errors.js';
import type { HttpClient } from '../http/client.js';
import { classifyProbe, judgeCors, judgeProbe, type ProbeResponse } from '../oidc/check-probes.js';
import type { Jwk } from '../oidc/jwks-lint.js';
import type { LoginFlavor } from '../oidc/login-url.js';
import { parEndpoint, parRequiredByMetadata } from '../oidc/par.js';
import { codeChallengeS256, newCodeVerifier, newNonce, newState } from '../oidc/pkce.js';
import type { Discovery } from './discovery.js';
import { fetchDiscovery, fetchJwks } from './discovery.js';
import { clientRequiresPar, NAVIGATION_ACCEPT, pushAuthorizationRequest } from './par.js';

/** The network side of `togo check`'s probes; the verdicts come from src/oidc/check-probes.ts. */

/** A network failure during a probe fails that check instead of the whole run. */
export function failedCheck(id: string, what: string, error: unknown): Check {
  if (!isTogoError(error) || error.code === 'INTERRUPTED') throw error;
  return { id, status: 'fail', message: `${what}: ${error.message} [${error.code}]`, hint: error.hint };
}

export interface ProbeClient {
  clientId: string;
  redirectUri: string;
  responseType: string;
  scope: string;
  flavor?: LoginFlavor;
  /** For a confidential client's pushed request. */
  clientSecret?: string;
}

/** Pushes the probe's parameters (RFC 9126 §2) and returns the request_uri form of the authorize URL. */
async function pushProbe(
  http: HttpClient,
  issuer: string,
  metadata: Record<string, unknown>,
  c: ProbeClient,
  url: string,
): Promise<string> {
  const composed = {
    url,
    authorizeUrl: url,
    flavor: 'standard' as const,
    state: '',
    nonce: '',
    redirectUri: c.redirectUri,
    params: [...new URL(url).searchParams].map(([name, value]) => ({
      name,
      value,
      in: 'authorize' as const,
    })),
  };
  const pushed = await pushAuthorizationRequest(
    { issuer, metadata, http, ...(c.clientSecret ? { clientSecret: c.clientSecret } : {}) },
    composed,
    c.clientId,
    'required for the client',
  );
  return pushed.composed.url;
}

/** The authorize URL a real client would send the browser to, with state, nonce and (for code) PKCE. */
export function probeUrl(authorizationEndpoint: string, c: ProbeClient): string {
  const url = new URL(authorizationEndpoint);
  const p = url.searchParams;
  p.set('client_id', c.clientId);
  p.set('redirect_uri', c.redirectUri);
  p.set('response_type', c.responseType);
  p.set('scope', c.scope);
  p.set('state', newState());
  p.set('nonce', newNonce());
  if (c.responseType.split(' ').includes('code')) {
    p.set('code_challenge', codeChallengeS256(newCodeVerifier()));
    p.set('code_challenge_method', 'S256');
  }
  return url.href;
}

/**
 * GET the authorize URL without following redirects: a redirect to the login page means the client
 * registration is accepted; the provider's error page or an error status means it is not. IdentityServer
 * keeps most errors on its own error page (oidc-rules.md §4), which is fetched to read the reason.
 */
export async function probeAuthorize(
  http: HttpClient,
  issuer: string,
  metadata: Record<string, unknown>,
  c: ProbeClient,
): Promise<Check> {
  const endpoint = metadata.authorization_endpoint;
  if (typeof endpoint !== 'string') {
    return {
      id: 'probe.authorize',
      status: 'fail',
      message: 'the document has no authorization_endpoint',
      hint: 'See disc.required-fields.',
    };
  }
  try {
    let url = probeUrl(endpoint, c);
    // RFC 9126: a provider (§5) or client (§6) that requires PAR refuses the plain request; probe
    // the pushed one instead, as a client would send it.
    const pushed =
      parEndpoint(metadata) &&
      (parRequiredByMetadata(metadata) || (await clientRequiresPar(http, url, c.redirectUri)));
    if (pushed) url = await pushProbe(http, issuer, metadata, c, url);
    const res = await http.request(url, { headers: { accept: NAVIGATION_ACCEPT } });
    const probe: ProbeResponse = {
      status: res.status,
      location: res.headers.location,
      body: res.text,
    };
    if (classifyProbe(probe, c.redirectUri, url).kind === 'error-page' && probe.location) {
      try {
        const page = await http.request(new URL(probe.location, url).href, {
          headers: { accept: NAVIGATION_ACCEPT },
        });
        probe.errorPage = page.text;
      } catch {
        // The reason cannot be read; the verdict stands without it.
      }
    }
    const verdict = judgeProbe(probe, c.redirectUri, url, c.flavor);
    return pushed ? { ...verdict, message: `through a pushed request (PAR): ${verdict.message}` } : verdict;
  } catch (error) {
    return failedCheck('probe.authorize', 'the authorize endpoint', error);
  }
}

/** CORS as a single-page app meets it: simple GETs for the documents, preflights for the APIs. */
export async function probeCors(
  http: HttpClient,
  discovery: Discovery,
  jwksUrl: string | undefined,
  origin: string,
): Promise<Check[]> {
  const m = discovery.metadata;
  const simple = async (id: string, what: string, url: string) => {
    try {
      const res = await http.request(url, { headers: { origin } });
      return judgeCors(id, what, origin, res);
    } catch (error) {
      return failedCheck(id, what, error);
    }
  };
  const preflight = async (id: string, what: string, url: string, method: string, headers: string[]) => {
    try {
      const res = await http.request(url, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': method,
          ...(headers.length > 0 ? { 'access-control-request-headers': headers.join(',') } : {}),
        },
      });
      return judgeCors(id, what, origin, res, { method, headers });
    } catch (error) {
      return failedCheck(id, what, error);
    }
  };
  const jobs: Promise<Check>[] = [simple('cors.discovery', 'the discovery document', discovery.url)];
  if (jwksUrl) jobs.push(simple('cors.jwks', 'the JWKS', jwksUrl));
  if (typeof m.token_endpoint === 'string') {
    jobs.push(preflight('cors.token', 'the token endpoint', m.token_endpoint, 'POST', ['content-type']));
  }
  if (typeof m.userinfo_endpoint === 'string') {
    jobs.push(
      preflight('cors.userinfo', 'the userinfo endpoint', m.userinfo_endpoint, 'GET', ['authorization']),
    );
  }
  return Promise.all(jobs);
}

/** The other environment's signing keys, for keys.distinct. */
export async function otherKeys(http: HttpClient, issuerOrUrl: string): Promise<Jwk[]> {
  const d = await fetchDiscovery(http, issuerOrUrl);
  const uri = d.metadata.jwks_uri;
  if (typeof uri !== 'string') return [];
  return (await fetchJwks(http, uri)).jwks.keys as Jwk[];
}
