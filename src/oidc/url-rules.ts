/**
 * The rules of `togo inspect-url` (and of the login URLs togo composes): what a pasted URL, a Togo
 * login URL, the ReturnUrl nested in it and an authorization request must satisfy. Each table is a
 * list of rules of the one shape (src/rule.ts); src/oidc/inspect-url.ts splits the URL and runs them.
 * Pure.
 */
import { fail, info, type Rule, type Verdict, warn } from '../rule.js';
import { IS_LIMITS, TOGO_STATE } from './login-url.js';
import { isLoopbackHost } from './url.js';

export interface UrlParam {
  name: string;
  /** Decoded. */
  value: string;
  /** As it appears in the URL. */
  raw: string;
}

const NOTHING: readonly Verdict[] = [];

export function abbreviate(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The URL as pasted, before it is known to be a login URL or an authorization request. */
export interface PastedUrl {
  url: URL;
  kind: 'togo-login' | 'authorize' | 'other';
  /** A ReturnUrl whose `&` separators leaked into the login URL: the parameters that leaked. */
  leaked?: readonly UrlParam[];
  /** A ReturnUrl that, once decoded, is still encoded. */
  doubleEncoded?: boolean;
}

export const URL_RULES = [
  {
    id: 'url.not-https',
    spec: 'RFC 6749 §3.1; RFC 8252 §7.3',
    appliesTo: 'the pasted URL',
    run: ({ url }) =>
      url.protocol === 'http:' && !isLoopbackHost(url.hostname)
        ? fail(`the URL uses http on ${url.hostname}`, {
            hint: 'Authorization requests must use TLS (RFC 6749 §3.1); only loopback providers may use http.',
          })
        : NOTHING,
  },
  {
    id: 'url.not-authorization',
    spec: 'RFC 6749 §4.1.1',
    appliesTo: 'the pasted URL',
    run: ({ kind }) =>
      kind === 'other'
        ? info(
            'no client_id, response_type or ReturnUrl: this is neither a login URL nor an authorization URL',
            { hint: 'Paste the URL your application sends the browser to.' },
          )
        : NOTHING,
  },
  {
    id: 'url.return-url-unencoded',
    spec: 'RFC 3986 §3.4; Togo ID login URL',
    appliesTo: 'Togo login URL',
    run: ({ leaked }) =>
      leaked
        ? fail(
            `ReturnUrl is not percent-encoded: its & separators leak into the login URL, so ${leaked
              .map((p) => p.name)
              .join(', ')} reach the login page instead of the authorize request`,
            {
              hint: 'Percent-encode the whole authorize URL, separators included, once more before putting it in ReturnUrl (encodeURIComponent); `togo login-url` does this.',
            },
          )
        : NOTHING,
  },
  {
    id: 'url.return-url-double-encoded',
    spec: 'RFC 3986 §2.4; Togo ID login URL',
    appliesTo: 'Togo login URL',
    run: ({ doubleEncoded }) =>
      doubleEncoded
        ? fail(
            'ReturnUrl is percent-encoded twice: once decoded it is still encoded (%3F, %26), so the login page cannot follow it',
            { hint: 'Encode the authorize URL exactly once when putting it in ReturnUrl.' },
          )
        : NOTHING,
  },
] as const satisfies readonly Rule<PastedUrl>[];

/** A Togo login URL: its own parameters and, when there is one, the authorize request in ReturnUrl. */
export interface LoginUrl {
  params: readonly UrlParam[];
  /** Whether the login URL has a ReturnUrl at all. */
  hasReturnUrl: boolean;
  /** The parameters of the authorize request in ReturnUrl, when it could be read. */
  inner?: readonly UrlParam[];
}

const hasValue = (params: readonly UrlParam[], name: string) =>
  params.some((p) => p.name === name && p.value !== '');

export const LOGIN_RULES = [
  {
    id: 'login.profile-missing',
    spec: 'Togo ID login URL',
    appliesTo: 'Togo login URL',
    run: ({ params }) =>
      hasValue(params, 'profile')
        ? NOTHING
        : fail('the login URL has no profile (the page style)', {
            hint: 'Add profile=togo unless Togo told you otherwise.',
          }),
  },
  {
    id: 'login.behaviour-profile-missing',
    spec: 'Togo ID login URL',
    appliesTo: 'Togo login URL',
    run: ({ params }) => {
      if (hasValue(params, 'behaviourProfile')) return NOTHING;
      const american = params.some((p) => p.name.toLowerCase() === 'behaviorprofile');
      return fail(
        american
          ? 'the login URL spells behaviorProfile the American way; Togo ID reads behaviourProfile'
          : 'the login URL has no behaviourProfile (how accounts created there behave)',
        { hint: 'Add behaviourProfile=togo (British spelling) unless Togo told you otherwise.' },
      );
    },
  },
  {
    id: 'login.client-id-missing',
    spec: 'Togo ID login URL',
    appliesTo: 'Togo login URL',
    run: ({ params }) =>
      hasValue(params, 'client_id')
        ? NOTHING
        : fail('the login URL has no client_id', {
            hint: 'Togo ID needs client_id on the login URL as well as inside ReturnUrl.',
          }),
  },
  {
    id: 'login.return-url-missing',
    spec: 'Togo ID login URL',
    appliesTo: 'Togo login URL',
    run: ({ hasReturnUrl }) =>
      hasReturnUrl
        ? NOTHING
        : warn(
            'no ReturnUrl: after login the user stays on Togo ID instead of returning to the application',
            {
              hint: 'Put the authorize URL, percent-encoded, in ReturnUrl.',
            },
          ),
  },
] as const satisfies readonly Rule<LoginUrl>[];

/** After ReturnUrl is read: the client of the login URL and of its authorize request. */
export const LOGIN_CLIENT_RULES = [
  {
    id: 'login.client-id-mismatch',
    spec: 'Togo ID login URL',
    appliesTo: 'Togo login URL and its ReturnUrl',
    run: ({ params, inner }) => {
      const outerClient = params.find((p) => p.name === 'client_id')?.value;
      const innerClient = inner?.find((p) => p.name === 'client_id')?.value;
      return outerClient !== undefined && innerClient !== undefined && outerClient !== innerClient
        ? fail(`client_id differs: "${outerClient}" on the login URL, "${innerClient}" in ReturnUrl`, {
            hint: 'Use the same registered client id in both places.',
          })
        : NOTHING;
    },
  },
] as const satisfies readonly Rule<LoginUrl>[];

/** The ReturnUrl of a login URL, as given and as a browser follows it. */
export interface ReturnUrlInput {
  raw: string;
  /** The text a browser follows: tabs and line breaks dropped, C0 controls and spaces trimmed. */
  followed: string;
  /** The login page's URL, which a relative ReturnUrl is resolved against. */
  login: URL;
  /** The URL followed, when it is a local path or an absolute URL. */
  target?: URL;
  relative: boolean;
  /** Its parameters with their raw text; `value` undefined where the percent-encoding is bad. */
  pairs: readonly { name: string; raw: string; value: string | undefined }[];
}

/** A local path starts with one slash; "//" or a slash then a backslash (read as a slash) name another host. */
export const leadsToOtherHost = (followed: string) => /^\/[/\\]/.test(followed);

export const RETURN_URL_RULES = [
  {
    id: 'login.return-url-dropped-characters',
    spec: 'WHATWG URL, basic URL parser',
    appliesTo: 'ReturnUrl',
    run: ({ raw, followed }) =>
      followed === raw
        ? NOTHING
        : fail(
            `ReturnUrl holds a tab, line break or control character that browsers drop: they follow "${abbreviate(followed)}"`,
            {
              hint: 'Remove them: a ReturnUrl that changes when a browser reads it can lead to another host than it seems to.',
            },
          ),
  },
  {
    id: 'login.return-url-invalid',
    spec: 'RFC 3986 §4.2; IdentityServer return URLs',
    appliesTo: 'ReturnUrl',
    run: ({ raw, followed, login, target }) => {
      if (leadsToOtherHost(followed)) {
        const host = URL.canParse(followed, login.origin) ? new URL(followed, login.origin).host : '';
        return fail(
          `ReturnUrl looks like a local path, but browsers read it as another host${host ? ` (${host})` : ''}: "${abbreviate(raw)}"`,
          {
            hint: 'A local ReturnUrl starts with one slash (/connect/authorize?…); "//host" and "/\\host" lead to another site.',
          },
        );
      }
      return target
        ? NOTHING
        : fail(`ReturnUrl is neither an absolute URL nor a local path: "${abbreviate(raw)}"`, {
            hint: 'ReturnUrl holds the authorize URL: https://<issuer>/connect/authorize?client_id=…',
          });
    },
  },
  {
    id: 'login.return-url-other-origin',
    spec: 'IdentityServer return URLs',
    appliesTo: 'ReturnUrl',
    run: ({ target, relative, login }) =>
      target && !relative && target.origin !== login.origin
        ? warn(`ReturnUrl points at ${target.origin}, not at the login page's ${login.origin}`, {
            hint: 'IdentityServer only follows return URLs on its own site; use its connect/authorize endpoint.',
          })
        : NOTHING,
  },
  {
    id: 'login.return-url-not-authorize',
    spec: 'IdentityServer return URLs',
    appliesTo: 'ReturnUrl',
    run: ({ target }) =>
      target && !/connect\/authorize(\/callback)?$/.test(target.pathname)
        ? warn(`ReturnUrl's path ${target.pathname} is not an authorize endpoint`, {
            hint: 'IdentityServer accepts return URLs ending in connect/authorize or connect/authorize/callback.',
          })
        : NOTHING,
  },
  {
    id: 'authorize.bad-percent-encoding',
    spec: 'RFC 3986 §2.1',
    appliesTo: 'authorization request in ReturnUrl',
    run: ({ target, pairs }) =>
      target
        ? pairs
            .filter((p) => p.value === undefined)
            .map((p) =>
              fail(`ReturnUrl's ${p.name} has bad percent-encoding: "${abbreviate(p.raw)}"`, {
                hint: 'Encode each value once inside the authorize URL, then the whole URL once more for ReturnUrl.',
              }),
            )
        : NOTHING,
  },
  {
    id: 'authorize.redirect-uri-unencoded',
    spec: 'RFC 3986 §3.4; Togo ID login URL',
    appliesTo: 'authorization request in ReturnUrl',
    run: ({ target, pairs }) => {
      const redirect = pairs.find((p) => p.name === 'redirect_uri');
      if (!target || !redirect || !/[:/]/.test(redirect.raw)) return NOTHING;
      const breaks = /[?#]/.test(redirect.raw);
      return (breaks ? fail : warn)(
        `redirect_uri inside ReturnUrl is not encoded on its own (${abbreviate(redirect.raw)})${
          breaks ? ': its ? or # ends the authorize URL early' : ''
        }`,
        {
          hint: 'Encode redirect_uri (https%3A%2F%2F…) before encoding the whole authorize URL, so it arrives as https%253A%252F%252F… in the login URL.',
        },
      );
    },
  },
] as const satisfies readonly Rule<ReturnUrlInput>[];

/** Parameter values as written in a URL; `where` says which URL (" inside ReturnUrl", or nothing). */
export interface RawValues {
  params: readonly UrlParam[];
  where: string;
}

export const VALUE_RULES = [
  {
    id: 'authorize.value-unencoded',
    spec: 'RFC 3986 §2.1, §3.4',
    appliesTo: 'the pasted URL and the authorization request in ReturnUrl',
    // Characters a URL carries only percent-encoded: a space, a quote, a non-ASCII letter.
    run: ({ params, where }) =>
      params
        .filter((p) => /[\s"<>\\^`{|}\u0080-\uFFFF]/.test(p.raw))
        .map((p) =>
          warn(`${p.name}${where} holds characters that should be percent-encoded ("${abbreviate(p.raw)}")`, {
            hint: where
              ? 'Percent-encode each value (spaces as %20) before encoding the whole authorize URL.'
              : 'Percent-encode each value (spaces as %20 or +); a browser or a proxy may cut or change the URL at them.',
          }),
        ),
  },
] as const satisfies readonly Rule<RawValues>[];

/** An authorization request's parameters; `togo` applies Togo ID's state rule. */
export interface AuthorizeRequest {
  params: readonly UrlParam[];
  togo: boolean;
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

const get = ({ params }: AuthorizeRequest, name: string) => params.find((p) => p.name === name)?.value;
const typesOf = (r: AuthorizeRequest) => get(r, 'response_type')?.split(' ').filter(Boolean) ?? [];
/** A response type that returns a token from the authorization endpoint (implicit and hybrid). */
const frontChannelToken = (r: AuthorizeRequest) => {
  const types = typesOf(r);
  return types.includes('token') || types.includes('id_token');
};

/** A length rule of IdentityServer's (its InputLengthRestrictions). */
function tooLong(
  param: string,
  limit: number,
  hint: string,
): (r: AuthorizeRequest) => Verdict | readonly Verdict[] {
  return (r) => {
    const value = get(r, param);
    return value && value.length > limit
      ? fail(`${param} has ${value.length} characters; IdentityServer refuses more than ${limit}`, { hint })
      : NOTHING;
  };
}

/** The redirect URI, when it is an absolute URI; the rules below judge only such a one. */
function redirectUrl(r: AuthorizeRequest): { text: string; url: URL } | undefined {
  const text = get(r, 'redirect_uri');
  return text && URL.canParse(text) ? { text, url: new URL(text) } : undefined;
}

export const AUTHORIZE_RULES = [
  {
    id: 'authorize.duplicate-param',
    spec: 'RFC 6749 §3.1; RFC 8707 §2',
    appliesTo: 'authorization request',
    run: ({ params }) => {
      const counts = new Map<string, number>();
      for (const p of params) counts.set(p.name, (counts.get(p.name) ?? 0) + 1);
      // RFC 8707 lets resource repeat; nothing else may.
      return [...counts]
        .filter(([name, n]) => n > 1 && name !== 'resource')
        .map(([name, n]) =>
          fail(`${name} appears ${n} times`, { hint: 'Send each parameter once (RFC 6749 §3.1).' }),
        );
    },
  },
  {
    id: 'authorize.client-id-missing',
    spec: 'RFC 6749 §4.1.1',
    appliesTo: 'authorization request',
    run: (r) =>
      get(r, 'client_id') ? NOTHING : fail('no client_id', { hint: 'Add client_id (RFC 6749 §4.1.1).' }),
  },
  {
    id: 'authorize.client-id-too-long',
    spec: 'IdentityServer input length limits',
    appliesTo: 'authorization request',
    run: tooLong('client_id', IS_LIMITS.clientId, 'Check the value: client ids are short.'),
  },
  {
    id: 'authorize.response-type-missing',
    spec: 'RFC 6749 §3.1.1',
    appliesTo: 'authorization request',
    run: (r) =>
      get(r, 'response_type')
        ? NOTHING
        : fail('no response_type', { hint: 'Add response_type, e.g. code or id_token.' }),
  },
  {
    id: 'authorize.response-type-unknown',
    spec: 'OpenID Connect Core §3; OAuth 2.0 Multiple Response Types §3',
    appliesTo: 'authorization request',
    run: (r) => {
      const responseType = get(r, 'response_type');
      const words = [...typesOf(r)].sort().join(' ');
      return !responseType || KNOWN_RESPONSE_TYPES.some((t) => t.split(' ').sort().join(' ') === words)
        ? NOTHING
        : fail(`unknown response_type "${responseType}"`, {
            hint: `Use one of ${KNOWN_RESPONSE_TYPES.join(', ')} (OpenID Connect Core §3).`,
          });
    },
  },
  {
    id: 'authorize.redirect-uri-missing',
    spec: 'OpenID Connect Core §3.1.2.1',
    appliesTo: 'authorization request',
    run: (r) =>
      get(r, 'redirect_uri')
        ? NOTHING
        : fail('no redirect_uri', { hint: 'OpenID Connect requires redirect_uri (Core §3.1.2.1).' }),
  },
  {
    id: 'authorize.redirect-uri-too-long',
    spec: 'IdentityServer input length limits',
    appliesTo: 'authorization request',
    run: tooLong(
      'redirect_uri',
      IS_LIMITS.redirectUri,
      'Shorten the redirect URI; register a short callback path.',
    ),
  },
  {
    id: 'authorize.redirect-uri-invalid',
    spec: 'RFC 6749 §3.1.2',
    appliesTo: 'authorization request',
    run: (r) => {
      const redirectUri = get(r, 'redirect_uri');
      return !redirectUri || URL.canParse(redirectUri)
        ? NOTHING
        : fail(`redirect_uri "${abbreviate(redirectUri)}" is not an absolute URI`, {
            hint: 'Use the full registered URI, e.g. https://app.example/callback (RFC 6749 §3.1.2).',
          });
    },
  },
  {
    id: 'authorize.redirect-uri-fragment',
    spec: 'RFC 6749 §3.1.2',
    appliesTo: 'authorization request',
    run: (r) =>
      redirectUrl(r)?.text.includes('#')
        ? fail('redirect_uri contains a fragment', {
            hint: 'A redirect URI must not include a fragment (RFC 6749 §3.1.2).',
          })
        : NOTHING,
  },
  {
    id: 'authorize.redirect-uri-localhost',
    spec: 'RFC 8252 §7.3, §8.3',
    appliesTo: 'authorization request',
    run: (r) => {
      const u = redirectUrl(r)?.url;
      return u?.protocol === 'http:' && u.hostname === 'localhost'
        ? warn('redirect_uri uses localhost', {
            hint: 'Use http://127.0.0.1:<port>/…: localhost may resolve to ::1 while the listener is on 127.0.0.1 (RFC 8252 §7.3, §8.3).',
          })
        : NOTHING;
    },
  },
  {
    id: 'authorize.redirect-uri-insecure',
    spec: 'RFC 6749 §3.1.2.1; RFC 8252 §7.3',
    appliesTo: 'authorization request',
    run: (r) => {
      const u = redirectUrl(r)?.url;
      return u?.protocol === 'http:' && u.hostname !== 'localhost' && !isLoopbackHost(u.hostname)
        ? fail(`redirect_uri uses http on ${u.hostname}`, {
            hint: 'Use https, or a loopback address (127.0.0.1) for native apps (RFC 6749 §3.1.2.1, RFC 8252 §7.3).',
          })
        : NOTHING;
    },
  },
  {
    id: 'authorize.redirect-uri-custom-scheme',
    spec: 'RFC 8252 §7.1',
    appliesTo: 'authorization request',
    run: (r) => {
      const u = redirectUrl(r)?.url;
      return u && u.protocol !== 'http:' && u.protocol !== 'https:'
        ? info(`redirect_uri uses the private-use scheme ${u.protocol}`, {
            hint: 'Fine for native apps; use a reverse domain name you own (RFC 8252 §7.1).',
          })
        : NOTHING;
    },
  },
  {
    id: 'authorize.scope-missing',
    spec: 'OpenID Connect Core §3.1.2.1',
    appliesTo: 'authorization request',
    run: (r) =>
      (get(r, 'scope') ?? '').trim() === ''
        ? fail('no scope', { hint: 'OpenID Connect requests need scope=openid (Core §3.1.2.1).' })
        : NOTHING,
  },
  {
    id: 'authorize.scope-no-openid',
    spec: 'OpenID Connect Core §3.1.2.1',
    appliesTo: 'authorization request',
    run: (r) => {
      const scope = get(r, 'scope');
      if (scope === undefined || scope.trim() === '' || scope.split(' ').includes('openid')) return NOTHING;
      return (typesOf(r).includes('id_token') ? fail : warn)(
        `scope "${scope}" lacks openid: this is plain OAuth and no ID token is issued`,
        { hint: 'Add openid to the scope (OpenID Connect Core §3.1.2.1).' },
      );
    },
  },
  {
    id: 'authorize.scope-too-long',
    spec: 'IdentityServer input length limits',
    appliesTo: 'authorization request',
    run: (r) =>
      (get(r, 'scope') ?? '').trim() === ''
        ? NOTHING
        : tooLong('scope', IS_LIMITS.scope, 'Request fewer scopes.')(r),
  },
  {
    id: 'authorize.nonce-missing',
    spec: 'OpenID Connect Core §3.2.2.1, §3.3.2.11',
    appliesTo: 'implicit and hybrid authorization requests',
    run: (r) =>
      !get(r, 'nonce') && frontChannelToken(r)
        ? fail(`no nonce, which response_type "${get(r, 'response_type')}" requires`, {
            hint: 'Implicit and hybrid flows require nonce (OpenID Connect Core §3.2.2.1, §3.3.2.11); IdentityServer refuses the request.',
          })
        : NOTHING,
  },
  {
    id: 'authorize.nonce-too-long',
    spec: 'IdentityServer input length limits',
    appliesTo: 'authorization request',
    run: tooLong('nonce', IS_LIMITS.nonce, 'Use a random value of 32 characters or so.'),
  },
  {
    id: 'authorize.state-missing',
    spec: 'RFC 9700 §2.1; Togo ID',
    appliesTo: 'authorization request (a fail for Togo ID, else a warning)',
    run: (r) =>
      get(r, 'state')
        ? NOTHING
        : (r.togo ? fail : warn)('no state', {
            hint: 'Send a fresh random state with every request and compare it on return (RFC 9700 §2.1).',
          }),
  },
  {
    id: 'authorize.state-length',
    spec: 'Togo ID',
    appliesTo: 'authorization request to Togo ID',
    run: (r) => {
      const state = get(r, 'state');
      return r.togo && state && !TOGO_STATE.test(state) && /^[A-Za-z0-9]*$/.test(state)
        ? fail(`state has ${state.length} characters; Togo ID expects 16 to 32`, { hint: TOGO_STATE_HINT })
        : NOTHING;
    },
  },
  {
    id: 'authorize.state-alphabet',
    spec: 'Togo ID',
    appliesTo: 'authorization request to Togo ID',
    run: (r) => {
      const state = get(r, 'state');
      return r.togo && state && !/^[A-Za-z0-9]*$/.test(state)
        ? fail('state holds characters other than letters and digits, which Togo ID does not accept', {
            hint: TOGO_STATE_HINT,
          })
        : NOTHING;
    },
  },
  {
    id: 'authorize.response-mode-unknown',
    spec: 'OAuth 2.0 Multiple Response Types §2.1; OAuth 2.0 Form Post Response Mode',
    appliesTo: 'authorization request',
    run: (r) => {
      const mode = get(r, 'response_mode');
      return mode !== undefined && !['query', 'fragment', 'form_post'].includes(mode)
        ? warn(`unusual response_mode "${mode}"`, { hint: 'Common modes are fragment, query and form_post.' })
        : NOTHING;
    },
  },
  {
    id: 'authorize.response-mode-query-with-token',
    spec: 'OAuth 2.0 Multiple Response Types §3.0, §5',
    appliesTo: 'implicit and hybrid authorization requests',
    run: (r) =>
      get(r, 'response_mode') === 'query' && frontChannelToken(r)
        ? fail(
            `response_mode=query with response_type "${get(r, 'response_type')}" would put tokens in the query`,
            {
              hint: 'Use fragment or form_post (OAuth 2.0 Multiple Response Types §3.0 forbids query here; IdentityServer refuses it).',
            },
          )
        : NOTHING,
  },
  {
    id: 'authorize.pkce-missing',
    spec: 'RFC 7636 §4.3; RFC 9700 §2.1.1',
    appliesTo: 'code flow authorization requests',
    run: (r) =>
      typesOf(r).includes('code') && !get(r, 'code_challenge')
        ? warn('a code flow without PKCE', {
            hint: 'Add code_challenge and code_challenge_method=S256; public clients must (RFC 9700 §2.1.1).',
          })
        : NOTHING,
  },
  {
    id: 'authorize.pkce-plain',
    spec: 'RFC 7636 §4.2; RFC 9700 §2.1.1',
    appliesTo: 'code flow authorization requests',
    run: (r) => {
      const method = get(r, 'code_challenge_method');
      return typesOf(r).includes('code') && get(r, 'code_challenge') && method !== 'S256'
        ? warn(`PKCE method is ${method ?? 'plain (the default when absent)'}`, {
            hint: 'Use code_challenge_method=S256 (RFC 7636 §4.2, RFC 9700 §2.1.1).',
          })
        : NOTHING;
    },
  },
  {
    id: 'authorize.token-in-front-channel',
    spec: 'RFC 9700 §2.1.2',
    appliesTo: 'authorization requests with response type token',
    run: (r) =>
      typesOf(r).includes('token')
        ? info('the access token travels through the browser', {
            hint: 'RFC 9700 §2.1.2 discourages response types that return access tokens from the authorization endpoint; prefer code with PKCE.',
          })
        : NOTHING,
  },
  {
    id: 'authorize.max-age-invalid',
    spec: 'OpenID Connect Core §3.1.2.1',
    appliesTo: 'authorization request',
    run: (r) => {
      const maxAge = get(r, 'max_age');
      return maxAge !== undefined && !/^\d+$/.test(maxAge)
        ? warn(`max_age "${maxAge}" is not a whole number of seconds`, { hint: 'Core §3.1.2.1.' })
        : NOTHING;
    },
  },
] as const satisfies readonly Rule<AuthorizeRequest>[];

const TOGO_STATE_HINT = 'Use 16 to 32 random letters and digits; `togo login-url` makes one.';
