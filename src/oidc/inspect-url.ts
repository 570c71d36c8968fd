import { TogoError } from '../errors.js';
import { AUTHORIZE_REQUEST_PARAMS } from './login-url.js';

/**
 * Explains a Togo ID login URL or any authorization URL a developer pastes: every parameter,
 * decoded (the nested ReturnUrl too), and every problem found, with a status and a hint. Pure.
 *
 * The query is split by hand rather than with URLSearchParams, because the mistakes worth finding
 * (a ReturnUrl encoded twice, or not at all) are only visible in the raw text.
 */

import type { Check } from '../check.js';
import { runRules } from '../rule.js';
import { formDecode, type RawPair, splitQuery, splitRaw } from './url.js';
import {
  AUTHORIZE_RULES,
  abbreviate,
  LOGIN_CLIENT_RULES,
  LOGIN_RULES,
  leadsToOtherHost,
  type PastedUrl,
  RETURN_URL_RULES,
  type ReturnUrlInput,
  URL_RULES,
  type UrlParam,
  VALUE_RULES,
} from './url-rules.js';

export type { UrlParam };

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
  findings: Check[];
}

export interface InspectOptions {
  /** Apply Togo ID's rules to a bare authorize URL too (automatic for Togo hosts and login URLs). */
  togo?: boolean;
}

export function inspectUrl(input: string, options: InspectOptions = {}): Inspection {
  const pasted = readPastedUrl(input);
  const kind = urlKind(pasted);
  const findings: Check[] = [];
  const target: PastedUrl = { url: pasted.url, kind };
  const [notHttps, notAuthorization] = URL_RULES;
  findings.push(...runRules([notHttps], target));
  if (kind === 'other') {
    findings.push(...runRules([notAuthorization], target));
    return finish(pasted.text, kind, pasted.params, undefined, findings);
  }
  // The URL as given: a space inside a value is reported, never silently repaired.
  findings.push(
    ...runRules(VALUE_RULES, {
      params: pasted.params.filter((p) => p.name.toLowerCase() !== 'returnurl'),
      where: '',
    }),
  );
  if (kind === 'authorize') {
    const togo = options.togo ?? /(^|\.)runswithtogo\.com$/i.test(pasted.url.hostname);
    findings.push(...runRules(AUTHORIZE_RULES, { params: pasted.params, togo }));
    return finish(pasted.text, kind, pasted.params, undefined, findings);
  }
  return inspectTogoLogin(pasted, target, findings);
}

/** The pasted text as a URL: quotes and spaces around it dropped, its query split and decoded. */
interface PastedText {
  text: string;
  url: URL;
  path: string;
  query: string;
  pairs: RawPair[];
  params: UrlParam[];
}

function readPastedUrl(input: string): PastedText {
  const text = input.trim().replace(/^(["'])(.*)\1$/s, '$2');
  if (!URL.canParse(text)) {
    throw new TogoError('URL_MALFORMED', `not a URL: "${abbreviate(text)}"`);
  }
  const url = new URL(text);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
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
  return { text, url, path, query, pairs, params };
}

function returnUrlParamOf(params: readonly UrlParam[]): UrlParam | undefined {
  return params.find((p) => p.name.toLowerCase() === 'returnurl');
}

/** A Togo login URL (a ReturnUrl, or /login with a profile), an authorize URL, or something else. */
function urlKind({ params, path }: PastedText): UrlKind {
  const has = (name: string) => params.some((p) => p.name === name);
  const looksLikeLogin = /\/login\/?$/i.test(path) && (has('profile') || has('behaviourProfile'));
  if (returnUrlParamOf(params) || looksLikeLogin) return 'togo-login';
  return has('client_id') || has('response_type') ? 'authorize' : 'other';
}

/** A Togo login URL: check the login page's parameters, then the nested authorize URL. */
function inspectTogoLogin(pasted: PastedText, target: PastedUrl, findings: Check[]): Inspection {
  const { outer, returnRaw } = readReturnUrl(pasted, target, findings);
  const login = { params: outer, hasReturnUrl: returnRaw !== undefined };
  findings.push(...runRules(LOGIN_RULES, login));
  const returnUrl = returnRaw === undefined ? undefined : inspectReturnUrl(returnRaw, pasted.url, findings);
  if (returnUrl) {
    findings.push(...runRules(LOGIN_CLIENT_RULES, { ...login, inner: returnUrl.params }));
    findings.push(...runRules(AUTHORIZE_RULES, { params: returnUrl.params, togo: true }));
  }
  return finish(pasted.text, 'togo-login', outer, returnUrl, findings);
}

/**
 * The login page's own parameters and the raw ReturnUrl, repaired where it was not encoded (its `&`
 * split it) or encoded twice, each repair reported.
 */
function readReturnUrl(
  { params, pairs, query }: PastedText,
  target: PastedUrl,
  findings: Check[],
): { outer: UrlParam[]; returnRaw: string | undefined } {
  const [, , unencoded, doubleEncoded] = URL_RULES;
  const returnUrlParam = returnUrlParamOf(params);
  if (!returnUrlParam) return { outer: params, returnRaw: undefined };
  const leaked = params.filter((p) => (AUTHORIZE_REQUEST_PARAMS as readonly string[]).includes(p.name));
  const clientIds = params.filter((p) => p.name === 'client_id');
  if (leaked.length > 0 || clientIds.length > 1) {
    // The ReturnUrl was not encoded: its `&` split it, and its parameters became the login page's.
    findings.push(...runRules([unencoded], { ...target, leaked }));
    const returnIndex = params.indexOf(returnUrlParam);
    const start = pairs[returnIndex]!;
    // Take everything from ReturnUrl's value on as the authorize URL. Its first segment may be
    // encoded (the sample code's prefix) while the rest is not.
    const tail = query.slice(start.valueOffset);
    const amp = tail.indexOf('&');
    const first = amp < 0 ? tail : tail.slice(0, amp);
    const rest = amp < 0 ? '' : tail.slice(amp);
    const returnRaw = (first.includes('?') ? first : (formDecode(first) ?? first)) + rest;
    const outer = params
      .slice(0, returnIndex + 1)
      .map((p) => (p === returnUrlParam ? { ...p, value: returnRaw } : p));
    return { outer, returnRaw };
  }
  let returnRaw = returnUrlParam.value;
  if (!returnRaw.includes('?') && /%3F|%26|%3D|^https?%3A|^%2F/i.test(returnRaw)) {
    findings.push(...runRules([doubleEncoded], { ...target, doubleEncoded: true }));
    returnRaw = formDecode(returnRaw) ?? returnRaw;
  }
  return { outer: params, returnRaw };
}

function finish(
  url: string,
  kind: UrlKind,
  params: UrlParam[],
  returnUrl: InspectedReturnUrl | undefined,
  findings: Check[],
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

/** Reads ReturnUrl as the browser will follow it and judges it; undefined when it cannot be followed. */
function inspectReturnUrl(raw: string, login: URL, findings: Check[]): InspectedReturnUrl | undefined {
  // Browsers drop every ASCII tab, LF and CR in a URL, and leading and trailing C0 controls and
  // spaces (WHATWG URL, basic URL parser): judge the URL the browser will follow, so "/\t/evil.com"
  // is "//evil.com", another host.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the controls browsers drop are the point
  const followed = raw.replace(/[\t\n\r]/g, '').replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
  const relative = followed.startsWith('/');
  const readable =
    !leadsToOtherHost(followed) &&
    (relative || URL.canParse(followed)) &&
    URL.canParse(followed, login.origin);
  const target = readable ? new URL(followed, login.origin) : undefined;
  const pairs = splitQuery(splitRaw(raw).query).map((p) => ({
    name: formDecode(p.rawName) ?? p.rawName,
    raw: p.rawValue,
    value: formDecode(p.rawValue),
  }));
  const input: ReturnUrlInput = { raw, followed, login, relative, pairs, ...(target ? { target } : {}) };
  findings.push(...runRules(RETURN_URL_RULES, input));
  if (!target) return undefined;
  const params: UrlParam[] = pairs.map((p) => ({ name: p.name, value: p.value ?? p.raw, raw: p.raw }));
  findings.push(...runRules(VALUE_RULES, { params, where: ' inside ReturnUrl' }));
  return { url: raw, relative, params };
}
