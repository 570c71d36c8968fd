import { describe, expect, it } from 'vitest';
import type { Inspection } from '../../src/provider/inspect.js';
import { PLAIN } from '../../src/ui/color.js';
import { discoverJson, renderDiscover } from '../../src/ui/discover.js';
import { sharedJwk } from '../helpers/keys.js';

const METADATA = {
  issuer: 'https://op.example',
  authorization_endpoint: 'https://op.example/authorize',
  token_endpoint: 'https://op.example/token',
  jwks_uri: 'https://op.example/jwks',
  response_types_supported: ['code'],
  scopes_supported: ['openid', 'email'],
  code_challenge_methods_supported: ['S256'],
  backchannel_logout_supported: true,
};

function inspection(
  over: Partial<Inspection> = {},
  metadata: Record<string, unknown> = METADATA,
): Inspection {
  return {
    discovery: {
      requested: 'https://op.example',
      url: 'https://op.example/.well-known/openid-configuration',
      location: 'oidc',
      metadata,
      raw: JSON.stringify(metadata),
    },
    jwks: undefined,
    findings: [],
    ...over,
  } as Inspection;
}

describe('togo discover, for a person', () => {
  it('shows the issuer, where the document came from, the endpoints and what is supported', () => {
    const out = renderDiscover(inspection(), PLAIN).text;
    expect(out.split('\n')[0]).toBe('Issuer    https://op.example');
    expect(out).toContain('https://op.example/.well-known/openid-configuration (OpenID Connect location)');
    expect(out).toMatch(/\n {2}token\s+https:\/\/op\.example\/token\n/);
    expect(out).not.toMatch(/\n {2}userinfo\s/);
    expect(out).toMatch(/scopes\s+openid, email/);
    expect(out).toMatch(/PKCE methods\s+S256/);
  });

  it("states the specification's defaults when the document leaves a field out", () => {
    const out = renderDiscover(inspection(), PLAIN).text;
    expect(out).toMatch(/grant types\s+\(default: authorization_code, implicit\)/);
    expect(out).toMatch(/client auth\s+\(default: client_secret_basic\)/);
    expect(out).toMatch(/back-channel\s+yes \(session: no\)/);
    const noPkce = renderDiscover(
      inspection({}, { ...METADATA, code_challenge_methods_supported: undefined }),
      PLAIN,
    );
    expect(noPkce.text).toMatch(/PKCE methods\s+none \(PKCE not advertised\)/);
  });

  it('says when the keys were not fetched and when there are no findings', () => {
    const out = renderDiscover(inspection(), PLAIN).text;
    expect(out).toMatch(/Keys \(0\)\n {2}\(not fetched\)/);
    expect(out).toMatch(/Findings\n {2}none/);
  });

  it('lists each key with its size and the findings worst first', () => {
    const { publicJwk } = sharedJwk('EC P-256', { kid: 'k1', alg: 'ES256' });
    const out = renderDiscover(
      inspection({
        jwks: { url: 'https://op.example/jwks', jwks: { keys: [publicJwk] } } as Inspection['jwks'],
        findings: [
          { id: 'disc.a', status: 'warn', message: 'a warning', hint: 'h' },
          { id: 'disc.b', status: 'fail', message: 'a failure', hint: 'h' },
        ],
      }),
      PLAIN,
    ).text;
    expect(out).toMatch(/Keys \(1\)\n\s+k1\s+EC\s+P-256\s+ES256\s+sig/);
    expect(out.indexOf('a failure')).toBeLessThan(out.indexOf('a warning'));
    expect(out.trimEnd().split('\n').at(-1)).toBe('1 warning, 1 failed');
  });
});

describe('togo discover --json', () => {
  it('is ok without failures and carries the document, the keys and the findings worst first', () => {
    const json = discoverJson(
      inspection({
        findings: [
          { id: 'w', status: 'warn', message: 'w' },
          { id: 'f', status: 'fail', message: 'f' },
        ],
      }),
    );
    expect(json).toMatchObject({ ok: false, location: 'oidc', metadata: METADATA, jwks: null });
    expect(json.findings.map((f) => f.id)).toEqual(['f', 'w']);
    expect(discoverJson(inspection()).ok).toBe(true);
  });
});
