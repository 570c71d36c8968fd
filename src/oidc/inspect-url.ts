import { TogoError } from '../errors.js';
import { AUTHORIZE_REQUEST_PARAMS, IS_LIMITS, TOGO_STATE } from './login-url.js';

/**
 * Explains a Togo ID login URL or any authorization URL a developer pastes: every parameter,
 * decoded (the nested ReturnUrl too), and every problem found, with a status and a hint. Pure.
 *
 * The query is split by hand rather than with URLSearchParams, because the mistakes worth finding
 * (a ReturnUrl encoded twice, or not at all) are only visible in the raw text.
 */

export type Severity = 'fail' | 'warn' | 'info';

import type { Check as Finding } from '../check.js';
import { formDecode, isLoopbackHost, splitQuery, splitRaw } from './url.js';

export type { Finding };

export interface UrlParam {
  name: string;
  /** Decoded. */
  value: string;
  /** As it appears in the URL. */
  raw: string;
}

export interface InspectedReturnUrl {
  /** The authorize URL nested in ReturnUrl, decoded as the login page would decode it. */
  url: string;
  /** A local path (`/identity/connect/authorize?…`) rather than an absolute URL. */
  relative: boolean;
  params: UrlParam[];
}

export type UrlKind = 'togo-login' | 'authorize' | 'other';

export interface Inspection {
  /** False when a finding has error severity. */
  ok: boolean;
  url: string;
  kind: UrlKind;
  params: UrlParam[];
  returnUrl?: InspectedReturnUrl;
  findings: Finding[];
}

export interface InspectOptions {
  /** Apply Togo ID's rules to a bare authorize URL too (automatic for Togo hosts and login URLs). */
  togo?: boolean;
}

const KNOWN_RESPONSE_TYPES = [
  'code',
  'id_token',
  'token',
  'id_token token',
  'code id_token',
  'code token',
  'code id_token token',
  'none',
];

export function inspectUrl(input: string, options: InspectOptions = {}): Inspection {
  const text = input.trim().replace(/^(["'])(.*)\1$/s, '$2');
  if (!URL.canParse(text)) {
    throw new TogoError('URL_MALFORMED', `not a URL: "${abbreviate(text)}"`);
  }
  const parsed = new URL(text);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new TogoError('URL_MALFORMED', `not an http(s) URL: "${abbreviate(text)}"`);
  }
  const { query, path } = splitRaw(text);
  const pairs = splitQuery(query);
  const params = pairs.map((p) => {
    const value = formDecode(p.rawValue);
    const name = formDecode(p.rawName);
    if (value === undefined || name === undefined) {
      throw new TogoError('URL_MALFORMED', `bad percent-encoding in parameter "${p.rawName}"`, {
        hint: 'A % must be followed by two hex digits; quote the URL in the shell so nothing is changed.',
      });
    }
    return { name, value, raw: p.rawValue };
  });

  const findings: Finding[] = [];
  const add = (id: string, severity: Severity, message: string, hint: string) =>
    findings.push({ id, status: severity, message, hint });

  if (parsed.protocol === 'http:' && !isLoopbackHost(parsed.hostname)) {
    add(
      'url.not-https',
      'fail',
      `the URL uses http on ${parsed.hostname}`,
      'Authorization requests must use TLS (RFC 6749 §3.1); only loopback providers may use http.',
    );
  }

  const has = (name: string) => params.some((p) => p.name === name);
  const returnUrlParam = params.find((p) => p.name.toLowerCase() === 'returnurl');
  const looksLikeLogin = /\/login\/?$/i.test(path) && (has('profile') || has('behaviourProfile'));
  const kind: UrlKind =
    returnUrlParam || looksLikeLogin
      ? 'togo-login'
      : has('client_id') || has('response_type')
        ? 'authorize'
        : 'other';

  if (kind === 'other') {
    add(
      'url.not-authorization',
      'info',
      'no client_id, response_type or ReturnUrl: this is neither a login URL nor an authorization URL',
      'Paste the URL your application sends the browser to.',
    );
    return finish(text, kind, params, undefined, findings);
  }

  // The URL as given: a space inside a value is reported, never silently repaired.
  checkUnencoded(
    params.filter((p) => p.name.toLowerCase() !== 'returnurl'),
    findings,
    '',
  );

  if (kind === 'authorize') {
    const togo = options.togo ?? /(^|\.)runswithtogo\.com$/i.test(parsed.hostname);
    checkAuthorize(params, togo, findings);
    return finish(text, kind, params, undefined, findings);
  }

  // A Togo login URL: check the login page's parameters, then the nested authorize URL.
  let outer = params;
  let returnRaw: string | undefined;
  const leaked = params.filter((p) => (AUTHORIZE_REQUEST_PARAMS as readonly string[]).includes(p.name));
  const clientIds = params.filter((p) => p.name === 'client_id');
  const returnIndex = returnUrlParam ? params.indexOf(returnUrlParam) : -1;
  if (returnUrlParam && (leaked.length > 0 || clientIds.length > 1)) {
    // The ReturnUrl was not encoded: its `&` split it, and its parameters became the login page's.
    add(
      'url.return-url-unencoded',
      'fail',
      `ReturnUrl is not percent-encoded: its & separators leak into the login URL, so ${leaked
        .map((p) => p.name)
        .join(', ')} reach the login page instead of the authorize request`,
      'Percent-encode the whole authorize URL, separators included, once more before putting it in ReturnUrl (encodeURIComponent); `togo login-url` does this.',
    );
    const start = pairs[returnIndex]!;
    // Take everything from ReturnUrl's value on as the authorize URL. Its first segment may be
    // encoded (the sample code's prefix) while the rest is not.
    const tail = query.slice(start.valueOffset);
    const amp = tail.indexOf('&');
    const first = amp < 0 ? tail : tail.slice(0, amp);
    const rest = amp < 0 ? '' : tail.slice(amp);
    returnRaw = (first.includes('?') ? first : (formDecode(first) ?? first)) + rest;
    outer = params
      .slice(0, returnIndex + 1)
      .map((p) => (p === returnUrlParam ? { ...p, value: returnRaw! } : p));
  } else if (returnUrlParam) {
    returnRaw = returnUrlParam.value;
    if (!returnRaw.includes('?') && /%3F|%26|%3D|^https?%3A|^%2F/i.test(returnRaw)) {
      add(
        'url.return-url-double-encoded',
        'fail',
        'ReturnUrl is percent-encoded twice: once decoded it is still encoded (%3F, %26), so the login page cannot follow it',
        'Encode the authorize URL exactly once when putting it in ReturnUrl.',
      );
      returnRaw = formDecode(returnRaw) ?? returnRaw;
    }
  }

  checkLoginParams(outer, findings);

  let returnUrl: InspectedReturnUrl | undefined;
  if (returnRaw === undefined) {
    add(
      'login.return-url-missing',
      'warn',
      'no ReturnUrl: after login the user stays on Togo ID instead of returning to the application',
      'Put the authorize URL, percent-encoded, in ReturnUrl.',
    );
  } else {
    returnUrl = inspectReturnUrl(returnRaw, parsed, findings);
    if (returnUrl) {
      const inner = returnUrl.params;
      const outerClient = outer.find((p) => p.name === 'client_id')?.value;
      const innerClient = inner.find((p) => p.name === 'client_id')?.value;
      if (outerClient !== undefined && innerClient !== undefined && outerClient !== innerClient) {
        add(
          'login.client-id-mismatch',
          'fail',
          `client_id differs: "${outerClient}" on the login URL, "${innerClient}" in ReturnUrl`,
          'Use the same registered client id in both places.',
        );
      }
      checkAuthorize(inner, true, findings);
    }
  }
  return finish(text, kind, outer, returnUrl, findings);
}

function finish(
  url: string,
  kind: UrlKind,
  params: UrlParam[],
  returnUrl: InspectedReturnUrl | undefined,
  findings: Finding[],
): Inspection {
  return {
    ok: !findings.some((f) => f.status === 'fail'),
    url,
    kind,
    params,
    ...(returnUrl ? { returnUrl } : {}),
    findings,
  };
}

function checkLoginParams(params: UrlParam[], findings: Finding[]): void {
  const has = (name: string) => params.some((p) => p.name === name && p.value !== '');
  if (!has('profile')) {
    findings.push({
      id: 'login.profile-missing',
      status: 'fail',
      message: 'the login URL has no profile (the page style)',
      hint: 'Add profile=togo unless Togo told you otherwise.',
    });
  }
  if (!has('behaviourProfile')) {
    const american = params.some((p) => p.name.toLowerCase() === 'behaviorprofile');
    findings.push({
      id: 'login.behaviour-profile-missing',
      status: 'fail',
      message: american
        ? 'the login URL spells behaviorProfile the American way; Togo ID reads behaviourProfile'
        : 'the login URL has no behaviourProfile (how accounts created there behave)',
      hint: 'Add behaviourProfile=togo (British spelling) unless Togo told you otherwise.',
    });
  }
  if (!has('client_id')) {
    findings.push({
      id: 'login.client-id-missing',
      status: 'fail',
      message: 'the login URL has no client_id',
      hint: 'Togo ID needs client_id on the login URL as well as inside ReturnUrl.',
    });
  }
}

function inspectReturnUrl(raw: string, login: URL, findings: Finding[]): InspectedReturnUrl | undefined {
  // Browsers drop every ASCII tab, LF and CR in a URL, and leading and trailing C0 controls and
  // spaces (WHATWG URL, basic URL parser): judge the URL the browser will follow, so "/\t/evil.com"
  // is "//evil.com", another host.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the controls browsers drop are the point
  const followed = raw.replace(/[\t\n\r]/g, '').replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
  if (followed !== raw) {
    findings.push({
      id: 'login.return-url-dropped-characters',
      status: 'fail',
      message: `ReturnUrl holds a tab, line break or control character that browsers drop: they follow "${abbreviate(followed)}"`,
      hint: 'Remove them: a ReturnUrl that changes when a browser reads it can lead to another host than it seems to.',
    });
  }
  // A local path starts with one slash; "//" or a slash then a backslash (read as a slash) name another host.
  if (/^\/[/\\]/.test(followed)) {
    const host = URL.canParse(followed, login.origin) ? new URL(followed, login.origin).host : '';
    findings.push({
      id: 'login.return-url-invalid',
      status: 'fail',
      message: `ReturnUrl looks like a local path, but browsers read it as another host${host ? ` (${host})` : ''}: "${abbreviate(raw)}"`,
      hint: 'A local ReturnUrl starts with one slash (/connect/authorize?…); "//host" and "/\\host" lead to another site.',
    });
    return undefined;
  }
  const relative = followed.startsWith('/');
  if ((!relative && !URL.canParse(followed)) || !URL.canParse(followed, login.origin)) {
    findings.push({
      id: 'login.return-url-invalid',
      status: 'fail',
      message: `ReturnUrl is neither an absolute URL nor a local path: "${abbreviate(raw)}"`,
      hint: 'ReturnUrl holds the authorize URL: https://<issuer>/connect/authorize?client_id=…',
    });
    return undefined;
  }
  const target = new URL(followed, login.origin);
  if (!relative && target.origin !== login.origin) {
    findings.push({
      id: 'login.return-url-other-origin',
      status: 'warn',
      message: `ReturnUrl points at ${target.origin}, not at the login page's ${login.origin}`,
      hint: 'IdentityServer only follows return URLs on its own site; use its connect/authorize endpoint.',
    });
  }
  if (!/connect\/authorize(\/callback)?$/.test(target.pathname)) {
    findings.push({
      id: 'login.return-url-not-authorize',
      status: 'warn',
      message: `ReturnUrl's path ${target.pathname} is not an authorize endpoint`,
      hint: 'IdentityServer accepts return URLs ending in connect/authorize or connect/authorize/callback.',
    });
  }
  const { query } = splitRaw(raw);
  const params: UrlParam[] = [];
  for (const p of splitQuery(query)) {
    const name = formDecode(p.rawName) ?? p.rawName;
    const value = formDecode(p.rawValue);
    if (value === undefined) {
      findings.push({
        id: 'authorize.bad-percent-encoding',
        status: 'fail',
        message: `ReturnUrl's ${name} has bad percent-encoding: "${abbreviate(p.rawValue)}"`,
        hint: 'Encode each value once inside the authorize URL, then the whole URL once more for ReturnUrl.',
      });
      params.push({ name, value: p.rawValue, raw: p.rawValue });
      continue;
    }
    params.push({ name, value, raw: p.rawValue });
  }
  checkRawValues(params, findings);
  return { url: raw, relative, params };
}

/** Values inside ReturnUrl that were not encoded before the whole URL was (the sample code's rule). */
function checkRawValues(params: UrlParam[], findings: Finding[]): void {
  const redirect = params.find((p) => p.name === 'redirect_uri');
  if (redirect && /[:/]/.test(redirect.raw)) {
    const breaks = /[?#]/.test(redirect.raw);
    findings.push({
      id: 'authorize.redirect-uri-unencoded',
      status: breaks ? 'fail' : 'warn',
      message: `redirect_uri inside ReturnUrl is not encoded on its own (${abbreviate(redirect.raw)})${
        breaks ? ': its ? or # ends the authorize URL early' : ''
      }`,
      hint: 'Encode redirect_uri (https%3A%2F%2F…) before encoding the whole authorize URL, so it arrives as https%253A%252F%252F… in the login URL.',
    });
  }
  checkUnencoded(params, findings, ' inside ReturnUrl');
}

/** Values holding characters a URL carries only percent-encoded: a space, a quote, a non-ASCII letter. */
function checkUnencoded(params: UrlParam[], findings: Finding[], where: string): void {
  for (const p of params) {
    if (/[\s"<>\\^`{|}\u0080-\uFFFF]/.test(p.raw)) {
      findings.push({
        id: 'authorize.value-unencoded',
        status: 'warn',
        message: `${p.name}${where} holds characters that should be percent-encoded ("${abbreviate(p.raw)}")`,
        hint: where
          ? 'Percent-encode each value (spaces as %20) before encoding the whole authorize URL.'
          : 'Percent-encode each value (spaces as %20 or +); a browser or a proxy may cut or change the URL at them.',
      });
    }
  }
}

/** The checks an authorization request must pass; Togo ID adds the state rule. */
function checkAuthorize(params: UrlParam[], togo: boolean, findings: Finding[]): void {
  const add = (id: string, severity: Severity, message: string, hint: string) =>
    findings.push({ id, status: severity, message, hint });
  const get = (name: string) => params.find((p) => p.name === name)?.value;

  const counts = new Map<string, number>();
  for (const p of params) counts.set(p.name, (counts.get(p.name) ?? 0) + 1);
  for (const [name, n] of counts) {
    // RFC 8707 lets resource repeat; nothing else may (RFC 6749 §3.1).
    if (n > 1 && name !== 'resource') {
      add(
        'authorize.duplicate-param',
        'fail',
        `${name} appears ${n} times`,
        'Send each parameter once (RFC 6749 §3.1).',
      );
    }
  }

  const clientId = get('client_id');
  if (!clientId)
    add('authorize.client-id-missing', 'fail', 'no client_id', 'Add client_id (RFC 6749 §4.1.1).');
  else if (clientId.length > IS_LIMITS.clientId) {
    add(
      'authorize.client-id-too-long',
      'fail',
      `client_id has ${clientId.length} characters; IdentityServer refuses more than ${IS_LIMITS.clientId}`,
      'Check the value: client ids are short.',
    );
  }

  const responseType = get('response_type');
  const types = responseType?.split(' ').filter(Boolean) ?? [];
  if (!responseType) {
    add(
      'authorize.response-type-missing',
      'fail',
      'no response_type',
      'Add response_type, e.g. code or id_token.',
    );
  } else if (
    !KNOWN_RESPONSE_TYPES.some((t) => t.split(' ').sort().join(' ') === [...types].sort().join(' '))
  ) {
    add(
      'authorize.response-type-unknown',
      'fail',
      `unknown response_type "${responseType}"`,
      `Use one of ${KNOWN_RESPONSE_TYPES.join(', ')} (OpenID Connect Core §3).`,
    );
  }
  const frontChannelToken = types.includes('token') || types.includes('id_token');

  const redirectUri = get('redirect_uri');
  if (!redirectUri) {
    add(
      'authorize.redirect-uri-missing',
      'fail',
      'no redirect_uri',
      'OpenID Connect requires redirect_uri (Core §3.1.2.1).',
    );
  } else {
    if (redirectUri.length > IS_LIMITS.redirectUri) {
      add(
        'authorize.redirect-uri-too-long',
        'fail',
        `redirect_uri has ${redirectUri.length} characters; IdentityServer refuses more than ${IS_LIMITS.redirectUri}`,
        'Shorten the redirect URI; register a short callback path.',
      );
    }
    checkRedirectUri(redirectUri, add);
  }

  const scope = get('scope');
  if (scope === undefined || scope.trim() === '') {
    add(
      'authorize.scope-missing',
      'fail',
      'no scope',
      'OpenID Connect requests need scope=openid (Core §3.1.2.1).',
    );
  } else {
    if (!scope.split(' ').includes('openid')) {
      add(
        'authorize.scope-no-openid',
        types.includes('id_token') ? 'fail' : 'warn',
        `scope "${scope}" lacks openid: this is plain OAuth and no ID token is issued`,
        'Add openid to the scope (OpenID Connect Core §3.1.2.1).',
      );
    }
    if (scope.length > IS_LIMITS.scope) {
      add(
        'authorize.scope-too-long',
        'fail',
        `scope has ${scope.length} characters; IdentityServer refuses more than ${IS_LIMITS.scope}`,
        'Request fewer scopes.',
      );
    }
  }

  const nonce = get('nonce');
  if (!nonce) {
    if (frontChannelToken) {
      add(
        'authorize.nonce-missing',
        'fail',
        `no nonce, which response_type "${responseType}" requires`,
        'Implicit and hybrid flows require nonce (OpenID Connect Core §3.2.2.1, §3.3.2.11); IdentityServer refuses the request.',
      );
    }
  } else if (nonce.length > IS_LIMITS.nonce) {
    add(
      'authorize.nonce-too-long',
      'fail',
      `nonce has ${nonce.length} characters; IdentityServer refuses more than ${IS_LIMITS.nonce}`,
      'Use a random value of 32 characters or so.',
    );
  }

  const state = get('state');
  if (!state) {
    add(
      'authorize.state-missing',
      togo ? 'fail' : 'warn',
      'no state',
      'Send a fresh random state with every request and compare it on return (RFC 9700 §2.1).',
    );
  } else if (togo && !TOGO_STATE.test(state)) {
    const alphabet = /^[A-Za-z0-9]*$/.test(state);
    add(
      alphabet ? 'authorize.state-length' : 'authorize.state-alphabet',
      'fail',
      alphabet
        ? `state has ${state.length} characters; Togo ID expects 16 to 32`
        : 'state holds characters other than letters and digits, which Togo ID does not accept',
      'Use 16 to 32 random letters and digits; `togo login-url` makes one.',
    );
  }

  const mode = get('response_mode');
  if (mode !== undefined) {
    if (!['query', 'fragment', 'form_post'].includes(mode)) {
      add(
        'authorize.response-mode-unknown',
        'warn',
        `unusual response_mode "${mode}"`,
        'Common modes are fragment, query and form_post.',
      );
    } else if (mode === 'query' && frontChannelToken) {
      add(
        'authorize.response-mode-query-with-token',
        'fail',
        `response_mode=query with response_type "${responseType}" would put tokens in the query`,
        'Use fragment or form_post (OAuth 2.0 Multiple Response Types §3.0 forbids query here; IdentityServer refuses it).',
      );
    }
  }

  if (types.includes('code')) {
    const challenge = get('code_challenge');
    const method = get('code_challenge_method');
    if (!challenge) {
      add(
        'authorize.pkce-missing',
        'warn',
        'a code flow without PKCE',
        'Add code_challenge and code_challenge_method=S256; public clients must (RFC 9700 §2.1.1).',
      );
    } else if (method !== 'S256') {
      add(
        'authorize.pkce-plain',
        'warn',
        `PKCE method is ${method ?? 'plain (the default when absent)'}`,
        'Use code_challenge_method=S256 (RFC 7636 §4.2, RFC 9700 §2.1.1).',
      );
    }
  }
  if (types.includes('token')) {
    add(
      'authorize.token-in-front-channel',
      'info',
      'the access token travels through the browser',
      'RFC 9700 §2.1.2 discourages response types that return access tokens from the authorization endpoint; prefer code with PKCE.',
    );
  }
  const maxAge = get('max_age');
  if (maxAge !== undefined && !/^\d+$/.test(maxAge)) {
    add(
      'authorize.max-age-invalid',
      'warn',
      `max_age "${maxAge}" is not a whole number of seconds`,
      'Core §3.1.2.1.',
    );
  }
}

function checkRedirectUri(
  redirectUri: string,
  add: (id: string, severity: Severity, message: string, hint: string) => void,
): void {
  if (!URL.canParse(redirectUri)) {
    add(
      'authorize.redirect-uri-invalid',
      'fail',
      `redirect_uri "${abbreviate(redirectUri)}" is not an absolute URI`,
      'Use the full registered URI, e.g. https://app.example/callback (RFC 6749 §3.1.2).',
    );
    return;
  }
  const u = new URL(redirectUri);
  if (redirectUri.includes('#')) {
    add(
      'authorize.redirect-uri-fragment',
      'fail',
      'redirect_uri contains a fragment',
      'A redirect URI must not include a fragment (RFC 6749 §3.1.2).',
    );
  }
  if (u.protocol === 'http:') {
    if (u.hostname === 'localhost') {
      add(
        'authorize.redirect-uri-localhost',
        'warn',
        'redirect_uri uses localhost',
        'Use http://127.0.0.1:<port>/…: localhost may resolve to ::1 while the listener is on 127.0.0.1 (RFC 8252 §7.3, §8.3).',
      );
    } else if (!isLoopbackHost(u.hostname)) {
      add(
        'authorize.redirect-uri-insecure',
        'fail',
        `redirect_uri uses http on ${u.hostname}`,
        'Use https, or a loopback address (127.0.0.1) for native apps (RFC 6749 §3.1.2.1, RFC 8252 §7.3).',
      );
    }
  } else if (u.protocol !== 'https:') {
    add(
      'authorize.redirect-uri-custom-scheme',
      'info',
      `redirect_uri uses the private-use scheme ${u.protocol}`,
      'Fine for native apps; use a reverse domain name you own (RFC 8252 §7.1).',
    );
  }
}

function abbreviate(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
