// jose's own entry points for each function: decoding loads no verification code.
import type { JWTPayload, ProtectedHeaderParameters } from 'jose';
import { decodeProtectedHeader } from 'jose/decode/protected_header';
import { decodeJwt } from 'jose/jwt/decode';
import { TogoError } from '../errors.js';
import { describeProviderError } from './callback.js';
import { limitDepth } from './depth.js';
import { cleanPasted } from './paste.js';

/** The largest token togo will read; real ID tokens are a few kilobytes. */
export const MAX_TOKEN_BYTES = 256 * 1024;

export type TokenField = 'id_token' | 'access_token' | 'refresh_token' | 'logout_token';

export interface ExtractedToken {
  token: string;
  /** Where the token was found, for narration: "argument", "Authorization header", "URL fragment", … */
  source: string;
  /** Other response parameters that came with it (state, session_state, …), from a URL or fragment. */
  params?: Record<string, string>;
  /** What was removed from the pasted input (quotes, line breaks, spaces), for a note. */
  cleaned?: string[];
}

export interface DecodedToken {
  raw: string;
  header: ProtectedHeaderParameters & Record<string, unknown>;
  payload: JWTPayload & Record<string, unknown>;
  /** True when the header or payload nested deeper than MAX_DEPTH and was cut (see depth.ts). */
  depthCut?: boolean;
}

const JWS_CHARS = /^[A-Za-z0-9_-]*$/;

/**
 * Finds the token in what a developer pastes: the token itself, `Bearer <token>`, an
 * `Authorization:` header line, or a redirect URL / fragment / query string carrying `id_token=`.
 */
export function extractToken(input: string, field: TokenField = 'id_token'): ExtractedToken {
  if (input.length > MAX_TOKEN_BYTES) {
    throw new TogoError(
      'INPUT_TOO_LARGE',
      `the input is ${formatBytes(input.length)}; togo reads tokens of up to ${formatBytes(MAX_TOKEN_BYTES)}`,
    );
  }
  const unquoted = input.trim().replace(/^(["'])(.*)\1$/s, '$2');
  const quotes = unquoted !== input.trim() ? ['quotes'] : [];
  let text = unquoted.trim();
  if (text === '') throw new TogoError('TOKEN_MISSING', 'the input is empty');

  let source = 'argument';
  const header = /^authorization\s*:\s*(.*)$/is.exec(text);
  if (header) {
    text = header[1]!.trim();
    source = 'Authorization header';
  }
  const bearer = /^(?:bearer|dpop)\s+(.*)$/is.exec(text);
  if (bearer) {
    text = bearer[1]!.trim();
    if (source === 'argument') source = 'Bearer value';
  }
  // Line breaks and spaces from a wrapped paste (`fold`, an e-mail): neither a JWT nor a URL has any.
  const pasted = cleanPasted(text);
  text = pasted.text;
  const all = [...quotes, ...pasted.cleaned];
  const cleaned = all.length > 0 ? { cleaned: all } : {};

  // A URL, or a fragment / query string such as `#state=…&id_token=…`.
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text) || /(^|[#?&])[a-z_]+=/.test(text)) {
    return { ...extractFromResponse(text, field), ...cleaned };
  }
  return { token: text, source, ...cleaned };
}

function extractFromResponse(text: string, field: TokenField): ExtractedToken {
  let paramString: string;
  let source: string;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new TogoError('URL_MALFORMED', `"${truncate(text, 60)}" looks like a URL but cannot be parsed`);
    }
    const fragment = url.hash.replace(/^#/, '');
    const query = url.search.replace(/^\?/, '');
    const fromFragment = fragment !== '' && fragment !== '_=_';
    paramString = fromFragment ? fragment : query;
    source = fromFragment ? 'URL fragment' : 'URL query';
  } else {
    paramString = text.replace(/^[#?]/, '');
    source = text.startsWith('?') ? 'query string' : 'fragment';
  }
  const params: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(paramString)) params[key] = value;

  if (params.error) {
    throw new TogoError(
      'TOKEN_MISSING',
      `the redirect carries an error, not a token: ${describeProviderError(params.error, params.error_description)}`,
      {
        hint: 'The provider refused the request; fix what the error names and log in again.',
        details: { params },
      },
    );
  }
  const token = params[field];
  if (!token) {
    const present = Object.keys(params);
    const tokens = present.filter((k) => k.endsWith('_token'));
    throw new TogoError(
      'TOKEN_MISSING',
      `no ${field} in the ${source}${present.length ? ` (it has ${present.join(', ')})` : ''}`,
      tokens.length ? { hint: `It holds ${tokens.join(', ')}: pick one of those.`, details: { tokens } } : {},
    );
  }
  return { token, source: `${field} from the ${source}`, params };
}

/**
 * The start of a JWT cut short: one or two dot-separated base64url parts, the first beginning with
 * `eyJ` (the base64url of `{"`, how every JOSE header starts). A terminal that wrapped the token,
 * or a copy that stopped at a line end, leaves exactly this.
 */
export function isTruncatedJwt(token: string): boolean {
  const parts = token.split('.');
  return (
    parts.length <= 2 && parts[0]!.startsWith('eyJ') && /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]*)?$/.test(token)
  );
}

/**
 * An opaque token: not a JWT (neither three nor five dot-separated parts, nor the start of one) but
 * made of the characters a bearer token may hold (RFC 6750 §2.1 b64token). Only its issuer can
 * read it.
 */
export function isOpaqueToken(token: string): boolean {
  const parts = token.split('.').length;
  return (
    parts !== 3 &&
    parts !== 5 &&
    !isTruncatedJwt(token) &&
    token.length >= 8 &&
    /^[A-Za-z0-9\-._~+/]+=*$/.test(token)
  );
}

const TOKEN_FIELDS: readonly TokenField[] = ['id_token', 'access_token', 'refresh_token', 'logout_token'];

/**
 * Tokens given as JSON, other than a session file: the `tokens` object of one (`jq .tokens
 * session.json`), a token endpoint's response, or one member pasted from either
 * (`"id_token": "eyJ…",`). Undefined when the text is none of these.
 */
export function jsonTokens(text: string): Record<string, string> | undefined {
  const trimmed = text.trim();
  const member = /^"?(id_token|access_token|refresh_token|logout_token)"?\s*:\s*"([^"\s]*)"\s*,?$/.exec(
    trimmed,
  );
  if (member) return { [member[1]!]: member[2]! };
  if (!trimmed.startsWith('{')) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const found = Object.entries(json).filter(
    ([k, v]) => (TOKEN_FIELDS as readonly string[]).includes(k) && typeof v === 'string',
  );
  return found.length > 0 ? (Object.fromEntries(found) as Record<string, string>) : undefined;
}

/**
 * The token in any input a command accepts: a session file's, one from JSON (jsonTokens), or
 * what extractToken finds in a paste. The field picks among several.
 */
export function tokenFromInput(input: string, field: TokenField = 'id_token'): ExtractedToken {
  const session = sessionTokens(input);
  const json = session ? undefined : jsonTokens(input);
  const tokens = session ?? json;
  if (!tokens) return extractToken(input, field);
  const what = session ? 'the session file' : 'the JSON';
  const has = Object.keys(tokens);
  const token = tokens[field] ?? (json && has.length === 1 ? tokens[has[0]!] : undefined);
  if (!token) {
    throw new TogoError(
      'TOKEN_MISSING',
      `${what} holds no ${field} (it has ${has.join(', ') || 'no token'})`,
      {
        ...(has.length
          ? { hint: `It holds ${has.join(', ')}: pick one of those.`, details: { tokens: has } }
          : {}),
      },
    );
  }
  const used = tokens[field] ? field : has[0]!;
  return { token, source: `${used} ${session ? 'of' : 'from'} ${what}` };
}

/** A session file as `togo login --save` writes it: `{"version":1,…,"tokens":{…}}`. */
export function sessionTokens(text: string): Record<string, string> | undefined {
  if (!text.trimStart().startsWith('{')) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const tokens = (json as { tokens?: unknown } | null)?.tokens;
  if (typeof tokens !== 'object' || tokens === null || Array.isArray(tokens)) return undefined;
  return Object.fromEntries(Object.entries(tokens).filter(([, v]) => typeof v === 'string')) as Record<
    string,
    string
  >;
}

/**
 * Decodes a compact JWS without verifying it. jose does the parsing; this adds messages that
 * say which part is wrong.
 */
export function decodeToken(token: string): DecodedToken {
  if (token.length > MAX_TOKEN_BYTES) {
    throw new TogoError('INPUT_TOO_LARGE', `the token is ${formatBytes(token.length)}; that is not a JWT`);
  }
  const parts = token.split('.');
  if (parts.length === 5) {
    throw new TogoError('TOKEN_IS_JWE', 'this is an encrypted token (JWE): five parts, not three');
  }
  if (parts.length !== 3) {
    const cut = isTruncatedJwt(token);
    throw new TogoError(
      'TOKEN_MALFORMED',
      `the token has ${parts.length} part${parts.length === 1 ? '' : 's'} separated by dots; a JWT has 3${cut ? ': it looks like a JWT cut short' : ''}`,
      cut
        ? {
            hint: 'Copy the whole token (header.payload.signature); a terminal or an editor may have cut it at a line end.',
          }
        : {},
    );
  }
  const names = ['header', 'payload', 'signature'] as const;
  parts.forEach((part, i) => {
    if (!JWS_CHARS.test(part)) {
      const bad = [...part].find((c) => !/[A-Za-z0-9_-]/.test(c)) ?? '';
      throw new TogoError(
        'TOKEN_MALFORMED',
        `the ${names[i]} is not base64url: it contains ${JSON.stringify(bad)}`,
        bad === '+' || bad === '/' || bad === '='
          ? {
              hint: 'That is standard base64; a JWT uses base64url (- and _ instead of + and /, no = padding).',
            }
          : {},
      );
    }
    if (i < 2 && part === '') throw new TogoError('TOKEN_MALFORMED', `the ${names[i]} is empty`);
  });

  let header: DecodedToken['header'];
  try {
    header = decodeProtectedHeader(token) as DecodedToken['header'];
  } catch (error) {
    throw new TogoError('TOKEN_MALFORMED', `the header ${describeJoseDecodeError(error)}`, { cause: error });
  }
  if (typeof header.enc === 'string') {
    throw new TogoError('TOKEN_IS_JWE', `the header names a content encryption (enc: ${header.enc})`);
  }
  let payload: DecodedToken['payload'];
  try {
    payload = decodeJwt(token) as DecodedToken['payload'];
  } catch (error) {
    throw new TogoError('TOKEN_MALFORMED', `the payload ${describeJoseDecodeError(error)}`, { cause: error });
  }
  // Deep nesting parses, but would overflow every walk over it later: cut it here, once.
  const h = limitDepth(header);
  const p = limitDepth(payload);
  return { raw: token, header: h.value, payload: p.value, ...(h.cut || p.cut ? { depthCut: true } : {}) };
}

function describeJoseDecodeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/base64/i.test(message)) return 'is not valid base64url';
  if (/JSON/i.test(message)) return 'is not JSON';
  if (/object|Claims Set/i.test(message)) return 'is JSON but not an object';
  return `cannot be decoded (${message})`;
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KiB`;
  return `${n} bytes`;
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
