/**
 * Renderers for the session commands: a token described without showing it, the userinfo claims,
 * an introspection response.
 */
import { createHash } from 'node:crypto';
import type { Expansion } from '../oidc/claims.js';
import { expiryWords, timeState } from '../oidc/time.js';
import { decodeToken } from '../oidc/token.js';
import type { Style } from './color.js';
import { claimsLines } from './decode.js';
import { type Cell, lines, type Safe, t } from './safe.js';
import { section, table } from './table.js';
import { timeCell } from './time.js';

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
  // What the provider stated, without a skew: expired from the second exp names.
  const exp = timeState('exp', payload.exp, Math.floor(nowMs / 1000), 0);
  if (exp) parts.push(expiryWords(exp));
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
  /** The checks of a signed (application/jwt) response: the heading says what they established. */
  checks?: readonly { name?: string; status: string }[];
}

/** "signed JWT, signature verified" only when the signature check passed; never from the format alone. */
function formatLabel(v: UserinfoView): string {
  if (v.format === 'json') return 'JSON';
  const signature = v.checks?.find((c) => c.name === 'signature');
  const verified = signature?.status === 'pass' || signature?.status === 'warn';
  return verified ? 'signed JWT, signature verified' : 'signed JWT, signature not verified';
}

export function renderUserinfo(v: UserinfoView, s: Style): Safe {
  const out = claimsLines(
    { payload: v.claims, expanded: v.expanded, now: v.now, clockSkew: 0 },
    s,
    t`Userinfo ${s.dim(t`(${formatLabel(v)}, ${v.endpoint})`)}`,
  );
  if (out[0]?.text === '') out.shift();
  const { userinfo, idToken, match } = v.subject;
  out.push(t``);
  if (match === undefined) {
    out.push(
      t`${s.dim('sub')} ${userinfo ?? '(none)'} ${s.dim('(not compared: no ID token; pass --id-token or --session)')}`,
    );
  } else if (match) {
    out.push(t`${s.green.bold('sub matches')} the ID token's (${userinfo ?? ''})`);
  } else {
    out.push(
      t`${s.red.bold('SUB MISMATCH')}: userinfo ${userinfo ?? '(none)'}, ID token ${idToken ?? '(none)'}`,
    );
  }
  return lines(out);
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
  s: Style,
  title: Safe | string,
): Safe {
  const keys = [
    ...INTROSPECTION_ORDER.filter((k) => k in response),
    ...Object.keys(response).filter((k) => !INTROSPECTION_ORDER.includes(k)),
  ];
  const rows = keys.map((k) => {
    const value = response[k];
    let text: Cell;
    if (k === 'active') text = value === true ? s.green.bold('yes') : s.red.bold('no');
    else {
      // The provider's statement, without a skew.
      const time = ['exp', 'iat', 'nbf'].includes(k) ? timeState(k, value, nowSeconds, 0) : undefined;
      text = time
        ? timeCell(time, s, { mark: false })
        : typeof value === 'string'
          ? value
          : JSON.stringify(value);
    }
    return [s.bold(k), text];
  });
  const out = section(s.bold(title), table(rows, { width: s.columns }));
  out.shift();
  return lines(out);
}
