/**
 * The one redaction of secrets in what togo shows without being asked for it: error messages and
 * details (stdout with --json), and URLs in narration. A URL keeps its shape; the values of
 * parameters that carry a credential become "(redacted)", and so does anything shaped like a JWT.
 * What the user asked for (`--print`, `login --json`'s tokens) never passes through here.
 */

/** Parameters (in a query, a fragment or a form) and detail keys whose values are credentials. */
const SECRET_PARAMS = [
  'code',
  'id_token_hint',
  'id_token',
  'access_token',
  'refresh_token',
  'logout_token',
  'device_code',
  'code_verifier',
  'client_secret',
  'client_assertion',
  'assertion',
  'token',
  'subject_token',
  'actor_token',
  'request',
];
/** Keys of details objects whose values are credentials (`code` is left out: there it is an error code). */
const SECRET_KEYS = new Set(SECRET_PARAMS.filter((k) => k !== 'code' && k !== 'request' && k !== 'token'));

export const REDACTED = '(redacted)';

const PARAM = new RegExp(`([?&#;](?:${SECRET_PARAMS.join('|')})=)[^&#\\s"'<>]*`, 'gi');
/** The same credentials as JSON members in a body snippet: `"access_token": "…"`. */
const MEMBER = new RegExp(`("(?:${[...SECRET_KEYS].join('|')})"\\s*:\\s*")(?:[^"\\\\]|\\\\.)*`, 'gi');
/** A compact JWS or JWE: base64url JSON header ("eyJ…") and at least one more dotted part. */
const JWT = /\beyJ[A-Za-z0-9_-]{4,}(?:\.[A-Za-z0-9_-]*){1,4}/g;

/** Redacts credentials inside a string: secret parameters of URLs and forms, JSON members, and JWTs. */
export function redactText(text: string): string {
  return text
    .replace(PARAM, (_, name: string) => `${name}${REDACTED}`)
    .replace(MEMBER, (_, name: string) => `${name}${REDACTED}`)
    .replace(JWT, REDACTED);
}

/**
 * Redacts every string inside a value (error details), and the values of credential-named keys.
 * Bounded in depth and size: deeper or larger parts are replaced, never walked.
 */
export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= 32) return '(too deep)';
  if (Array.isArray(value)) {
    const shown = value.slice(0, 1000).map((v) => redactValue(v, depth + 1));
    return value.length > 1000 ? [...shown, `(${value.length - 1000} more)`] : shown;
  }
  const out: Record<string, unknown> = {};
  let n = 0;
  for (const [k, v] of Object.entries(value)) {
    if (n++ >= 1000) {
      out['(more)'] = '(cut)';
      break;
    }
    out[k] =
      SECRET_KEYS.has(k.toLowerCase()) && v !== null && v !== undefined
        ? REDACTED
        : redactValue(v, depth + 1);
  }
  return out;
}
