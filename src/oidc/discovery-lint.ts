import type { Finding, Severity } from './findings.js';
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

/** Every check id this linter can report, in the order it runs them (for `togo check`'s table). */
export const DISCOVERY_CHECKS = [
  'disc.http-200',
  'disc.content-type',
  'disc.url-https',
  'disc.issuer-match',
  'disc.issuer-syntax',
  'disc.unknown-keys',
  'disc.required-fields',
  'disc.empty-arrays',
  'disc.response-types',
  'disc.subject-types',
  'disc.rs256',
  'disc.endpoints-https',
  'disc.userinfo-present',
  'disc.scopes',
  'disc.grant-types',
  'disc.claims-supported',
  'disc.pkce',
  'disc.pkce-plain',
  'disc.token-auth-none',
  'disc.logout.end-session',
  'disc.logout.frontchannel',
  'disc.logout.backchannel',
  'disc.logout.check-session',
  'disc.iss-param',
] as const;

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

export function lintDiscovery(input: DiscoveryLintInput): Finding[] {
  const m = input.metadata;
  const out: Finding[] = [];
  const add = (id: string, severity: Severity, message: string, hint: string) =>
    out.push({ id, status: severity, message, hint });

  // Fetch: §4.2 — a successful response is 200 with application/json.
  if (input.status !== 200) {
    add(
      'disc.http-200',
      'fail',
      `the document was served with HTTP ${input.status}`,
      'Serve it with 200 OK.',
    );
  }
  const type = input.contentType.split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    add(
      'disc.content-type',
      'fail',
      `the document is served as ${type || 'no content type'}, not application/json`,
      'OpenID Connect Discovery §4.2 requires Content-Type: application/json.',
    );
  }

  // The discovery URL itself (§4): TLS protects the document that tells clients where to send users.
  httpsCheck(input.url, 'the discovery URL', 'disc.url-https', add);

  // Issuer (§4.3): identical, code point by code point, to the issuer the URL was built from.
  const issuer = m.issuer;
  if (typeof issuer === 'string' && input.expectedIssuer !== undefined && issuer !== input.expectedIssuer) {
    const slashOnly = issuer.replace(/\/$/, '') === input.expectedIssuer.replace(/\/$/, '');
    if (slashOnly) {
      // From a typed well-known URL one cannot tell whether the issuer ends with a slash.
      add(
        'disc.issuer-match',
        input.location === 'given' ? 'warn' : 'fail',
        `issuer differs only by a trailing slash: the document says ${JSON.stringify(issuer)}, expected ${JSON.stringify(input.expectedIssuer)}`,
        `Configure exactly ${JSON.stringify(issuer)}: ID tokens carry it as iss and clients compare it exactly (Discovery §4.3).`,
      );
    } else {
      add(
        'disc.issuer-match',
        'fail',
        `the document names issuer ${JSON.stringify(issuer)}, not ${JSON.stringify(input.expectedIssuer)}`,
        "The document must name exactly the issuer it was fetched for, or clients must not use it (Discovery §4.3); check the issuer URL or the provider's configured public origin (a proxy?).",
      );
    }
  }
  if (issuer !== undefined) {
    if (typeof issuer !== 'string') {
      add(
        'disc.issuer-syntax',
        'fail',
        'issuer is not a string',
        'The issuer is an https URL (Discovery §3).',
      );
    } else {
      let url: URL | undefined;
      try {
        url = new URL(issuer);
      } catch {
        add(
          'disc.issuer-syntax',
          'fail',
          `issuer ${JSON.stringify(issuer)} is not a URL`,
          'The issuer is an https URL.',
        );
      }
      if (url) {
        if (url.search || issuer.includes('?')) {
          add(
            'disc.issuer-syntax',
            'fail',
            'the issuer has a query component',
            'An issuer has no query (Discovery §3).',
          );
        }
        if (url.hash || issuer.includes('#')) {
          add(
            'disc.issuer-syntax',
            'fail',
            'the issuer has a fragment',
            'An issuer has no fragment (Discovery §3).',
          );
        }
        httpsCheck(issuer, 'the issuer', 'disc.issuer-syntax', add);
      }
    }
  }

  // Unknown parameters are allowed (§3: extensions); listed so typos stand out.
  const unknown = Object.keys(m).filter((k) => !KNOWN_KEYS.has(k));
  if (unknown.length > 0) {
    add(
      'disc.unknown-keys',
      'info',
      `parameters not in the registered metadata: ${unknown.join(', ')}`,
      'Extensions are allowed; check for typos of registered names.',
    );
  }

  // Required (§3). token_endpoint only when the provider is not implicit-only.
  const responseTypes = isStringArray(m.response_types_supported) ? m.response_types_supported : undefined;
  const implicitOnly =
    responseTypes !== undefined && !responseTypes.some((t) => t.split(' ').includes('code'));
  const required = [
    'issuer',
    'authorization_endpoint',
    ...(implicitOnly ? [] : ['token_endpoint']),
    'jwks_uri',
    'response_types_supported',
    'subject_types_supported',
    'id_token_signing_alg_values_supported',
  ];
  const missing = required.filter((k) => m[k] === undefined || m[k] === null);
  if (missing.length > 0) {
    add(
      'disc.required-fields',
      'fail',
      `required metadata missing: ${missing.join(', ')}`,
      'OpenID Connect Discovery §3 lists these as REQUIRED.',
    );
  }
  const wrongType = required.filter((k) => {
    const v = m[k];
    if (v === undefined || v === null) return false;
    return k.endsWith('_supported') ? !isStringArray(v) : typeof v !== 'string';
  });
  if (wrongType.length > 0) {
    add(
      'disc.required-fields',
      'fail',
      `metadata of the wrong type: ${wrongType.join(', ')}`,
      'URLs are strings; *_supported values are JSON arrays of strings (Discovery §3).',
    );
  }

  // §3: "If a parameter has zero elements, it MUST be omitted."
  const empty = Object.entries(m)
    .filter(([, v]) => Array.isArray(v) && v.length === 0)
    .map(([k]) => k);
  if (empty.length > 0) {
    add(
      'disc.empty-arrays',
      'fail',
      `empty arrays: ${empty.join(', ')}`,
      'Omit a parameter rather than publish it with zero elements (Discovery §3).',
    );
  }

  // response_types_supported: space-separated sets of code / id_token / token, or "none" alone.
  if (m.response_types_supported !== undefined) {
    if (!isStringArray(m.response_types_supported)) {
      add(
        'disc.response-types',
        'fail',
        'response_types_supported is not an array of strings',
        'List values such as "code".',
      );
    } else {
      const bad = m.response_types_supported.filter((t) => {
        const words = t.split(' ');
        if (t === 'none') return false;
        return words.some((w) => !RESPONSE_TYPE_WORDS.has(w)) || new Set(words).size !== words.length;
      });
      if (bad.length > 0) {
        add(
          'disc.response-types',
          'fail',
          `invalid response types: ${list(bad)}`,
          'Each is "none" or a space-separated set of code, id_token and token (OAuth 2.0 Multiple Response Types).',
        );
      }
    }
  }

  if (m.subject_types_supported !== undefined) {
    const v = m.subject_types_supported;
    const bad = isStringArray(v) ? v.filter((t) => t !== 'public' && t !== 'pairwise') : undefined;
    if (!bad || bad.length > 0) {
      add(
        'disc.subject-types',
        'fail',
        bad ? `unknown subject types: ${list(bad)}` : 'subject_types_supported is not an array of strings',
        'Valid subject types are "public" and "pairwise" (Core §8).',
      );
    }
  }

  // §3: id_token_signing_alg_values_supported MUST include RS256.
  const algs = m.id_token_signing_alg_values_supported;
  if (isStringArray(algs) && !algs.includes('RS256')) {
    add(
      'disc.rs256',
      input.strict ? 'fail' : 'warn',
      `RS256 is not among the ID token signing algorithms (${algs.join(', ')})`,
      input.strict
        ? 'OpenID Connect Discovery §3 requires RS256; enable an RSA signing key.'
        : 'Plain OpenID Connect requires RS256 (Discovery §3); clients that only do RS256 cannot verify these ID tokens.',
    );
  }
  if (isStringArray(algs) && algs.includes('none')) {
    add(
      'disc.rs256',
      'warn',
      'ID tokens may be unsigned ("none" is listed)',
      'Only allowed when ID tokens come from the token endpoint (Core §3.1.3.7); remove "none" otherwise.',
    );
  }

  // Every endpoint is https; http only on loopback, so local providers work.
  // Loopback warnings are grouped: a local provider would otherwise get one per endpoint.
  const onLoopback: string[] = [];
  for (const field of ENDPOINT_FIELDS) {
    const v = m[field];
    if (v === undefined) continue;
    if (typeof v !== 'string') {
      add('disc.endpoints-https', 'fail', `${field} is not a string`, 'Endpoints are https URLs.');
      continue;
    }
    httpsCheck(v, field, 'disc.endpoints-https', (id, severity, message, hint) =>
      severity === 'warn' ? onLoopback.push(field) : add(id, severity, message, hint),
    );
  }
  if (onLoopback.length > 0) {
    add(
      'disc.endpoints-https',
      'warn',
      `http on a loopback host for ${onLoopback.join(', ')}`,
      'Accepted for local providers only; a deployed provider must use https.',
    );
  }

  if (m.userinfo_endpoint === undefined) {
    add(
      'disc.userinfo-present',
      'warn',
      'no userinfo_endpoint',
      'RECOMMENDED by Discovery §3; clients that read claims from userinfo will fail.',
    );
  }

  if (m.scopes_supported !== undefined) {
    const v = m.scopes_supported;
    if (!isStringArray(v)) {
      add(
        'disc.scopes',
        'fail',
        'scopes_supported is not an array of strings',
        'List scope names as strings.',
      );
    } else {
      if (v.length > 0 && !v.includes('openid')) {
        add(
          'disc.scopes',
          'fail',
          'scopes_supported does not include "openid"',
          'Discovery §3: it MUST include openid.',
        );
      }
      const bad = v.filter((s) => !SCOPE_TOKEN.test(s));
      if (bad.length > 0) {
        add(
          'disc.scopes',
          'fail',
          `invalid scope names: ${list(bad)}`,
          'Scope names are printable ASCII without spaces, " or \\ (RFC 6749 §3.3).',
        );
      }
    }
  }

  // grant_types_supported (default: authorization_code, implicit) must cover the response types.
  if (m.grant_types_supported !== undefined) {
    const v = m.grant_types_supported;
    if (!isStringArray(v)) {
      add(
        'disc.grant-types',
        'fail',
        'grant_types_supported is not an array of strings',
        'List grant types as strings.',
      );
    } else if (responseTypes) {
      const needsCode = responseTypes.some((t) => t.split(' ').includes('code'));
      const needsImplicit = responseTypes.some((t) => /\b(id_token|token)\b/.test(t));
      const lacking = [
        ...(needsCode && !v.includes('authorization_code') ? ['authorization_code'] : []),
        ...(needsImplicit && !v.includes('implicit') ? ['implicit'] : []),
      ];
      if (lacking.length > 0) {
        add(
          'disc.grant-types',
          'fail',
          `response types need grant types that are not listed: ${lacking.join(', ')}`,
          'code needs authorization_code; id_token and token from the authorization endpoint need implicit (RFC 8414 §2).',
        );
      }
    }
  }

  if (m.claims_supported === undefined) {
    add(
      'disc.claims-supported',
      'warn',
      'no claims_supported',
      'RECOMMENDED by Discovery §3: list the claims the provider can supply.',
    );
  } else if (!isStringArray(m.claims_supported)) {
    add(
      'disc.claims-supported',
      'warn',
      'claims_supported is not an array of strings',
      'List claim names as strings.',
    );
  } else if (m.claims_supported.length > 0 && !m.claims_supported.includes('sub')) {
    // Discovery §3: the list is RECOMMENDED and need not be exhaustive, so this is a remark only.
    add(
      'disc.claims-supported',
      'info',
      'claims_supported does not list "sub"',
      'The list need not be exhaustive (Discovery §3), but every ID token carries sub (Core §2); listing it helps clients.',
    );
  }

  // PKCE: absent means not supported (RFC 8414 §2); public clients must use S256 (RFC 9700 §2.1.1).
  const pkce = m.code_challenge_methods_supported;
  if (pkce === undefined) {
    add(
      'disc.pkce',
      'warn',
      'no code_challenge_methods_supported: PKCE is not advertised',
      'Public clients must use PKCE with S256 (RFC 9700); advertise ["S256"] if the provider supports it.',
    );
  } else if (!isStringArray(pkce)) {
    add(
      'disc.pkce',
      'fail',
      'code_challenge_methods_supported is not an array of strings',
      'Publish e.g. ["S256"].',
    );
  } else if (!pkce.includes('S256')) {
    add(
      'disc.pkce',
      'warn',
      `PKCE without S256 (${pkce.join(', ')})`,
      'Public clients must use S256 (RFC 9700 §2.1.1); "plain" does not protect the code.',
    );
  }
  if (isStringArray(pkce) && pkce.includes('plain') && pkce.includes('S256')) {
    add(
      'disc.pkce-plain',
      'warn',
      'code_challenge_methods_supported offers "plain" beside S256',
      'RFC 9700 §2.1.1: use S256; a provider that accepts "plain" lets a downgraded request through. Advertise ["S256"] only.',
    );
  }

  // RFC 8414 §2 / RFC 7591 §2: a public client authenticates with "none" at the token endpoint.
  const authMethods = m.token_endpoint_auth_methods_supported;
  const codeFlow =
    isStringArray(m.response_types_supported) &&
    m.response_types_supported.some((t) => t.split(' ').includes('code'));
  if (isStringArray(authMethods) && !authMethods.includes('none') && codeFlow) {
    const pkceS256 = isStringArray(pkce) && pkce.includes('S256');
    if (input.publicClient) {
      add(
        'disc.token-auth-none',
        'warn',
        `token_endpoint_auth_methods_supported lacks "none" (${authMethods.join(', ')}), but the configured client has no secret`,
        'A public client (no secret) redeems codes with "none" (RFC 7591 §2); list it, or give the client its secret in TOGO_CLIENT_SECRET.',
      );
    } else if (pkceS256) {
      add(
        'disc.token-auth-none',
        'info',
        `token_endpoint_auth_methods_supported lacks "none" (${authMethods.join(', ')}): public clients cannot redeem codes`,
        'Native apps and SPAs use the code flow with PKCE and no secret (RFC 8252, RFC 9700 §2.1.1); list "none" if they are expected.',
      );
    }
  }

  // Logout (RP-Initiated, Front-Channel, Back-Channel, Session Management): fail on a wrong type.
  const notUrl = (v: unknown) => {
    if (typeof v !== 'string') return true;
    try {
      new URL(v);
      return false;
    } catch {
      return true;
    }
  };
  if (m.end_session_endpoint !== undefined && notUrl(m.end_session_endpoint)) {
    add(
      'disc.logout.end-session',
      'fail',
      'end_session_endpoint is not a URL',
      'RP-Initiated Logout §2.1: a URL.',
    );
  }
  for (const [id, fields] of [
    ['disc.logout.frontchannel', ['frontchannel_logout_supported', 'frontchannel_logout_session_supported']],
    ['disc.logout.backchannel', ['backchannel_logout_supported', 'backchannel_logout_session_supported']],
  ] as const) {
    const bad = fields.filter((f) => m[f] !== undefined && typeof m[f] !== 'boolean');
    if (bad.length > 0) {
      add(
        id,
        'fail',
        `${bad.join(', ')} ${bad.length > 1 ? 'are' : 'is'} not boolean`,
        'Use true or false, not a string.',
      );
    }
  }
  if (m.check_session_iframe !== undefined && notUrl(m.check_session_iframe)) {
    add(
      'disc.logout.check-session',
      'fail',
      'check_session_iframe is not a URL',
      'Session Management §3.3: a URL.',
    );
  }

  // RFC 9207: the iss response parameter defends against mix-up when several providers are used.
  const issParam = m.authorization_response_iss_parameter_supported;
  if (issParam !== undefined && typeof issParam !== 'boolean') {
    add(
      'disc.iss-param',
      'fail',
      'authorization_response_iss_parameter_supported is not boolean',
      'Use true or false (RFC 9207 §3).',
    );
  } else if (issParam !== true) {
    add(
      'disc.iss-param',
      'info',
      'authorization responses carry no iss parameter (RFC 9207)',
      "With several providers, defend against mix-up by checking the ID token's iss.",
    );
  }

  return out;
}

/** https, or http on a loopback host (a warning), or a failure. */
function httpsCheck(
  value: string,
  what: string,
  id: string,
  add: (id: string, severity: Severity, message: string, hint: string) => void,
): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    add(id, 'fail', `${what} is not a URL: ${JSON.stringify(value)}`, 'Publish an absolute https URL.');
    return;
  }
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) {
    add(
      id,
      'warn',
      `${what} uses http on a loopback host (${url.host})`,
      'Accepted for local providers only; a deployed provider must use https.',
    );
    return;
  }
  add(id, 'fail', `${what} is not https: ${value}`, 'Tokens and codes travel over it: serve it over https.');
}
