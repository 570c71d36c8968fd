import type { Check } from '../check.js';
import { describeProviderError } from './callback.js';
import { describeKey, type Jwk } from './jwks-lint.js';

/**
 * The judgements behind `togo check`, beyond the linters: expectations, the client probe, CORS and
 * distinct keys. Pure: each gets what was fetched and returns named check results.
 */

/** One result per linter check id: the worst finding wins; no finding is a pass. */
export function lintResults(ids: readonly string[], findings: readonly Check[]): Check[] {
  return ids.map((id) => {
    const mine = findings.filter((f) => f.id === id);
    const worst = mine.find((f) => f.status === 'fail') ?? mine.find((f) => f.status === 'warn');
    if (!worst) {
      const info = mine.map((f) => f.message).join('; ');
      return { id, status: 'pass', message: info || 'ok' };
    }
    const same = mine.filter((f) => f.status === worst.status);
    return {
      id,
      status: worst.status === 'fail' ? 'fail' : 'warn',
      message: same.map((f) => f.message).join('; '),
      hint: worst.hint,
    };
  });
}

export interface Expectations {
  responseTypes?: string[];
  scopes?: string[];
  claims?: string[];
  grants?: string[];
  algs?: string[];
}

/**
 * Each expected value must be advertised. Response types compare as sets of words ("token id_token"
 * is "id_token token"); absent grant types default to authorization_code and implicit (Discovery §3).
 */
export function checkExpectations(metadata: Record<string, unknown>, e: Expectations): Check[] {
  const strings = (v: unknown) =>
    Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined;
  const words = (t: string) => t.split(' ').filter(Boolean).sort().join(' ');
  const specs: [keyof Expectations, string, string, string[] | undefined, (s: string) => string][] = [
    [
      'responseTypes',
      'response-type',
      'response_types_supported',
      strings(metadata.response_types_supported),
      words,
    ],
    ['scopes', 'scope', 'scopes_supported', strings(metadata.scopes_supported), (s) => s],
    ['claims', 'claim', 'claims_supported', strings(metadata.claims_supported), (s) => s],
    [
      'grants',
      'grant',
      'grant_types_supported',
      strings(metadata.grant_types_supported) ??
        (metadata.grant_types_supported === undefined ? ['authorization_code', 'implicit'] : undefined),
      (s) => s,
    ],
    [
      'algs',
      'alg',
      'id_token_signing_alg_values_supported',
      strings(metadata.id_token_signing_alg_values_supported),
      (s) => s,
    ],
  ];
  const out: Check[] = [];
  for (const [key, name, field, advertised, norm] of specs) {
    for (const want of e[key] ?? []) {
      const id = `expect.${name}:${want}`;
      if (advertised?.map(norm).includes(norm(want))) {
        out.push({ id, status: 'pass', message: `${field} includes ${JSON.stringify(want)}` });
      } else {
        out.push({
          id,
          status: 'fail',
          message: advertised
            ? `${field} does not include ${JSON.stringify(want)} (it has ${advertised.join(', ') || 'nothing'})`
            : `the document has no ${field}`,
          hint: 'The provider no longer advertises what this client relies on; ask its operators, or update the expectation.',
        });
      }
    }
  }
  return out;
}

/** What the authorize endpoint said to the probe. */
export interface ProbeResponse {
  status: number;
  location: string | undefined;
  body: string;
  /** Text of the error page the provider redirected to, when it was fetched. */
  errorPage?: string;
}

/** OAuth 2.0 / OIDC error codes that can appear on an error page or in a redirect (RFC 6749 §4.1.2.1). */
const ERROR_CODES = [
  'unauthorized_client',
  'invalid_client',
  'invalid_request',
  'invalid_scope',
  'unsupported_response_type',
  'unsupported_response_mode',
  'access_denied',
  'server_error',
  'temporarily_unavailable',
  'invalid_request_uri',
  'invalid_request_object',
  'request_not_supported',
  'registration_not_supported',
  'invalid_redirect_uri',
];

/** Reads the reason out of an error page or a JSON error body, when there is one to read. */
export function readErrorReason(text: string): string | undefined {
  try {
    const json = JSON.parse(text) as { error?: unknown; error_description?: unknown };
    if (typeof json.error === 'string') {
      return describeProviderError(
        json.error,
        typeof json.error_description === 'string' ? json.error_description : undefined,
      );
    }
  } catch {
    // not JSON: an HTML page
  }
  const plain = text
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
  const code = ERROR_CODES.find((c) => plain.includes(c));
  if (!code) return undefined;
  // IdentityServer's error page shows the code and then a description such as "Invalid redirect_uri".
  const after = plain.slice(plain.indexOf(code) + code.length).trim();
  const description = /^[:\-–\s]*([A-Z][^.<]{3,120})/.exec(after)?.[1]?.trim();
  return description ? `${code}: ${description}` : code;
}

/** Where the authorize endpoint sent the browser, decided without a user. */
export type ProbeVerdict =
  | { kind: 'login'; location: string }
  | { kind: 'error-page'; location: string }
  | { kind: 'redirect-error'; error: string }
  | { kind: 'redirect-ok' }
  | { kind: 'page' }
  | { kind: 'status' };

export function classifyProbe(res: ProbeResponse, redirectUri: string, authorizeUrl: string): ProbeVerdict {
  if (res.status >= 300 && res.status < 400 && res.location) {
    const target = new URL(res.location, authorizeUrl);
    const params = new URLSearchParams(target.search);
    for (const [k, v] of new URLSearchParams(target.hash.replace(/^#/, ''))) params.append(k, v);
    const toClient = `${target.origin}${target.pathname}` === redirectUri.split(/[?#]/)[0];
    if (toClient) {
      const error = params.get('error');
      if (error) {
        const description = params.get('error_description');
        return { kind: 'redirect-error', error: describeProviderError(error, description ?? undefined) };
      }
      return { kind: 'redirect-ok' };
    }
    if (/error/i.test(target.pathname) || params.has('error') || params.has('errorId')) {
      return { kind: 'error-page', location: target.href };
    }
    return { kind: 'login', location: target.href };
  }
  if (res.status === 200) return readErrorReason(res.body) ? { kind: 'status' } : { kind: 'page' };
  return { kind: 'status' };
}

export function judgeProbe(
  res: ProbeResponse,
  redirectUri: string,
  authorizeUrl: string,
  flavor: 'togo' | 'standard' = 'togo',
): Check {
  const id = 'probe.authorize';
  const verdict = classifyProbe(res, redirectUri, authorizeUrl);
  const hint =
    'Check the client registration on this environment: the client id, the redirect URI (exact match, port included), and that the response type and scopes are allowed for the client.';
  switch (verdict.kind) {
    case 'login':
      return {
        id,
        status: 'pass',
        message: `redirects to the login page (${verdict.location.split('?')[0]})`,
      };
    case 'redirect-ok':
      return {
        id,
        status: 'pass',
        // Togo ID shows its login page unless a session exists; other providers may approve at once.
        message:
          flavor === 'togo'
            ? 'answers the client directly (a session already existed)'
            : 'answers the client directly (the provider approved without a page: a session, or auto-approval)',
      };
    case 'page':
      return { id, status: 'pass', message: `answers ${res.status} with a page (the login page)` };
    case 'redirect-error':
      return { id, status: 'fail', message: `the provider sent the client an error: ${verdict.error}`, hint };
    case 'error-page': {
      const reason = res.errorPage === undefined ? undefined : readErrorReason(res.errorPage);
      return {
        id,
        status: 'fail',
        message: `redirects to the provider's error page${reason ? `: ${reason}` : ''} (${verdict.location})`,
        hint,
      };
    }
    case 'status': {
      const reason = readErrorReason(res.body);
      return {
        id,
        status: 'fail',
        message: `the authorize endpoint answered HTTP ${res.status}${reason ? `: ${reason}` : ''}`,
        hint,
      };
    }
  }
}

/** What one CORS request (simple or preflight) got back. */
export interface CorsResponse {
  status: number;
  headers: Record<string, string>;
}

/**
 * Fetch standard §3.2: the browser lets the page read the response when Access-Control-Allow-Origin is
 * `*` or the exact origin; a preflight also needs the method and request headers allowed.
 */
export function judgeCors(
  id: string,
  what: string,
  origin: string,
  res: CorsResponse,
  preflight?: { method: string; headers: string[] },
): Check {
  const hint = `Allow the origin ${origin} for ${what} in the provider's CORS settings (IdentityServer: the client's AllowedCorsOrigins).`;
  const allow = res.headers['access-control-allow-origin'];
  if (allow !== '*' && allow !== origin) {
    return {
      id,
      status: 'fail',
      message: `${what}: ${preflight ? 'the preflight' : 'the response'} (HTTP ${res.status}) ${allow ? `allows origin ${allow}, not ${origin}` : 'has no Access-Control-Allow-Origin'}`,
      hint,
    };
  }
  if (preflight) {
    if (res.status < 200 || res.status >= 300) {
      return { id, status: 'fail', message: `${what}: the preflight answered HTTP ${res.status}`, hint };
    }
    const methods = (res.headers['access-control-allow-methods'] ?? '').toUpperCase().split(/\s*,\s*/);
    const simple = ['GET', 'HEAD', 'POST'].includes(preflight.method);
    if (!simple && !methods.includes(preflight.method) && !methods.includes('*')) {
      return {
        id,
        status: 'fail',
        message: `${what}: ${preflight.method} is not among the allowed methods`,
        hint,
      };
    }
    const allowed = (res.headers['access-control-allow-headers'] ?? '').toLowerCase().split(/\s*,\s*/);
    const missing = preflight.headers.filter(
      (h) => !allowed.includes(h.toLowerCase()) && !allowed.includes('*'),
    );
    if (missing.length > 0) {
      return {
        id,
        status: 'fail',
        message: `${what}: the preflight does not allow the header ${missing.join(', ')}`,
        hint,
      };
    }
  }
  return {
    id,
    status: 'pass',
    message: `${what} answers ${preflight ? 'preflights' : 'requests'} from ${origin}`,
  };
}

/**
 * The "development keys reused in production" pitfall: no signing key of this environment may appear
 * in the other's JWKS, by kid or by key material (RFC 7638 thumbprint).
 */
export function checkDistinctKeys(mine: Jwk[], theirs: Jwk[], otherName: string): Check {
  const id = 'keys.distinct';
  const signing = (k: Jwk) => k.use !== 'enc';
  const theirKids = new Set(
    theirs
      .filter(signing)
      .map((k) => k.kid)
      .filter((k) => typeof k === 'string'),
  );
  const theirPrints = new Set(
    theirs
      .filter(signing)
      .map((k) => describeKey(k).thumbprint)
      .filter(Boolean),
  );
  const shared: string[] = [];
  for (const k of mine.filter(signing)) {
    const d = describeKey(k);
    const name = d.kid ? JSON.stringify(d.kid) : `(no kid, ${d.kty})`;
    if (d.thumbprint && theirPrints.has(d.thumbprint)) shared.push(`${name} (same key material)`);
    else if (d.kid && theirKids.has(d.kid)) shared.push(`${name} (same kid)`);
  }
  if (shared.length > 0) {
    return {
      id,
      status: 'fail',
      message: `signing keys also published by ${otherName}: ${shared.join(', ')}`,
      hint: 'Each environment needs its own signing keys: tokens from one would otherwise verify in the other. Generate new keys and rotate.',
    };
  }
  return {
    id,
    status: 'pass',
    message: `no signing key in common with ${otherName} (${mine.length} vs ${theirs.length} keys)`,
  };
}
