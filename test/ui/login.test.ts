import { describe, expect, it } from 'vitest';
import type { Check } from '../../src/check.js';
import type { LoginResult } from '../../src/provider/complete-login.js';
import { PLAIN } from '../../src/ui/color.js';
import { type LoginView, renderLogin, renderLoginSummary } from '../../src/ui/login.js';

const NOW = 1_700_000_000;
const ID_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJl';
const ACCESS_TOKEN = 'opaque-access-token-abcdef';
const REFRESH_TOKEN = 'refresh-token-value-xyz';

function view(opts: { checks?: Check[]; tokenChecks?: Check[]; ok?: boolean } = {}): LoginView {
  const result = {
    ok: opts.ok ?? true,
    checks: opts.checks ?? [{ id: 'F1', status: 'pass', message: 'state matched' }],
    idTokens: [
      {
        from: 'token endpoint',
        decoded: {
          raw: ID_TOKEN,
          header: { alg: 'RS256', kid: 'k1' },
          payload: {
            iss: 'https://op.example',
            sub: 'u1',
            name: 'Ada',
            email: 'ada@example.com',
            exp: NOW + 300,
          },
        },
        expansion: {
          expanded: { roles: { kind: 'roles', claim: 'roles', roles: ['admin'] } },
        },
        verification: {
          ok: true,
          verdict: 'valid',
          profile: 'ID token',
          checks: opts.tokenChecks ?? [{ id: 'D5', name: 'signature', status: 'pass', message: 'verified' }],
        },
      },
    ],
    accessToken: { tokenType: 'Bearer', expiresIn: 3600, scope: 'openid', length: ACCESS_TOKEN.length },
    tokens: { id_token: ID_TOKEN, access_token: ACCESS_TOKEN, refresh_token: REFRESH_TOKEN },
    warnings: [],
  } as unknown as LoginResult;
  return { result, flow: 'standard flavor, code, via the query', now: NOW, clockSkew: 60 };
}

describe('the summary after a login', () => {
  it('says who signed in, the tokens received, the roles and the verdict, and never a token', () => {
    const out = renderLoginSummary(view(), {}, PLAIN).text;
    expect(out.split('\n')[0]).toBe('Login (standard flavor, code, via the query)');
    expect(out).toMatch(/signed in as\s+Ada <ada@example\.com>/);
    expect(out).toMatch(/issuer\s+https:\/\/op\.example/);
    expect(out).toMatch(
      /tokens\s+ID token \(expires in 5 min\), access token \(Bearer, expires in 1 hour\), refresh token/,
    );
    expect(out).toMatch(/Roles\n\s+admin/);
    expect(out).toContain('Result: VALID');
    for (const secret of [ID_TOKEN, ACCESS_TOKEN, REFRESH_TOKEN]) expect(out).not.toContain(secret);
  });

  it('lists only the checks that failed or warned, and says where the session went', () => {
    const out = renderLoginSummary(
      view({
        ok: false,
        checks: [
          { id: 'F1', status: 'pass', message: 'state matched' },
          { id: 'F3', status: 'warn', message: 'no iss in the response', hint: 'h' },
        ],
      }),
      { saved: 'session.json', stored: '.togo/sessions' },
      PLAIN,
    ).text;
    expect(out).not.toContain('state matched');
    expect(out).toMatch(/WARN\s+F3\s+no iss in the response/);
    expect(out).toContain('saved to session.json (mode 0600); kept in the store, .togo/sessions');
  });

  it('gives an invalid verdict naming the failed check', () => {
    const out = renderLoginSummary(
      view({
        tokenChecks: [{ id: 'D9', name: 'exp', status: 'fail', message: 'expired', code: 'TOKEN_EXPIRED' }],
      }),
      {},
      PLAIN,
    ).text;
    expect(out).toContain('Result: INVALID: 1 check failed (D9 exp)');
  });
});

describe('the full login report', () => {
  it('shows the flow checks, the ID token as decode does, the access token and that a refresh token came', () => {
    const out = renderLogin(view(), PLAIN).text;
    expect(out).toMatch(/PASS\s+F1\s+state matched/);
    expect(out).toContain('ID token from the token endpoint');
    expect(out).toMatch(/kid\s+k1/);
    expect(out).toMatch(/format\s+opaque, 26 characters \(only the provider can read it\)/);
    expect(out).toContain('received (kept out of the output; --json or --save to keep it)');
    for (const secret of [ACCESS_TOKEN, REFRESH_TOKEN]) expect(out).not.toContain(secret);
  });
});
