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
  return joinLines([
    ...documentLines(insp, s),
    ...section('Endpoints', endpointRows(m, s), s),
    ...section('Supported', supportedRows(m, s), s),
    ...section('Logout', logoutRows(m, s), s),
    ...keyLines(insp, s),
    ...findingLines(insp.findings, s),
  ]);
}

type Metadata = Inspection['discovery']['metadata'];
type Row = [name: string, value: Cell];

/** A blank line and a bold heading. */
function heading(title: Cell, s: Style): Safe[] {
  return [t``, s.bold(title)];
}

/** A heading and its rows; the value wraps under itself on a terminal, at spaces and URL boundaries. */
function section(title: string, rows: Row[], s: Style): Safe[] {
  return [
    ...heading(title, s),
    ...rows.flatMap(([name, value]) => hang(`  ${name.padEnd(22)} `, value, s.columns)),
  ];
}

function documentLines(insp: Inspection, s: Style): Safe[] {
  return [
    ...hang(t`${s.bold('Issuer')}    `, values(insp.discovery.metadata.issuer, s.red('(none)')), s.columns),
    ...hang(
      t`${s.bold('Document')}  `,
      t`${insp.discovery.url} ${s.dim(`(${LOCATION[insp.discovery.location] ?? ''})`)}`,
      s.columns,
    ),
  ];
}

const ENDPOINTS: [string, string][] = [
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

/** Shown even when the document lacks them. */
const REQUIRED_ENDPOINTS = ['authorization_endpoint', 'token_endpoint', 'jwks_uri'];

function endpointRows(m: Metadata, s: Style): Row[] {
  return ENDPOINTS.filter(([, field]) => m[field] !== undefined || REQUIRED_ENDPOINTS.includes(field)).map(
    ([name, field]) => [name, values(m[field], s.dim('—'))],
  );
}

function supportedRows(m: Metadata, s: Style): Row[] {
  return [
    ['grant types', values(m.grant_types_supported, s.dim('(default: authorization_code, implicit)'))],
    ['response types', values(m.response_types_supported)],
    ['response modes', values(m.response_modes_supported, s.dim('(default: query, fragment)'))],
    ['scopes', values(m.scopes_supported)],
    ['claims', values(m.claims_supported)],
    ['ID token signing algs', values(m.id_token_signing_alg_values_supported)],
    ['PKCE methods', values(m.code_challenge_methods_supported, s.dim('none (PKCE not advertised)'))],
    ['client auth', values(m.token_endpoint_auth_methods_supported, s.dim('(default: client_secret_basic)'))],
    ['subject types', values(m.subject_types_supported)],
  ];
}

function logoutRows(m: Metadata, s: Style): Row[] {
  return [
    ['end session (RP)', m.end_session_endpoint === undefined ? 'no' : 'yes'],
    [
      'front-channel',
      t`${yesNo(m.frontchannel_logout_supported)} ${s.dim(t`(session: ${yesNo(m.frontchannel_logout_session_supported)})`)}`,
    ],
    [
      'back-channel',
      t`${yesNo(m.backchannel_logout_supported)} ${s.dim(t`(session: ${yesNo(m.backchannel_logout_session_supported)})`)}`,
    ],
    ['iss in responses', yesNo(m.authorization_response_iss_parameter_supported)],
  ];
}

function keyLines(insp: Inspection, s: Style): Safe[] {
  const keys = insp.jwks?.jwks.keys ?? [];
  const rows = keys.map((k) => {
    const d = describeKey(k as Jwk);
    const size = d.size ? `${d.size} bits` : (d.crv ?? '');
    return [d.kid ?? s.dim('(no kid)'), d.kty, size, d.alg ?? '—', d.use ?? '—'];
  });
  return [
    ...heading(`Keys (${keys.length})`, s),
    ...(insp.jwks ? [] : [t`  ${s.dim('(not fetched)')}`]),
    ...table(rows, { width: s.columns }),
  ];
}

function findingLines(findings: readonly Check[], s: Style): Safe[] {
  return [
    ...heading('Findings', s),
    ...(findings.length === 0 ? [t`  ${s.dim('none')}`] : []),
    ...renderFindings(findings, s),
    t``,
    summaryLine(findings, s),
  ];
}
