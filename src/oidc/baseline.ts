import type { Check } from '../check.js';
import { fail, pass, type Rule, runRules, type Verdict, warn } from '../rule.js';

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

/** The saved document beside what the provider serves now. */
export interface BaselineInput {
  base: Baseline;
  metadata: Record<string, unknown>;
  /** Key ids of the JWKS served now, when it was fetched. */
  kids: string[] | undefined;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function diff(before: string[], after: string[]) {
  return {
    added: after.filter((x) => !before.includes(x)),
    removed: before.filter((x) => !after.includes(x)),
  };
}

const describe = (added: string[], removed: string[]) =>
  [
    removed.length > 0 ? `removed ${removed.join(', ')}` : '',
    added.length > 0 ? `added ${added.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join('; ');

const SPEC = 'OpenID Connect Discovery §3';
const APPLIES_TO = 'discovery document, against the saved baseline';

/** A list-valued parameter compared as a set: removals fail, additions warn. */
function listRule(id: string, field: string): Rule<BaselineInput> {
  return {
    id,
    spec: SPEC,
    appliesTo: APPLIES_TO,
    run: ({ base, metadata }) => {
      const { added, removed } = diff(strings(base.metadata[field]), strings(metadata[field]));
      if (removed.length > 0) {
        return fail(`${field}: ${describe(added, removed)}`, {
          hint: 'Clients relying on what was removed will break; if intended, save the current discovery document as the new baseline.',
        });
      }
      if (added.length > 0) {
        return warn(`${field}: ${describe(added, removed)}`, {
          hint: 'New capabilities; save the current discovery document as the new baseline to accept them.',
        });
      }
      return pass(`${field} unchanged`);
    },
  };
}

/** Endpoints: every URL-valued parameter, compared by value. */
function endpoints({ base, metadata }: BaselineInput): Verdict {
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
    return fail(
      [
        ...changed.map((f) => `${f} changed from ${String(base.metadata[f])} to ${String(metadata[f])}`),
        ...(removed.length > 0 ? [`removed ${removed.join(', ')}`] : []),
        ...(added.length > 0 ? [`added ${added.join(', ')}`] : []),
      ].join('; '),
      { hint: 'Clients configured with fixed endpoints will break; if intended, refresh the baseline.' },
    );
  }
  if (added.length > 0) {
    return warn(`added ${added.join(', ')}`, {
      hint: 'New endpoints; save the current discovery document as the new baseline to accept them.',
    });
  }
  return pass('endpoints unchanged');
}

/** Key ids, when both the baseline and this run have a JWKS: a rotation warns. */
function keys({ base, kids }: BaselineInput): Verdict | readonly Verdict[] {
  if (base.kids === undefined || kids === undefined) return [];
  const d = diff(base.kids, kids);
  return d.added.length > 0 || d.removed.length > 0
    ? warn(`key ids: ${describe(d.added, d.removed)}`, {
        hint: 'Keys were rotated; clients that pin keys must follow. Refresh the baseline once expected.',
      })
    : pass('key ids unchanged');
}

export const BASELINE_RULES: readonly Rule<BaselineInput>[] = [
  listRule('baseline.response-types', 'response_types_supported'),
  listRule('baseline.response-modes', 'response_modes_supported'),
  listRule('baseline.grant-types', 'grant_types_supported'),
  listRule('baseline.scopes', 'scopes_supported'),
  listRule('baseline.claims', 'claims_supported'),
  listRule('baseline.algs', 'id_token_signing_alg_values_supported'),
  listRule('baseline.pkce', 'code_challenge_methods_supported'),
  { id: 'baseline.endpoints', spec: SPEC, appliesTo: APPLIES_TO, run: endpoints },
  {
    id: 'baseline.keys',
    spec: 'RFC 7517 §4.5',
    appliesTo: 'the JWKS, against the saved baseline',
    run: keys,
  },
];

export function compareBaseline(
  base: Baseline,
  metadata: Record<string, unknown>,
  kids: string[] | undefined,
): Check[] {
  return runRules(BASELINE_RULES, { base, metadata, kids });
}
