import type { Check } from '../check.js';

/**
 * Drift against a saved document: what the provider added or removed since the baseline was taken
 * (`togo discover --json > baseline.json`). Removals break clients that rely on them, so they fail;
 * additions are shown as warnings; changed endpoints fail; changed key ids warn (rotation is normal,
 * but a client pinning keys must know).
 */

export interface Baseline {
  metadata: Record<string, unknown>;
  /** Key ids, when the baseline carried a JWKS. */
  kids: string[] | undefined;
}

/** Accepts `togo discover --json` output or a bare discovery document. */
export function parseBaseline(doc: unknown): Baseline | undefined {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return undefined;
  const d = doc as Record<string, unknown>;
  const metadata = d.metadata && typeof d.metadata === 'object' ? (d.metadata as Record<string, unknown>) : d;
  if (typeof metadata.issuer !== 'string' && typeof metadata.authorization_endpoint !== 'string')
    return undefined;
  const jwks = d.jwks as { keys?: unknown } | null | undefined;
  const kids = Array.isArray(jwks?.keys)
    ? (jwks.keys as Record<string, unknown>[])
        .map((k) => k?.kid)
        .filter((k): k is string => typeof k === 'string')
    : undefined;
  return { metadata, kids };
}

const LISTS: [string, string][] = [
  ['baseline.response-types', 'response_types_supported'],
  ['baseline.response-modes', 'response_modes_supported'],
  ['baseline.grant-types', 'grant_types_supported'],
  ['baseline.scopes', 'scopes_supported'],
  ['baseline.claims', 'claims_supported'],
  ['baseline.algs', 'id_token_signing_alg_values_supported'],
  ['baseline.pkce', 'code_challenge_methods_supported'],
];

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function diff(before: string[], after: string[]) {
  return {
    added: after.filter((x) => !before.includes(x)),
    removed: before.filter((x) => !after.includes(x)),
  };
}

export function compareBaseline(
  base: Baseline,
  metadata: Record<string, unknown>,
  kids: string[] | undefined,
): Check[] {
  const out: Check[] = [];
  const describe = (added: string[], removed: string[]) =>
    [
      removed.length > 0 ? `removed ${removed.join(', ')}` : '',
      added.length > 0 ? `added ${added.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join('; ');

  for (const [id, field] of LISTS) {
    const { added, removed } = diff(strings(base.metadata[field]), strings(metadata[field]));
    if (removed.length > 0) {
      out.push({
        id,
        status: 'fail',
        message: `${field}: ${describe(added, removed)}`,
        hint: 'Clients relying on what was removed will break; if intended, save the current discovery document as the new baseline.',
      });
    } else if (added.length > 0) {
      out.push({
        id,
        status: 'warn',
        message: `${field}: ${describe(added, removed)}`,
        hint: 'New capabilities; save the current discovery document as the new baseline to accept them.',
      });
    } else {
      out.push({ id, status: 'pass', message: `${field} unchanged` });
    }
  }

  // Endpoints: every URL-valued parameter, compared by value.
  const urlFields = (m: Record<string, unknown>) =>
    Object.keys(m).filter(
      (k) =>
        (k.endsWith('_endpoint') || k === 'jwks_uri' || k === 'check_session_iframe' || k === 'issuer') &&
        typeof m[k] === 'string',
    );
  const fields = [...new Set([...urlFields(base.metadata), ...urlFields(metadata)])];
  const changed = fields.filter(
    (f) => base.metadata[f] !== undefined && metadata[f] !== undefined && base.metadata[f] !== metadata[f],
  );
  const removed = fields.filter((f) => base.metadata[f] !== undefined && metadata[f] === undefined);
  const added = fields.filter((f) => base.metadata[f] === undefined && metadata[f] !== undefined);
  if (changed.length > 0 || removed.length > 0) {
    out.push({
      id: 'baseline.endpoints',
      status: 'fail',
      message: [
        ...changed.map((f) => `${f} changed from ${String(base.metadata[f])} to ${String(metadata[f])}`),
        ...(removed.length > 0 ? [`removed ${removed.join(', ')}`] : []),
        ...(added.length > 0 ? [`added ${added.join(', ')}`] : []),
      ].join('; '),
      hint: 'Clients configured with fixed endpoints will break; if intended, refresh the baseline.',
    });
  } else if (added.length > 0) {
    out.push({
      id: 'baseline.endpoints',
      status: 'warn',
      message: `added ${added.join(', ')}`,
      hint: 'New endpoints; save the current discovery document as the new baseline to accept them.',
    });
  } else {
    out.push({ id: 'baseline.endpoints', status: 'pass', message: 'endpoints unchanged' });
  }

  if (base.kids !== undefined && kids !== undefined) {
    const d = diff(base.kids, kids);
    out.push(
      d.added.length > 0 || d.removed.length > 0
        ? {
            id: 'baseline.keys',
            status: 'warn',
            message: `key ids: ${describe(d.added, d.removed)}`,
            hint: 'Keys were rotated; clients that pin keys must follow. Refresh the baseline once expected.',
          }
        : { id: 'baseline.keys', status: 'pass', message: 'key ids unchanged' },
    );
  }
  return out;
}
