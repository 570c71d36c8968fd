/**
 * Renderers for the session commands: a token described without showing it, the userinfo claims,
 * an introspection response.
 */
import { createHash } from 'node:crypto';
import type { ChalkInstance } from 'chalk';
import type { Expansion } from '../oidc/claims.js';
import { describeTime } from '../oidc/time.js';
import { decodeToken } from '../oidc/token.js';
import { claimsLines } from './decode.js';
import { section, table } from './table.js';

/** "JWT for sub …, client …, expires … (in 4 min)" or "opaque token sha256:…": never the token. */
export function describeToken(token: string, nowMs: number): string {
  const print = `sha256:${createHash('sha256').update(token).digest('hex').slice(0, 12)}`;
  let payload: Record<string, unknown>;
  try {
    payload = decodeToken(token).payload;
  } catch {
    return `opaque token ${print}`;
  }
  const parts = [`JWT ${print}`];
  if (payload.sub !== undefined) parts.push(`sub ${String(payload.sub)}`);
  const client = payload.azp ?? payload.client_id ?? payload.aud;
  if (client !== undefined) parts.push(`for ${Array.isArray(client) ? client.join(' ') : String(client)}`);
  const exp = describeTime('exp', payload.exp, Math.floor(nowMs / 1000));
  if (exp) parts.push(`${exp.value * 1000 < nowMs ? 'expired' : 'expires'} ${exp.iso} (${exp.relative})`);
  return parts.join(', ');
}

export interface UserinfoView {
  endpoint: string;
  format: 'json' | 'jwt';
  claims: Record<string, unknown>;
  expanded: Record<string, Expansion>;
  subject: { userinfo: string | undefined; idToken: string | undefined; match: boolean | undefined };
  /** Seconds since the epoch. */
  now: number;
}

export function renderUserinfo(v: UserinfoView, s: ChalkInstance): string {
  const lines = claimsLines(
    { payload: v.claims, expanded: v.expanded, now: v.now, clockSkew: 0 },
    s,
    `Userinfo ${s.dim(`(${v.format === 'jwt' ? 'signed JWT, signature not verified' : 'JSON'}, ${v.endpoint})`)}`,
  );
  if (lines[0] === '') lines.shift();
  const { userinfo, idToken, match } = v.subject;
  lines.push('');
  if (match === undefined) {
    lines.push(
      `${s.dim('sub')} ${userinfo ?? '(none)'} ${s.dim('(not compared: no ID token; pass --id-token or --session)')}`,
    );
  } else if (match) {
    lines.push(`${s.green.bold('sub matches')} the ID token's (${userinfo})`);
  } else {
    lines.push(
      `${s.red.bold('SUB MISMATCH')}: userinfo ${userinfo ?? '(none)'}, ID token ${idToken ?? '(none)'}`,
    );
  }
  return lines.join('\n');
}

/** The fields of an introspection response (RFC 7662 §2.2) in a readable order. */
const INTROSPECTION_ORDER = [
  'active',
  'scope',
  'client_id',
  'username',
  'sub',
  'token_type',
  'exp',
  'iat',
  'nbf',
  'aud',
  'iss',
  'jti',
];

export function renderIntrospection(
  response: Record<string, unknown>,
  nowSeconds: number,
  s: ChalkInstance,
  title: string,
): string {
  const keys = [
    ...INTROSPECTION_ORDER.filter((k) => k in response),
    ...Object.keys(response).filter((k) => !INTROSPECTION_ORDER.includes(k)),
  ];
  const rows = keys.map((k) => {
    const value = response[k];
    let text: string;
    if (k === 'active') text = value === true ? s.green.bold('yes') : s.red.bold('no');
    else {
      const t = describeTime(k, value, nowSeconds);
      text =
        t && ['exp', 'iat', 'nbf'].includes(k)
          ? `${t.value}  ${t.iso}  (${k === 'exp' && t.value < nowSeconds ? `expired ${t.relative}` : t.relative})`
          : typeof value === 'string'
            ? value
            : JSON.stringify(value);
    }
    return [s.bold(k), text];
  });
  const lines = section(s.bold(title), table(rows));
  lines.shift();
  return lines.join('\n');
}
