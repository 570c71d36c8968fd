import { type Check, hasFailure, worstFirst } from '../check.js';
import { describeKey, type Jwk } from '../oidc/jwks-lint.js';
import { show } from '../oidc/show.js';
import type { Inspection } from '../provider/inspect.js';
import type { Style } from './color.js';
import { type Cell, lines as joinLines, type Safe, t } from './safe.js';
import { hang, table } from './table.js';
import { checkRows, summaryLine } from './verdicts.js';

/** `togo discover`'s human output and its --json document. Renderers only: no IO. */

const LOCATION: Record<string, string> = {
  oidc: 'OpenID Connect location',
  rfc8414: 'RFC 8414 location (the OpenID Connect one answered 404)',
  given: 'as given',
};

export function discoverJson(insp: Inspection) {
  return {
    ok: !hasFailure(insp.findings),
    requested: insp.discovery.requested,
    url: insp.discovery.url,
    location: insp.discovery.location,
    metadata: insp.discovery.metadata,
    jwks: insp.jwks ? { url: insp.jwks.url, keys: insp.jwks.jwks.keys } : null,
    findings: worstFirst(insp.findings),
  };
}

function values(v: unknown, fallback: Cell = '—'): Cell {
  if (Array.isArray(v)) return v.length > 0 ? v.map(show).join(', ') : '(empty)';
  if (v === undefined || v === null) return fallback;
  return show(v);
}

function yesNo(v: unknown): Cell {
  return v === true ? 'yes' : v === undefined ? 'no' : values(v);
}

export function renderFindings(findings: readonly Check[], s: Style): Safe[] {
  return checkRows(findings, s, { sort: true });
}

export function renderDiscover(insp: Inspection, s: Style): Safe {
  const m = insp.discovery.metadata;
  const lines: Safe[] = [];
  const head = (title: Cell) => lines.push(t``, s.bold(title));
  // The value wraps under itself on a terminal, at spaces and URL boundaries.
  const row = (name: string, value: Cell) => lines.push(...hang(`  ${name.padEnd(22)} `, value, s.columns));

  lines.push(...hang(t`${s.bold('Issuer')}    `, values(m.issuer, s.red('(none)')), s.columns));
  lines.push(
    ...hang(
      t`${s.bold('Document')}  `,
      t`${insp.discovery.url} ${s.dim(`(${LOCATION[insp.discovery.location] ?? ''})`)}`,
      s.columns,
    ),
  );

  head('Endpoints');
  const endpoints: [string, string][] = [
    ['authorization', 'authorization_endpoint'],
    ['token', 'token_endpoint'],
    ['userinfo', 'userinfo_endpoint'],
    ['jwks', 'jwks_uri'],
    ['end session', 'end_session_endpoint'],
    ['registration', 'registration_endpoint'],
    ['revocation', 'revocation_endpoint'],
    ['introspection', 'introspection_endpoint'],
    ['device authorization', 'device_authorization_endpoint'],
    ['pushed authorization', 'pushed_authorization_request_endpoint'],
    ['check session iframe', 'check_session_iframe'],
  ];
  for (const [name, field] of endpoints) {
    if (m[field] !== undefined || ['authorization_endpoint', 'token_endpoint', 'jwks_uri'].includes(field)) {
      row(name, values(m[field], s.dim('—')));
    }
  }

  head('Supported');
  row('grant types', values(m.grant_types_supported, s.dim('(default: authorization_code, implicit)')));
  row('response types', values(m.response_types_supported));
  row('response modes', values(m.response_modes_supported, s.dim('(default: query, fragment)')));
  row('scopes', values(m.scopes_supported));
  row('claims', values(m.claims_supported));
  row('ID token signing algs', values(m.id_token_signing_alg_values_supported));
  row('PKCE methods', values(m.code_challenge_methods_supported, s.dim('none (PKCE not advertised)')));
  row(
    'client auth',
    values(m.token_endpoint_auth_methods_supported, s.dim('(default: client_secret_basic)')),
  );
  row('subject types', values(m.subject_types_supported));

  head('Logout');
  row('end session (RP)', m.end_session_endpoint === undefined ? 'no' : 'yes');
  row(
    'front-channel',
    t`${yesNo(m.frontchannel_logout_supported)} ${s.dim(t`(session: ${yesNo(m.frontchannel_logout_session_supported)})`)}`,
  );
  row(
    'back-channel',
    t`${yesNo(m.backchannel_logout_supported)} ${s.dim(t`(session: ${yesNo(m.backchannel_logout_session_supported)})`)}`,
  );
  row('iss in responses', yesNo(m.authorization_response_iss_parameter_supported));

  const keys = insp.jwks?.jwks.keys ?? [];
  head(`Keys (${keys.length})`);
  if (!insp.jwks) lines.push(t`  ${s.dim('(not fetched)')}`);
  lines.push(
    ...table(
      keys.map((k) => {
        const d = describeKey(k as Jwk);
        const size = d.size ? `${d.size} bits` : (d.crv ?? '');
        return [d.kid ?? s.dim('(no kid)'), d.kty, size, d.alg ?? '—', d.use ?? '—'];
      }),
      { width: s.columns },
    ),
  );

  head('Findings');
  if (insp.findings.length === 0) lines.push(t`  ${s.dim('none')}`);
  lines.push(...renderFindings(insp.findings, s));
  lines.push(t``, summaryLine(insp.findings, s));
  return joinLines(lines);
}
