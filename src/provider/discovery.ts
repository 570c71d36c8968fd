import { TogoError } from '../errors.js';
import type { HttpClient } from '../http/client.js';

/**
 * Fetching a provider's discovery document and keys. IO only: whether the document is any good is
 * for the linter (src/oidc/discovery-lint.ts) to judge.
 */

export type DiscoveryLocation = 'oidc' | 'rfc8414' | 'given';

export interface Discovery {
  /** What the user gave: an issuer, a base URL or a well-known URL. */
  requested: string;
  /** The URL that answered (after redirects). */
  url: string;
  location: DiscoveryLocation;
  metadata: Record<string, unknown>;
  /** The document as served. */
  raw: string;
  /**
   * The issuer the document must name (§4.3): `requested` itself, or derived from a well-known URL;
   * undefined when a well-known URL of an unknown shape was given.
   */
  expectedIssuer: string | undefined;
  /** The Content-Type header as served. */
  contentType: string;
  status: number;
}

export const OIDC_WELL_KNOWN = '/.well-known/openid-configuration';
export const RFC8414_WELL_KNOWN = '/.well-known/oauth-authorization-server';

export interface DiscoveryCandidate {
  location: DiscoveryLocation;
  url: string;
  expectedIssuer: string | undefined;
}

/**
 * Where the document may live, in the order to try. OpenID Connect Discovery §4: append the
 * well-known path to the issuer (one trailing slash removed). RFC 8414 §3: insert it between host and
 * path.
 */
export function discoveryCandidates(issuerOrUrl: string): DiscoveryCandidate[] {
  let url: URL;
  try {
    url = new URL(issuerOrUrl);
  } catch {
    throw new TogoError('URL_MALFORMED', `not a URL: ${issuerOrUrl}`, {
      hint: 'Give the issuer with its scheme, e.g. https://id2.runswithtogo.com/identity.',
    });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TogoError('URL_MALFORMED', `not an http(s) URL: ${issuerOrUrl}`, {
      hint: 'Give the issuer with its scheme, e.g. https://id2.runswithtogo.com/identity.',
    });
  }
  const path = url.pathname;
  if (path.endsWith(OIDC_WELL_KNOWN)) {
    const issuer = `${url.origin}${path.slice(0, -OIDC_WELL_KNOWN.length)}`;
    return [{ location: 'given', url: issuerOrUrl, expectedIssuer: issuer }];
  }
  if (path.startsWith(RFC8414_WELL_KNOWN)) {
    const issuer = `${url.origin}${path.slice(RFC8414_WELL_KNOWN.length)}`;
    return [{ location: 'given', url: issuerOrUrl, expectedIssuer: issuer }];
  }
  if (path.includes('/.well-known/')) {
    return [{ location: 'given', url: issuerOrUrl, expectedIssuer: undefined }];
  }
  const base = issuerOrUrl.replace(/\/$/, '');
  const trimmedPath = path === '/' ? '' : path.replace(/\/$/, '');
  return [
    { location: 'oidc', url: `${base}${OIDC_WELL_KNOWN}`, expectedIssuer: issuerOrUrl },
    {
      location: 'rfc8414',
      url: `${url.origin}${RFC8414_WELL_KNOWN}${trimmedPath}`,
      expectedIssuer: issuerOrUrl,
    },
  ];
}

/**
 * Accepts an issuer, a base URL or the full well-known URL; tries the OIDC location first and falls
 * back to RFC 8414's on a 404. Does not judge the issuer (the linter does; `assertIssuer` enforces).
 */
export async function fetchDiscovery(http: HttpClient, issuerOrUrl: string): Promise<Discovery> {
  const candidates = discoveryCandidates(issuerOrUrl);
  let lastError: unknown;
  for (const [i, candidate] of candidates.entries()) {
    try {
      const res = await http.getJson(candidate.url, { what: 'discovery document' });
      if (!res.json || typeof res.json !== 'object' || Array.isArray(res.json)) {
        throw new TogoError(
          'DISCOVERY_INVALID',
          `the discovery document at ${res.url} is not a JSON object (got ${Array.isArray(res.json) ? 'an array' : typeof res.json})`,
          { details: { url: res.url } },
        );
      }
      return {
        requested: issuerOrUrl,
        url: res.url,
        location: candidate.location,
        metadata: res.json as Record<string, unknown>,
        raw: res.text,
        expectedIssuer: candidate.expectedIssuer,
        contentType: res.headers['content-type'] ?? '',
        status: res.status,
      };
    } catch (error) {
      lastError = error;
      const notFound =
        error instanceof TogoError && error.code === 'HTTP_STATUS' && error.details?.status === 404;
      if (!notFound || i === candidates.length - 1) break;
    }
  }
  if (candidates.length > 1 && lastError instanceof TogoError && lastError.code === 'HTTP_STATUS') {
    const tried = candidates.map((c) => c.url).join(' and ');
    const status = lastError.details?.status;
    const type = lastError.details?.contentType ? ` (${lastError.details.contentType})` : '';
    const body = typeof lastError.details?.body === 'string' ? `: ${lastError.details.body}` : '';
    throw new TogoError('HTTP_STATUS', `no discovery document at ${tried}: HTTP ${status}${type}${body}`, {
      hint: 'Check the issuer: the OpenID Connect location (issuer + /.well-known/openid-configuration) and the RFC 8414 one both answered 404.',
      details: lastError.details,
      cause: lastError,
    });
  }
  throw lastError;
}

/** Tells a trailing-slash-only difference apart: the most common real-world issuer mismatch. */
export function differsOnlyByTrailingSlash(a: string, b: string): boolean {
  return a !== b && a.replace(/\/$/, '') === b.replace(/\/$/, '');
}

/**
 * Throws DISCOVERY_ISSUER_MISMATCH unless the document's issuer is identical, code point by code
 * point, to the expected one (OpenID Connect Discovery §4.3: otherwise the document MUST NOT be used).
 */
export function assertIssuer(discovery: Discovery, expectedIssuer: string): void {
  const actual = discovery.metadata.issuer;
  if (actual === expectedIssuer) return;
  if (typeof actual !== 'string') {
    throw new TogoError(
      'DISCOVERY_ISSUER_MISMATCH',
      `the discovery document at ${discovery.url} names no issuer`,
      {
        details: { expected: expectedIssuer, actual: actual ?? null },
      },
    );
  }
  const slash = differsOnlyByTrailingSlash(actual, expectedIssuer);
  throw new TogoError(
    'DISCOVERY_ISSUER_MISMATCH',
    `the discovery document names issuer ${JSON.stringify(actual)}, not ${JSON.stringify(expectedIssuer)}`,
    {
      hint: slash
        ? `The issuers differ only by a trailing slash; configure exactly ${JSON.stringify(actual)} (ID tokens carry it as iss, and the comparison is exact).`
        : `Check the configured issuer; the document must name exactly the issuer it was fetched for (OpenID Connect Discovery §4.3).`,
      details: { expected: expectedIssuer, actual, trailingSlashOnly: slash },
    },
  );
}

export interface FetchedJwks {
  url: string;
  jwks: { keys: Record<string, unknown>[] };
  raw: string;
}

/** Fetches a JWKS; the provider is at fault (exit 3) when it is not `{ "keys": [ {…}, … ] }`. */
export async function fetchJwks(
  http: HttpClient,
  jwksUri: string,
  options: { fresh?: boolean } = {},
): Promise<FetchedJwks> {
  const res = await http.getJson(jwksUri, { what: 'JWKS', fresh: options.fresh });
  const json = res.json as { keys?: unknown } | null;
  const problem =
    !json || typeof json !== 'object' || Array.isArray(json)
      ? `is not a JSON object`
      : !Array.isArray(json.keys)
        ? `has no "keys" array`
        : json.keys.some((k) => !k || typeof k !== 'object' || Array.isArray(k))
          ? `has a "keys" entry that is not a JSON object`
          : undefined;
  if (problem) {
    throw new TogoError('JWKS_FETCH_INVALID', `the JWKS at ${res.url} ${problem}`, {
      details: { url: res.url },
    });
  }
  return { url: res.url, jwks: json as { keys: Record<string, unknown>[] }, raw: res.text };
}
