import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DISCOVERY_CHECKS,
  DISCOVERY_RULES,
  type DiscoveryLintInput,
  lintDiscovery,
} from '../../src/oidc/discovery-lint.js';
import { JWKS_CHECKS, JWKS_RULES, jwksFetchCheck, lintJwks } from '../../src/oidc/jwks-lint.js';
import { sharedJwk } from '../helpers/keys.js';

const duplicates = (ids: readonly string[]) => ids.filter((id, i) => ids.indexOf(id) !== i);

/** A document that breaks nearly every discovery rule at once. */
const BROKEN_DOCUMENT: DiscoveryLintInput = {
  url: 'http://op.example/.well-known/openid-configuration',
  expectedIssuer: 'https://op.example',
  location: 'oidc',
  status: 500,
  contentType: 'text/html',
  publicClient: true,
  metadata: {
    issuer: 'https://other.example/?tenant=1',
    authorization_endpoint: 'http://op.example/authorize',
    response_types_supported: ['code', 'code bogus'],
    subject_types_supported: ['secret'],
    id_token_signing_alg_values_supported: ['ES384', 'none'],
    scopes_supported: ['profile'],
    grant_types_supported: ['implicit'],
    acr_values_supported: [],
    code_challenge_methods_supported: ['plain', 'S256'],
    token_endpoint_auth_methods_supported: ['client_secret_basic'],
    end_session_endpoint: 42,
    frontchannel_logout_supported: 'true',
    backchannel_logout_supported: 'true',
    check_session_iframe: 42,
    authorization_response_iss_parameter_supported: 'true',
    x_vendor_extension: true,
  },
};
/** The rules the broken document satisfies: PKCE is advertised there. */
const EMPTY_DOCUMENT: DiscoveryLintInput = { ...BROKEN_DOCUMENT, metadata: {} };

/** A JWKS that breaks every key and set rule (its RSA key made on first use, not at import). */
const brokenKeys = () => {
  const { use: _, ...rsa } = sharedJwk('RSA').publicJwk;
  return [
    { ...rsa, use: 'sig', kid: 'a', d: 'private' },
    { kty: 'RSA', kid: 7 },
    { kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA', kid: 'a' },
    { ...rsa, use: 'enc' },
    { ...rsa, alg: 'PS512' },
  ];
};

describe('the lint rule tables', () => {
  it.each([
    ['discovery', DISCOVERY_RULES, DISCOVERY_CHECKS, 'disc.'],
    ['JWKS', JWKS_RULES, JWKS_CHECKS, 'jwks.'],
  ] as const)(
    'the %s check ids are the rules of the table, in order, each once',
    (_, rules, checks, prefix) => {
      expect(checks).toEqual(rules.map((rule) => rule.id));
      expect(duplicates(checks)).toEqual([]);
      for (const rule of rules) {
        expect(rule.id.startsWith(prefix), rule.id).toBe(true);
        expect(rule.spec, rule.id).toMatch(/(RFC \d+|OpenID Connect|OAuth 2\.0) .*§\d/);
      }
    },
  );

  it('no check id belongs to both linters', () => {
    expect(duplicates([...DISCOVERY_CHECKS, ...JWKS_CHECKS])).toEqual([]);
  });

  it('every discovery rule can report, only under its own id, in the order of the table', () => {
    const broken = lintDiscovery(BROKEN_DOCUMENT);
    const reported = new Set([...broken, ...lintDiscovery(EMPTY_DOCUMENT)].map((f) => f.id));
    expect([...reported].sort()).toEqual([...DISCOVERY_CHECKS].sort());
    const positions = broken.map((f) => DISCOVERY_CHECKS.indexOf(f.id as never));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  it('every JWKS rule can report, and the fetch failures are reported under ids of the table', () => {
    const findings = [
      ...lintJwks({ keys: brokenKeys(), signingAlgs: ['ES384', 'RS256'] }),
      jwksFetchCheck({ code: 'JWKS_FETCH_FAILED', message: 'refused', hint: 'start it' }),
      jwksFetchCheck({ code: 'JWKS_FETCH_INVALID', message: 'no keys member', hint: 'publish keys' }),
    ];
    expect([...new Set(findings.map((f) => f.id))].sort()).toEqual([...JWKS_CHECKS].sort());
  });

  it("each key's findings stay together, before the findings about the whole set", () => {
    const findings = lintJwks({ keys: brokenKeys(), signingAlgs: ['ES384'] });
    expect(findings.map((f) => f.id)).toEqual([
      'jwks.no-private',
      'jwks.structure',
      'jwks.parse',
      'jwks.unusable',
      'jwks.unusable',
      'jwks.use-when-mixed',
      'jwks.kid-unique',
      'jwks.kid-unique',
    ]);
    expect(findings[0]!.message).toContain('key "a"');
    expect(findings[1]!.message).toContain('key #2');
  });
});

/** The ids in the first column of the discover checks table; `.frontchannel` continues the id before it. */
function documentedIds(markdown: string): string[] {
  const section = markdown.slice(markdown.indexOf('## togo discover'), markdown.indexOf('## togo check'));
  const ids: string[] = [];
  for (const row of section.split('\n').filter((line) => /^\| `(disc|jwks)\./.test(line))) {
    let last = '';
    for (const cell of row.split('|')[1]!.matchAll(/`([^`]+)`/g)) {
      const id = cell[1]!.startsWith('.') ? last.slice(0, last.lastIndexOf('.')) + cell[1] : cell[1]!;
      ids.push(id);
      last = id;
    }
  }
  return ids;
}

describe('the documentation of discover', () => {
  const documented = documentedIds(readFileSync(new URL('../../docs/usage.md', import.meta.url), 'utf8'));

  it('documents every check id the linters can report, and no other, each once', () => {
    expect(duplicates(documented)).toEqual([]);
    expect([...documented].sort()).toEqual([...DISCOVERY_CHECKS, ...JWKS_CHECKS].sort());
  });
});
