import type { Check } from '../check.js';
import { fail, info, type Rule, runRules, type Verdict, warn } from '../rule.js';
// http is tolerated on 127.0.0.0/8, [::1] and localhost (RFC 8252 §7.3) so local providers work.
import { isLoopbackHost } from './url.js';

/**
 * Judges a discovery document (OpenID Connect Discovery 1.0 errata 2; RFC 8414). Pure: it gets what
 * was fetched and returns findings; the ids mirror the OpenID Foundation conformance suite's
 * `oidcc-discovery-endpoint-verification` and run in its order.
 */

export interface DiscoveryLintInput {
  /** The URL the document came from. */
  url: string;
  /** The issuer the document must name; undefined when it cannot be known (odd well-known URL). */
  expectedIssuer: string | undefined;
  /** Where the document was found; a given well-known URL leaves a trailing slash ambiguous. */
  location: 'oidc' | 'rfc8414' | 'given';
  status: number;
  contentType: string;
  metadata: Record<string, unknown>;
  /** Plain OpenID Connect: RS256 is required (§3). Provider profiles (Logto: ES384) only warn. */
  strict?: boolean;
  /** A public client (no secret) is configured for this provider: it needs `none` at the token endpoint. */
  publicClient?: boolean;
}

/**
 * Every rule, in the order it runs (the conformance suite's order); findings come out in this order.
 * The list of ids and `togo check`'s table are read from here.
 */
const DOC = 'discovery document';

export const DISCOVERY_RULES = [
  { id: 'disc.http-200', spec: 'OpenID Connect Discovery §4.2', appliesTo: DOC, run: servedWith200 },
  { id: 'disc.content-type', spec: 'OpenID Connect Discovery §4.2', appliesTo: DOC, run: servedAsJson },
  {
    id: 'disc.url-https',
    spec: 'OpenID Connect Discovery §4; RFC 8252 §7.3',
    appliesTo: DOC,
    run: discoveryUrlHttps,
  },
  { id: 'disc.issuer-match', spec: 'OpenID Connect Discovery §4.3', appliesTo: DOC, run: issuerMatches },
  { id: 'disc.issuer-syntax', spec: 'OpenID Connect Discovery §3', appliesTo: DOC, run: issuerSyntax },
  {
    id: 'disc.unknown-keys',
    spec: 'OpenID Connect Discovery §3; RFC 8414 §2',
    appliesTo: DOC,
    run: unknownKeys,
  },
  { id: 'disc.required-fields', spec: 'OpenID Connect Discovery §3', appliesTo: DOC, run: requiredFields },
  { id: 'disc.empty-arrays', spec: 'OpenID Connect Discovery §3', appliesTo: DOC, run: emptyArrays },
  {
    id: 'disc.response-types',
    spec: 'OAuth 2.0 Multiple Response Types §3',
    appliesTo: DOC,
    run: responseTypes,
  },
  { id: 'disc.subject-types', spec: 'OpenID Connect Core §8', appliesTo: DOC, run: subjectTypes },
  { id: 'disc.rs256', spec: 'OpenID Connect Discovery §3; Core §3.1.3.7', appliesTo: DOC, run: rs256 },
  {
    id: 'disc.endpoints-https',
    spec: 'RFC 6749 §3.1, §3.2; RFC 8252 §7.3',
    appliesTo: DOC,
    run: endpointsHttps,
  },
  { id: 'disc.userinfo-present', spec: 'OpenID Connect Discovery §3', appliesTo: DOC, run: userinfoPresent },
  { id: 'disc.scopes', spec: 'OpenID Connect Discovery §3; RFC 6749 §3.3', appliesTo: DOC, run: scopes },
  { id: 'disc.grant-types', spec: 'RFC 8414 §2', appliesTo: DOC, run: grantTypes },
  { id: 'disc.claims-supported', spec: 'OpenID Connect Discovery §3', appliesTo: DOC, run: claimsSupported },
  { id: 'disc.pkce', spec: 'RFC 8414 §2; RFC 9700 §2.1.1', appliesTo: DOC, run: pkce },
  { id: 'disc.pkce-plain', spec: 'RFC 9700 §2.1.1', appliesTo: DOC, run: pkcePlain },
  { id: 'disc.token-auth-none', spec: 'RFC 8414 §2; RFC 7591 §2', appliesTo: DOC, run: tokenAuthNone },
  {
    id: 'disc.logout.end-session',
    spec: 'OpenID Connect RP-Initiated Logout §2.1',
    appliesTo: DOC,
    run: endSession,
  },
  {
    id: 'disc.logout.frontchannel',
    spec: 'OpenID Connect Front-Channel Logout §3',
    appliesTo: DOC,
    run: booleans(['frontchannel_logout_supported', 'frontchannel_logout_session_supported']),
  },
  {
    id: 'disc.logout.backchannel',
    spec: 'OpenID Connect Back-Channel Logout §2.1',
    appliesTo: DOC,
    run: booleans(['backchannel_logout_supported', 'backchannel_logout_session_supported']),
  },
  {
    id: 'disc.logout.check-session',
    spec: 'OpenID Connect Session Management §3.3',
    appliesTo: DOC,
    run: checkSession,
  },
  { id: 'disc.iss-param', spec: 'RFC 9207 §3', appliesTo: DOC, run: issParameter },
] as const satisfies readonly Rule<DiscoveryLintInput>[];

export type DiscoveryCheckId = (typeof DISCOVERY_RULES)[number]['id'];

/** Every check id this linter can report, in the order it runs them (for `togo check`'s table). */
export const DISCOVERY_CHECKS: readonly DiscoveryCheckId[] = DISCOVERY_RULES.map((rule) => rule.id);

export function lintDiscovery(input: DiscoveryLintInput): Check[] {
  return runRules(DISCOVERY_RULES, input);
}

/** Fields whose value is a URL, each checked for https. */
export const ENDPOINT_FIELDS = [
  'authorization_endpoint',
  'token_endpoint',
  'userinfo_endpoint',
  'jwks_uri',
  'registration_endpoint',
  'end_session_endpoint',
  'check_session_iframe',
  'revocation_endpoint',
  'introspection_endpoint',
  'device_authorization_endpoint',
  'pushed_authorization_request_endpoint',
  'backchannel_authentication_endpoint',
] as const;

/** Metadata names registered by OIDC Discovery §3, RFC 8414 §2 and the specs that extend them. */
const KNOWN_KEYS = new Set<string>([
  ...ENDPOINT_FIELDS,
  'issuer',
  'scopes_supported',
  'response_types_supported',
  'response_modes_supported',
  'grant_types_supported',
  'acr_values_supported',
  'subject_types_supported',
  'id_token_signing_alg_values_supported',
  'id_token_encryption_alg_values_supported',
  'id_token_encryption_enc_values_supported',
  'userinfo_signing_alg_values_supported',
  'userinfo_encryption_alg_values_supported',
  'userinfo_encryption_enc_values_supported',
  'request_object_signing_alg_values_supported',
  'request_object_encryption_alg_values_supported',
  'request_object_encryption_enc_values_supported',
  'token_endpoint_auth_methods_supported',
  'token_endpoint_auth_signing_alg_values_supported',
  'display_values_supported',
  'claim_types_supported',
  'claims_supported',
  'service_documentation',
  'claims_locales_supported',
  'ui_locales_supported',
  'claims_parameter_supported',
  'request_parameter_supported',
  'request_uri_parameter_supported',
  'require_request_uri_registration',
  'op_policy_uri',
  'op_tos_uri',
  'signed_metadata',
  // RFC 8414
  'revocation_endpoint_auth_methods_supported',
  'revocation_endpoint_auth_signing_alg_values_supported',
  'introspection_endpoint_auth_methods_supported',
  'introspection_endpoint_auth_signing_alg_values_supported',
  'code_challenge_methods_supported',
  // Session management, front- and back-channel logout
  'frontchannel_logout_supported',
  'frontchannel_logout_session_supported',
  'backchannel_logout_supported',
  'backchannel_logout_session_supported',
  // RFC 9207, RFC 9126 (PAR), RFC 9101 (JAR), RFC 8705 (mTLS), RFC 9449 (DPoP), JARM, CIBA, RAR
  'authorization_response_iss_parameter_supported',
  'require_pushed_authorization_requests',
  'require_signed_request_object',
  'tls_client_certificate_bound_access_tokens',
  'mtls_endpoint_aliases',
  'dpop_signing_alg_values_supported',
  'authorization_signing_alg_values_supported',
  'authorization_encryption_alg_values_supported',
  'authorization_encryption_enc_values_supported',
  'backchannel_token_delivery_modes_supported',
  'backchannel_authentication_request_signing_alg_values_supported',
  'backchannel_user_code_parameter_supported',
  'authorization_details_types_supported',
  'introspection_signing_alg_values_supported',
  'introspection_encryption_alg_values_supported',
  'introspection_encryption_enc_values_supported',
  'prompt_values_supported',
  'protected_resources',
]);

const RESPONSE_TYPE_WORDS = new Set(['code', 'id_token', 'token']);
/** RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ). */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

function list(values: readonly string[]): string {
  return values.map((v) => JSON.stringify(v)).join(', ');
}

type Input = DiscoveryLintInput;
type Metadata = Record<string, unknown>;

function responseTypesOf(m: Metadata): string[] | undefined {
  return isStringArray(m.response_types_supported) ? m.response_types_supported : undefined;
}

function offersCode(responseTypes: readonly string[]): boolean {
  return responseTypes.some((t) => t.split(' ').includes('code'));
}

// Fetch: §4.2 — a successful response is 200 with application/json.
function servedWith200({ status }: Input): Verdict[] {
  if (status === 200) return [];
  return [fail(`the document was served with HTTP ${status}`, { hint: 'Serve it with 200 OK.' })];
}

function servedAsJson({ contentType }: Input): Verdict[] {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json') return [];
  return [
    fail(`the document is served as ${type || 'no content type'}, not application/json`, {
      hint: 'OpenID Connect Discovery §4.2 requires Content-Type: application/json.',
    }),
  ];
}

// The discovery URL itself (§4): TLS protects the document that tells clients where to send users.
function discoveryUrlHttps({ url }: Input): Verdict[] {
  return httpsCheck(url, 'the discovery URL');
}

// Issuer (§4.3): identical, code point by code point, to the issuer the URL was built from.
function issuerMatches({ metadata, expectedIssuer: expected, location }: Input): Verdict[] {
  const issuer = metadata.issuer;
  if (typeof issuer !== 'string' || expected === undefined || issuer === expected) return [];
  if (issuer.replace(/\/$/, '') === expected.replace(/\/$/, '')) {
    // From a typed well-known URL one cannot tell whether the issuer ends with a slash.
    return [
      (location === 'given' ? warn : fail)(
        `issuer differs only by a trailing slash: the document says ${JSON.stringify(issuer)}, expected ${JSON.stringify(expected)}`,
        {
          hint: `Configure exactly ${JSON.stringify(issuer)}: ID tokens carry it as iss and clients compare it exactly (Discovery §4.3).`,
        },
      ),
    ];
  }
  return [
    fail(`the document names issuer ${JSON.stringify(issuer)}, not ${JSON.stringify(expected)}`, {
      hint: "The document must name exactly the issuer it was fetched for, or clients must not use it (Discovery §4.3); check the issuer URL or the provider's configured public origin (a proxy?).",
    }),
  ];
}

function issuerSyntax({ metadata }: Input): Verdict[] {
  const issuer = metadata.issuer;
  if (issuer === undefined) return [];
  if (typeof issuer !== 'string') {
    return [fail('issuer is not a string', { hint: 'The issuer is an https URL (Discovery §3).' })];
  }
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    return [fail(`issuer ${JSON.stringify(issuer)} is not a URL`, { hint: 'The issuer is an https URL.' })];
  }
  const out: Verdict[] = [];
  if (url.search || issuer.includes('?')) {
    out.push(fail('the issuer has a query component', { hint: 'An issuer has no query (Discovery §3).' }));
  }
  if (url.hash || issuer.includes('#')) {
    out.push(fail('the issuer has a fragment', { hint: 'An issuer has no fragment (Discovery §3).' }));
  }
  return [...out, ...httpsCheck(issuer, 'the issuer')];
}

// Unknown parameters are allowed (§3: extensions); listed so typos stand out.
function unknownKeys({ metadata }: Input): Verdict[] {
  const unknown = Object.keys(metadata).filter((k) => !KNOWN_KEYS.has(k));
  if (unknown.length === 0) return [];
  return [
    info(`parameters not in the registered metadata: ${unknown.join(', ')}`, {
      hint: 'Extensions are allowed; check for typos of registered names.',
    }),
  ];
}

/** Required (§3). token_endpoint only when the provider is not implicit-only. */
function requiredNames(m: Metadata): string[] {
  const responseTypes = responseTypesOf(m);
  const implicitOnly = responseTypes !== undefined && !offersCode(responseTypes);
  return [
    'issuer',
    'authorization_endpoint',
    ...(implicitOnly ? [] : ['token_endpoint']),
    'jwks_uri',
    'response_types_supported',
    'subject_types_supported',
    'id_token_signing_alg_values_supported',
  ];
}

function requiredFields({ metadata: m }: Input): Verdict[] {
  const required = requiredNames(m);
  const out: Verdict[] = [];
  const missing = required.filter((k) => m[k] === undefined || m[k] === null);
  if (missing.length > 0) {
    out.push(
      fail(`required metadata missing: ${missing.join(', ')}`, {
        hint: 'OpenID Connect Discovery §3 lists these as REQUIRED.',
      }),
    );
  }
  const wrongType = required.filter((k) => {
    const v = m[k];
    if (v === undefined || v === null) return false;
    return k.endsWith('_supported') ? !isStringArray(v) : typeof v !== 'string';
  });
  if (wrongType.length > 0) {
    out.push(
      fail(`metadata of the wrong type: ${wrongType.join(', ')}`, {
        hint: 'URLs are strings; *_supported values are JSON arrays of strings (Discovery §3).',
      }),
    );
  }
  return out;
}

// §3: "If a parameter has zero elements, it MUST be omitted."
function emptyArrays({ metadata }: Input): Verdict[] {
  const empty = Object.entries(metadata)
    .filter(([, v]) => Array.isArray(v) && v.length === 0)
    .map(([k]) => k);
  if (empty.length === 0) return [];
  return [
    fail(`empty arrays: ${empty.join(', ')}`, {
      hint: 'Omit a parameter rather than publish it with zero elements (Discovery §3).',
    }),
  ];
}

/** A space-separated set of code / id_token / token, or "none" alone. */
function isResponseType(t: string): boolean {
  if (t === 'none') return true;
  const words = t.split(' ');
  return words.every((w) => RESPONSE_TYPE_WORDS.has(w)) && new Set(words).size === words.length;
}

function responseTypes({ metadata }: Input): Verdict[] {
  const v = metadata.response_types_supported;
  if (v === undefined) return [];
  if (!isStringArray(v)) {
    return [
      fail('response_types_supported is not an array of strings', { hint: 'List values such as "code".' }),
    ];
  }
  const bad = v.filter((t) => !isResponseType(t));
  if (bad.length === 0) return [];
  return [
    fail(`invalid response types: ${list(bad)}`, {
      hint: 'Each is "none" or a space-separated set of code, id_token and token (OAuth 2.0 Multiple Response Types).',
    }),
  ];
}

function subjectTypes({ metadata }: Input): Verdict[] {
  const v = metadata.subject_types_supported;
  if (v === undefined) return [];
  const bad = isStringArray(v) ? v.filter((t) => t !== 'public' && t !== 'pairwise') : undefined;
  if (bad && bad.length === 0) return [];
  return [
    fail(bad ? `unknown subject types: ${list(bad)}` : 'subject_types_supported is not an array of strings', {
      hint: 'Valid subject types are "public" and "pairwise" (Core §8).',
    }),
  ];
}

// §3: id_token_signing_alg_values_supported MUST include RS256.
function rs256({ metadata, strict }: Input): Verdict[] {
  const algs = metadata.id_token_signing_alg_values_supported;
  if (!isStringArray(algs)) return [];
  const out: Verdict[] = [];
  if (!algs.includes('RS256')) {
    out.push(
      (strict ? fail : warn)(`RS256 is not among the ID token signing algorithms (${algs.join(', ')})`, {
        hint: strict
          ? 'OpenID Connect Discovery §3 requires RS256; enable an RSA signing key.'
          : 'Plain OpenID Connect requires RS256 (Discovery §3); clients that only do RS256 cannot verify these ID tokens.',
      }),
    );
  }
  if (algs.includes('none')) {
    out.push(
      warn('ID tokens may be unsigned ("none" is listed)', {
        hint: 'Only allowed when ID tokens come from the token endpoint (Core §3.1.3.7); remove "none" otherwise.',
      }),
    );
  }
  return out;
}

// Every endpoint is https; http only on loopback, so local providers work.
// Loopback warnings are grouped: a local provider would otherwise get one per endpoint.
function endpointsHttps({ metadata }: Input): Verdict[] {
  const out: Verdict[] = [];
  const onLoopback: string[] = [];
  for (const field of ENDPOINT_FIELDS) {
    const v = metadata[field];
    if (v === undefined) continue;
    if (typeof v !== 'string') {
      out.push(fail(`${field} is not a string`, { hint: 'Endpoints are https URLs.' }));
      continue;
    }
    for (const found of httpsCheck(v, field)) {
      if (found.status === 'warn') onLoopback.push(field);
      else out.push(found);
    }
  }
  if (onLoopback.length > 0) {
    out.push(
      warn(`http on a loopback host for ${onLoopback.join(', ')}`, {
        hint: 'Accepted for local providers only; a deployed provider must use https.',
      }),
    );
  }
  return out;
}

function userinfoPresent({ metadata }: Input): Verdict[] {
  if (metadata.userinfo_endpoint !== undefined) return [];
  return [
    warn('no userinfo_endpoint', {
      hint: 'RECOMMENDED by Discovery §3; clients that read claims from userinfo will fail.',
    }),
  ];
}

function scopes({ metadata }: Input): Verdict[] {
  const v = metadata.scopes_supported;
  if (v === undefined) return [];
  if (!isStringArray(v)) {
    return [fail('scopes_supported is not an array of strings', { hint: 'List scope names as strings.' })];
  }
  const out: Verdict[] = [];
  if (v.length > 0 && !v.includes('openid')) {
    out.push(
      fail('scopes_supported does not include "openid"', { hint: 'Discovery §3: it MUST include openid.' }),
    );
  }
  const bad = v.filter((s) => !SCOPE_TOKEN.test(s));
  if (bad.length > 0) {
    out.push(
      fail(`invalid scope names: ${list(bad)}`, {
        hint: 'Scope names are printable ASCII without spaces, " or \\ (RFC 6749 §3.3).',
      }),
    );
  }
  return out;
}

// grant_types_supported (default: authorization_code, implicit) must cover the response types.
function grantTypes({ metadata }: Input): Verdict[] {
  const v = metadata.grant_types_supported;
  if (v === undefined) return [];
  if (!isStringArray(v)) {
    return [
      fail('grant_types_supported is not an array of strings', { hint: 'List grant types as strings.' }),
    ];
  }
  const responseTypes = responseTypesOf(metadata);
  if (!responseTypes) return [];
  const needsImplicit = responseTypes.some((t) => /\b(id_token|token)\b/.test(t));
  const lacking = [
    ...(offersCode(responseTypes) && !v.includes('authorization_code') ? ['authorization_code'] : []),
    ...(needsImplicit && !v.includes('implicit') ? ['implicit'] : []),
  ];
  if (lacking.length === 0) return [];
  return [
    fail(`response types need grant types that are not listed: ${lacking.join(', ')}`, {
      hint: 'code needs authorization_code; id_token and token from the authorization endpoint need implicit (RFC 8414 §2).',
    }),
  ];
}

function claimsSupported({ metadata }: Input): Verdict[] {
  const v = metadata.claims_supported;
  if (v === undefined) {
    return [
      warn('no claims_supported', {
        hint: 'RECOMMENDED by Discovery §3: list the claims the provider can supply.',
      }),
    ];
  }
  if (!isStringArray(v)) {
    return [warn('claims_supported is not an array of strings', { hint: 'List claim names as strings.' })];
  }
  if (v.length === 0 || v.includes('sub')) return [];
  // Discovery §3: the list is RECOMMENDED and need not be exhaustive, so this is a remark only.
  return [
    info('claims_supported does not list "sub"', {
      hint: 'The list need not be exhaustive (Discovery §3), but every ID token carries sub (Core §2); listing it helps clients.',
    }),
  ];
}

// PKCE: absent means not supported (RFC 8414 §2); public clients must use S256 (RFC 9700 §2.1.1).
function pkce({ metadata }: Input): Verdict[] {
  const methods = metadata.code_challenge_methods_supported;
  if (methods === undefined) {
    return [
      warn('no code_challenge_methods_supported: PKCE is not advertised', {
        hint: 'Public clients must use PKCE with S256 (RFC 9700); advertise ["S256"] if the provider supports it.',
      }),
    ];
  }
  if (!isStringArray(methods)) {
    return [
      fail('code_challenge_methods_supported is not an array of strings', { hint: 'Publish e.g. ["S256"].' }),
    ];
  }
  if (methods.includes('S256')) return [];
  return [
    warn(`PKCE without S256 (${methods.join(', ')})`, {
      hint: 'Public clients must use S256 (RFC 9700 §2.1.1); "plain" does not protect the code.',
    }),
  ];
}

function pkcePlain({ metadata }: Input): Verdict[] {
  const methods = metadata.code_challenge_methods_supported;
  if (!isStringArray(methods) || !methods.includes('plain') || !methods.includes('S256')) return [];
  return [
    warn('code_challenge_methods_supported offers "plain" beside S256', {
      hint: 'RFC 9700 §2.1.1: use S256; a provider that accepts "plain" lets a downgraded request through. Advertise ["S256"] only.',
    }),
  ];
}

// RFC 8414 §2 / RFC 7591 §2: a public client authenticates with "none" at the token endpoint.
function tokenAuthNone({ metadata, publicClient }: Input): Verdict[] {
  const methods = metadata.token_endpoint_auth_methods_supported;
  const responseTypes = responseTypesOf(metadata);
  if (!isStringArray(methods) || methods.includes('none') || !responseTypes || !offersCode(responseTypes)) {
    return [];
  }
  if (publicClient) {
    return [
      warn(
        `token_endpoint_auth_methods_supported lacks "none" (${methods.join(', ')}), but the configured client has no secret`,
        {
          hint: 'A public client (no secret) redeems codes with "none" (RFC 7591 §2); list it, or give the client its secret in TOGO_CLIENT_SECRET.',
        },
      ),
    ];
  }
  const pkceMethods = metadata.code_challenge_methods_supported;
  if (!isStringArray(pkceMethods) || !pkceMethods.includes('S256')) return [];
  return [
    info(
      `token_endpoint_auth_methods_supported lacks "none" (${methods.join(', ')}): public clients cannot redeem codes`,
      {
        hint: 'Native apps and SPAs use the code flow with PKCE and no secret (RFC 8252, RFC 9700 §2.1.1); list "none" if they are expected.',
      },
    ),
  ];
}

// Logout (RP-Initiated, Front-Channel, Back-Channel, Session Management): fail on a wrong type.
function notUrl(v: unknown): boolean {
  if (typeof v !== 'string') return true;
  try {
    new URL(v);
    return false;
  } catch {
    return true;
  }
}

function endSession({ metadata }: Input): Verdict[] {
  const v = metadata.end_session_endpoint;
  if (v === undefined || !notUrl(v)) return [];
  return [fail('end_session_endpoint is not a URL', { hint: 'RP-Initiated Logout §2.1: a URL.' })];
}

/** A rule that each of these fields, when present, is a JSON boolean. */
function booleans(fields: readonly string[]): (input: Input) => Verdict[] {
  return ({ metadata }) => {
    const bad = fields.filter((f) => metadata[f] !== undefined && typeof metadata[f] !== 'boolean');
    if (bad.length === 0) return [];
    return [
      fail(`${bad.join(', ')} ${bad.length > 1 ? 'are' : 'is'} not boolean`, {
        hint: 'Use true or false, not a string.',
      }),
    ];
  };
}

function checkSession({ metadata }: Input): Verdict[] {
  const v = metadata.check_session_iframe;
  if (v === undefined || !notUrl(v)) return [];
  return [fail('check_session_iframe is not a URL', { hint: 'Session Management §3.3: a URL.' })];
}

// RFC 9207: the iss response parameter defends against mix-up when several providers are used.
function issParameter({ metadata }: Input): Verdict[] {
  const v = metadata.authorization_response_iss_parameter_supported;
  if (v !== undefined && typeof v !== 'boolean') {
    return [
      fail('authorization_response_iss_parameter_supported is not boolean', {
        hint: 'Use true or false (RFC 9207 §3).',
      }),
    ];
  }
  if (v === true) return [];
  return [
    info('authorization responses carry no iss parameter (RFC 9207)', {
      hint: "With several providers, defend against mix-up by checking the ID token's iss.",
    }),
  ];
}

/** https, or http on a loopback host (a warning), or a failure. */
function httpsCheck(value: string, what: string): Verdict[] {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return [
      fail(`${what} is not a URL: ${JSON.stringify(value)}`, { hint: 'Publish an absolute https URL.' }),
    ];
  }
  if (url.protocol === 'https:') return [];
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) {
    return [
      warn(`${what} uses http on a loopback host (${url.host})`, {
        hint: 'Accepted for local providers only; a deployed provider must use https.',
      }),
    ];
  }
  return [
    fail(`${what} is not https: ${value}`, { hint: 'Tokens and codes travel over it: serve it over https.' }),
  ];
}
