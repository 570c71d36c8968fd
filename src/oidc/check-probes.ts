import type { Check } from '../check.js';
import { fail, pass, type Rule, runRule, runRules, type Verdict } from '../rule.js';
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

/** The discovery document and one value the user expects it to advertise. */
interface Expected {
  metadata: Record<string, unknown>;
  want: string;
}

const strings = (v: unknown) =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined;
/** Response types compare as sets of words: "token id_token" is "id_token token". */
const words = (t: string) => t.split(' ').filter(Boolean).sort().join(' ');

/** A rule that `field` lists the expected value; `advertised` reads the list, applying the spec's default. */
function advertises(
  field: string,
  advertised: (m: Record<string, unknown>) => string[] | undefined = (m) => strings(m[field]),
  norm: (s: string) => string = (s) => s,
): (input: Expected) => Verdict {
  return ({ metadata, want }) => {
    const list = advertised(metadata);
    if (list?.map(norm).includes(norm(want))) return pass(`${field} includes ${JSON.stringify(want)}`);
    return fail(
      list
        ? `${field} does not include ${JSON.stringify(want)} (it has ${list.join(', ') || 'nothing'})`
        : `the document has no ${field}`,
      {
        hint: 'The provider no longer advertises what this client relies on; ask its operators, or update the expectation.',
      },
    );
  };
}

const EXPECTED = 'discovery document, against a value the user expects (the id ends in :<value>)';

/** One rule per --expect-* flag; each expected value is a check of its own, `<id>:<value>`. */
export const EXPECTATION_RULES = {
  responseTypes: {
    id: 'expect.response-type',
    spec: 'OpenID Connect Discovery §3',
    appliesTo: EXPECTED,
    run: advertises('response_types_supported', undefined, words),
  },
  scopes: {
    id: 'expect.scope',
    spec: 'OpenID Connect Discovery §3',
    appliesTo: EXPECTED,
    run: advertises('scopes_supported'),
  },
  claims: {
    id: 'expect.claim',
    spec: 'OpenID Connect Discovery §3',
    appliesTo: EXPECTED,
    run: advertises('claims_supported'),
  },
  grants: {
    id: 'expect.grant',
    spec: 'OpenID Connect Discovery §3; RFC 8414 §2',
    appliesTo: EXPECTED,
    // Absent grant types default to authorization_code and implicit (Discovery §3).
    run: advertises(
      'grant_types_supported',
      (m) =>
        strings(m.grant_types_supported) ??
        (m.grant_types_supported === undefined ? ['authorization_code', 'implicit'] : undefined),
    ),
  },
  algs: {
    id: 'expect.alg',
    spec: 'OpenID Connect Discovery §3',
    appliesTo: EXPECTED,
    run: advertises('id_token_signing_alg_values_supported'),
  },
} as const satisfies Record<keyof Expectations, Rule<Expected>>;

/** Each expected value must be advertised. */
export function checkExpectations(metadata: Record<string, unknown>, e: Expectations): Check[] {
  return (Object.keys(EXPECTATION_RULES) as (keyof Expectations)[]).flatMap((key) =>
    (e[key] ?? []).flatMap((want) =>
      runRule(EXPECTATION_RULES[key], { metadata, want }).map((c) => ({ ...c, id: `${c.id}:${want}` })),
    ),
  );
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

/** The authorize endpoint's answer to a request of the configured client. */
export interface ProbeInput {
  res: ProbeResponse;
  redirectUri: string;
  authorizeUrl: string;
  flavor: 'togo' | 'standard';
}

const PROBE_HINT =
  'Check the client registration on this environment: the client id, the redirect URI (exact match, port included), and that the response type and scopes are allowed for the client.';

export const PROBE_RULES = [
  {
    id: 'probe.authorize',
    spec: 'RFC 6749 §4.1.2.1; OpenID Connect Core §3.1.2.6',
    appliesTo: "the authorize endpoint's answer to the configured client",
    run: ({ res, redirectUri, authorizeUrl, flavor }) => {
      const verdict = classifyProbe(res, redirectUri, authorizeUrl);
      switch (verdict.kind) {
        case 'login':
          return pass(`redirects to the login page (${verdict.location.split('?')[0]})`);
        case 'redirect-ok':
          // Togo ID shows its login page unless a session exists; other providers may approve at once.
          return pass(
            flavor === 'togo'
              ? 'answers the client directly (a session already existed)'
              : 'answers the client directly (the provider approved without a page: a session, or auto-approval)',
          );
        case 'page':
          return pass(`answers ${res.status} with a page (the login page)`);
        case 'redirect-error':
          return fail(`the provider sent the client an error: ${verdict.error}`, { hint: PROBE_HINT });
        case 'error-page': {
          const reason = res.errorPage === undefined ? undefined : readErrorReason(res.errorPage);
          return fail(
            `redirects to the provider's error page${reason ? `: ${reason}` : ''} (${verdict.location})`,
            { hint: PROBE_HINT },
          );
        }
        case 'status': {
          const reason = readErrorReason(res.body);
          return fail(`the authorize endpoint answered HTTP ${res.status}${reason ? `: ${reason}` : ''}`, {
            hint: PROBE_HINT,
          });
        }
      }
    },
  },
] as const satisfies readonly Rule<ProbeInput>[];

export function judgeProbe(
  res: ProbeResponse,
  redirectUri: string,
  authorizeUrl: string,
  flavor: 'togo' | 'standard' = 'togo',
): Check {
  return runRules(PROBE_RULES, { res, redirectUri, authorizeUrl, flavor })[0]!;
}

/** What one CORS request (simple or preflight) got back. */
export interface CorsResponse {
  status: number;
  headers: Record<string, string>;
}

/** What the browser asks and gets for one resource, from one origin. */
export interface CorsInput {
  origin: string;
  res: CorsResponse;
  /** A preflight's method and request headers; absent for a simple request. */
  preflight?: { method: string; headers: string[] };
}

/**
 * Fetch standard §3.2: the browser lets the page read the response when Access-Control-Allow-Origin is
 * `*` or the exact origin; a preflight also needs the method and request headers allowed.
 */
function corsAllows(what: string): (input: CorsInput) => Verdict {
  return ({ origin, res, preflight }) => {
    const hint = `Allow the origin ${origin} for ${what} in the provider's CORS settings (IdentityServer: the client's AllowedCorsOrigins).`;
    const allow = res.headers['access-control-allow-origin'];
    if (allow !== '*' && allow !== origin) {
      return fail(
        `${what}: ${preflight ? 'the preflight' : 'the response'} (HTTP ${res.status}) ${allow ? `allows origin ${allow}, not ${origin}` : 'has no Access-Control-Allow-Origin'}`,
        { hint },
      );
    }
    if (preflight) {
      if (res.status < 200 || res.status >= 300) {
        return fail(`${what}: the preflight answered HTTP ${res.status}`, { hint });
      }
      const methods = (res.headers['access-control-allow-methods'] ?? '').toUpperCase().split(/\s*,\s*/);
      const simple = ['GET', 'HEAD', 'POST'].includes(preflight.method);
      if (!simple && !methods.includes(preflight.method) && !methods.includes('*')) {
        return fail(`${what}: ${preflight.method} is not among the allowed methods`, { hint });
      }
      const allowed = (res.headers['access-control-allow-headers'] ?? '').toLowerCase().split(/\s*,\s*/);
      const missing = preflight.headers.filter(
        (h) => !allowed.includes(h.toLowerCase()) && !allowed.includes('*'),
      );
      if (missing.length > 0) {
        return fail(`${what}: the preflight does not allow the header ${missing.join(', ')}`, { hint });
      }
    }
    return pass(`${what} answers ${preflight ? 'preflights' : 'requests'} from ${origin}`);
  };
}

const CORS_SPEC = 'Fetch Standard §3.2 (CORS protocol)';

/** What each CORS rule asks about, in its messages. */
export const CORS_TARGETS = {
  'cors.discovery': 'the discovery document',
  'cors.jwks': 'the JWKS',
  'cors.token': 'the token endpoint',
  'cors.userinfo': 'the userinfo endpoint',
} as const;

export type CorsId = keyof typeof CORS_TARGETS;

export const CORS_RULES = (Object.keys(CORS_TARGETS) as CorsId[]).map(
  (id): Rule<CorsInput> => ({
    id,
    spec: CORS_SPEC,
    appliesTo: `${CORS_TARGETS[id]}, read by a page of another origin`,
    run: corsAllows(CORS_TARGETS[id]),
  }),
);

export function judgeCors(id: CorsId, input: CorsInput): Check {
  return runRules(
    CORS_RULES.filter((r) => r.id === id),
    input,
  )[0]!;
}

/** This environment's keys and another's. */
export interface KeyPair {
  mine: Jwk[];
  theirs: Jwk[];
  otherName: string;
}

export const DISTINCT_KEYS_RULES = [
  {
    id: 'keys.distinct',
    spec: 'RFC 7638 §3; OpenID Connect Core §10.1',
    appliesTo: "this environment's JWKS beside another environment's",
    run: ({ mine, theirs, otherName }) => {
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
      return shared.length > 0
        ? fail(`signing keys also published by ${otherName}: ${shared.join(', ')}`, {
            hint: 'Each environment needs its own signing keys: tokens from one would otherwise verify in the other. Generate new keys and rotate.',
          })
        : pass(`no signing key in common with ${otherName} (${mine.length} vs ${theirs.length} keys)`);
    },
  },
] as const satisfies readonly Rule<KeyPair>[];

/**
 * The "development keys reused in production" pitfall: no signing key of this environment may appear
 * in the other's JWKS, by kid or by key material (RFC 7638 thumbprint).
 */
export function checkDistinctKeys(mine: Jwk[], theirs: Jwk[], otherName: string): Check {
  return runRules(DISTINCT_KEYS_RULES, { mine, theirs, otherName })[0]!;
}
