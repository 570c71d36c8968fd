import { describe, expect, it } from 'vitest';
import type { Check } from '../../src/check.js';
import type { DecodedToken } from '../../src/oidc/token.js';
import { PLAIN } from '../../src/ui/color.js';
import { claimsLines, type DecodeView, renderDecode, verdictLines } from '../../src/ui/decode.js';
import { lines } from '../../src/ui/safe.js';

const NOW = 1_700_000_000;

const decoded = (payload: Record<string, unknown>, header: Record<string, unknown> = { alg: 'RS256' }) =>
  ({ raw: 'x.y.z', header, payload }) as DecodedToken;

const view = (over: Partial<DecodeView> = {}): DecodeView => ({
  decoded: decoded(
    { sub: 'u1', email: 'a@example.com', exp: NOW + 600 },
    { typ: 'JWT', alg: 'RS256', kid: 'k1' },
  ),
  expanded: {},
  now: NOW,
  clockSkew: 60,
  ...over,
});

describe('the decoded token', () => {
  it('lists the header with alg, kid and typ first, and each claim with the scope that releases it', () => {
    const out = renderDecode(view(), PLAIN).text.split('\n');
    const header = out.indexOf('Header');
    expect(out.slice(header + 1, header + 4).map((l) => l.trim().split(/\s+/)[0])).toEqual([
      'alg',
      'kid',
      'typ',
    ]);
    expect(out.join('\n')).toMatch(/email\s+email\s+a@example\.com/);
    expect(out.join('\n')).toMatch(/exp\s+.*in 10 min/);
  });

  it('says the signature was not verified, and that the token expired, when not asked to verify', () => {
    const plain = renderDecode(view(), PLAIN).text;
    expect(plain.trimEnd().split('\n').at(-1)).toBe(
      'signature not verified: add --verify (with --issuer or --jwks)',
    );
    const expired = renderDecode(view({ decoded: decoded({ exp: NOW - 600 }) }), PLAIN).text;
    expect(expired).toContain('EXPIRED; signature not verified');
    const unreachable = renderDecode(view({ unverifiedBecause: 'keys-unreachable' }), PLAIN).text;
    expect(unreachable).toContain('signature not verified: the keys could not be fetched');
  });

  it('shows the kind of token first when it is known', () => {
    const out = renderDecode(
      view({
        kind: {
          kind: 'id_token',
          label: 'an ID token',
          reason: 'no typ; claims of an ID token',
          explicit: false,
        },
      }),
      PLAIN,
    ).text;
    expect(out.split('\n')[0]).toBe('Token  an ID token (no typ; claims of an ID token)');
  });

  it('expands a JSON claim below the table and points at it', () => {
    const out = lines(
      claimsLines(
        {
          payload: { togo_user: '{"id":"p1"}' },
          expanded: {
            togo_user: {
              kind: 'togo-user',
              claim: 'togo_user',
              fromJsonString: true,
              profileId: 'p1',
              organizations: [{ name: 'Acme', id: 'o1', isAdministrator: true, roles: ['editor'] }],
            },
          },
          now: NOW,
          clockSkew: 60,
        },
        PLAIN,
      ),
    ).text;
    expect(out).toMatch(/togo_user\s+\S+\s+\(JSON in a string: expanded below\)/);
    expect(out).toContain('Togo ID user (claim "togo_user")');
    expect(out).toMatch(/Acme\s+o1\s+yes\s+editor/);
  });
});

describe('the verdict line', () => {
  const sig: Check = { id: 'D5', name: 'signature', status: 'pass', message: 'ok' };

  it('is VALID with the count of warnings when nothing failed', () => {
    expect(verdictLines([sig], PLAIN)[0]?.text).toBe('Result: VALID');
    expect(verdictLines([sig, { id: 'D7', status: 'warn', message: 'w' }], PLAIN)[0]?.text).toBe(
      'Result: VALID (1 warning)',
    );
  });

  it('is INVALID naming the failed checks, with the hint of their error code once', () => {
    const out = verdictLines(
      [
        sig,
        { id: 'D9', name: 'exp', status: 'fail', message: 'expired', code: 'TOKEN_EXPIRED' },
        { id: 'D10', status: 'fail', message: 'expired again', code: 'TOKEN_EXPIRED' },
      ],
      PLAIN,
    );
    expect(out[0]?.text).toBe('Result: INVALID: 2 checks failed (D9 exp, D10)');
    expect(out.filter((l) => l.text.startsWith('hint:'))).toHaveLength(1);
  });

  it('is never VALID when the issuer was not pinned or the audience not checked', () => {
    const unpinned = verdictLines(
      [sig, { id: 'D2', status: 'warn', message: 'w', code: 'ISSUER_NOT_PINNED' }],
      PLAIN,
    );
    expect(unpinned[0]?.text).toBe(
      'Result: ISSUER NOT PINNED: signature valid and no check failed, but who issued the token is not established',
    );
    const unchecked = verdictLines(
      [{ id: 'D3', status: 'warn', message: 'w', code: 'AUDIENCE_NOT_CHECKED' }],
      PLAIN,
    );
    expect(unchecked[0]?.text).toBe(
      'Result: AUDIENCE NOT CHECKED: no check failed, but whom the token is for was not checked',
    );
  });
});
