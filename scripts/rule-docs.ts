/**
 * The rule tables of the docs, made from the rule tables of the code (src/rule.ts's shape: id,
 * spec, what it applies to, the expectations it needs), so a rule added, renamed or removed shows
 * in the docs at the next `npm run docs`: docs/rules.md lists every family, and the tables of
 * docs/usage.md between `<!-- rules:<family> -->` and `<!-- /rules -->` are rewritten in place.
 */
import { readFileSync } from 'node:fs';
import { DISCOVERY_RULES } from '../src/oidc/discovery-lint.js';
import { DPOP_GRANT_RULES } from '../src/oidc/dpop.js';
import { FRONT_CHANNEL_RULES, SAME_USER_RULES, TOKEN_RESPONSE_RULES } from '../src/oidc/flow-rules.js';
import { ID_TOKEN_PROFILE } from '../src/oidc/id-token-checks.js';
import { JWKS_RULES } from '../src/oidc/jwks-lint.js';
import { TRANSPORT_RULES } from '../src/oidc/transport.js';
import {
  AUTHORIZE_RULES,
  LOGIN_CLIENT_RULES,
  LOGIN_RULES,
  RETURN_URL_RULES,
  URL_RULES,
  VALUE_RULES,
} from '../src/oidc/url-rules.js';

/** A row as the docs read it: every rule table has these, some without spec yet. */
interface RuleRow {
  readonly id: string;
  readonly spec?: string;
  readonly appliesTo?: string;
  readonly needs?: readonly { readonly name: string }[];
}

interface Family {
  /** The name in docs/usage.md's markers, and the anchor in docs/rules.md. */
  key: string;
  title: string;
  /** Which command reports it, in one sentence. */
  about: string;
  rules: readonly RuleRow[];
}

export const RULE_FAMILIES: readonly Family[] = [
  {
    key: 'url',
    title: 'Login and authorization URLs',
    about:
      '`togo inspect-url` runs these on a pasted URL; `togo login-url` on the URL it composes. A Togo login URL gets the `url.*` and `login.*` rules, its ReturnUrl the ReturnUrl rules, and the authorize request in it the `authorize.*` rules.',
    rules: [
      ...URL_RULES,
      ...LOGIN_RULES,
      ...RETURN_URL_RULES,
      ...LOGIN_CLIENT_RULES,
      ...VALUE_RULES,
      ...AUTHORIZE_RULES,
    ],
  },
  {
    key: 'discovery',
    title: 'Discovery document',
    about:
      '`togo discover` and `togo check` run these, in the order of the OpenID Foundation conformance suite.',
    rules: DISCOVERY_RULES,
  },
  {
    key: 'jwks',
    title: 'JWKS',
    about: '`togo discover` and `togo check` run these on the keys at `jwks_uri`.',
    rules: JWKS_RULES,
  },
  {
    key: 'id-token',
    title: 'ID token',
    about:
      '`togo decode`, `togo login` and `togo callback` run these; [security-details.md](security-details.md) says what each one checks.',
    rules: ID_TOKEN_PROFILE.rules,
  },
  {
    key: 'flow',
    title: 'Login flow',
    about:
      '`togo login` and `togo callback` run these on the authorization response and the token response, beside the ID token rules.',
    rules: [
      ...FRONT_CHANNEL_RULES,
      ...TOKEN_RESPONSE_RULES,
      ...SAME_USER_RULES,
      ...TRANSPORT_RULES,
      ...DPOP_GRANT_RULES,
    ],
  },
];

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

/** One table: id, what it applies to, the expectations it needs (when any rule needs one), spec. */
export function ruleTable(rules: readonly RuleRow[]): string {
  const needs = rules.some((r) => (r.needs?.length ?? 0) > 0);
  const head = needs
    ? '| id | applies to | needs | spec |\n|---|---|---|---|'
    : '| id | applies to | spec |\n|---|---|---|';
  const rows = rules.map((r) =>
    [
      `\`${r.id}\``,
      cell(r.appliesTo ?? ''),
      ...(needs ? [cell((r.needs ?? []).map((e) => e.name).join(', '))] : []),
      cell(r.spec ?? ''),
    ].join(' | '),
  );
  return [head, ...rows.map((r) => `| ${r} |`)].join('\n');
}

export function rulesPage(generated: string): string {
  const parts = [
    generated,
    '',
    '# Rules',
    '',
    'Every rule togo checks, family by family, in the order each family runs. A rule reports under',
    'its id, with a status (PASS, FAIL, WARN, SKIP, INFO), a message and, for FAIL and WARN, a hint;',
    'scripts match on the id. Ids are `<family>.<what>` in lowercase words joined by `-`',
    '(`disc.issuer-match`, `authorize.state-missing`); the ID token rules keep their numbers `D1`–`D16`',
    'and the login flow its `F1`–`F7`. See [contributing.md](contributing.md#vocabulary) for the words.',
  ];
  for (const f of RULE_FAMILIES) parts.push('', `## ${f.title}`, '', f.about, '', ruleTable(f.rules));
  parts.push('');
  return parts.join('\n');
}

const MARKER = /(<!-- rules:([a-z-]+) -->\n)[\s\S]*?(\n<!-- \/rules -->)/g;

/** docs/usage.md with each marked table regenerated from its family. */
export function usagePage(path = 'docs/usage.md'): string {
  const text = readFileSync(path, 'utf8');
  return text.replace(MARKER, (_, open: string, key: string, close: string) => {
    const family = RULE_FAMILIES.find((f) => f.key === key);
    if (!family) throw new Error(`docs/usage.md marks an unknown rule family: ${key}`);
    return `${open}${ruleTable(family.rules)}${close}`;
  });
}
