import { describe, expect, it } from 'vitest';
import { PLAIN } from '../../src/ui/color.js';
import {
  describeToken,
  renderIntrospection,
  renderUserinfo,
  type UserinfoView,
} from '../../src/ui/session.js';
import { b64 } from '../helpers/tokens.js';

const NOW_S = 1_700_000_000;
const jwt = (payload: Record<string, unknown>) => `${b64({ alg: 'RS256' })}.${b64(payload)}.c2ln`;

describe('describing a token without showing it', () => {
  it('names an opaque token by a short fingerprint and never includes the token', () => {
    const token = 'opaque-access-token-value-123';
    const out = describeToken(token, NOW_S * 1000);
    expect(out).toMatch(/^opaque token sha256:[0-9a-f]{12}$/);
    expect(out).not.toContain(token);
    expect(describeToken(token, 0)).toBe(out);
    expect(describeToken(`${token}x`, 0)).not.toBe(out);
  });

  it('says whose JWT it is, for which client, and when it expires', () => {
    const token = jwt({ sub: 'u1', azp: 'my-app', exp: NOW_S + 240 });
    const out = describeToken(token, NOW_S * 1000);
    expect(out).toMatch(/^JWT sha256:[0-9a-f]{12}, sub u1, for my-app, /);
    expect(out).toContain('in 4 min');
    expect(out).not.toContain(token.split('.')[1] ?? 'x');
  });

  it('counts a JWT expired from the very second its exp names', () => {
    expect(describeToken(jwt({ exp: NOW_S }), NOW_S * 1000)).toMatch(/expired/);
  });
});

describe('userinfo', () => {
  const view = (over: Partial<UserinfoView> = {}): UserinfoView => ({
    endpoint: 'https://op.example/me',
    format: 'json',
    claims: { sub: 'u1', email: 'a@example.com' },
    expanded: {},
    subject: { userinfo: 'u1', idToken: 'u1', match: true },
    now: NOW_S,
    ...over,
  });

  it('shows the claims and that sub matches the ID token', () => {
    const out = renderUserinfo(view(), PLAIN).text;
    expect(out.split('\n')[0]).toBe('Userinfo (JSON, https://op.example/me)');
    expect(out).toMatch(/email\s+email\s+a@example\.com/);
    expect(out.trimEnd().split('\n').at(-1)).toBe("sub matches the ID token's (u1)");
  });

  it('flags a sub that differs from the ID token, and says when nothing was compared', () => {
    expect(
      renderUserinfo(view({ subject: { userinfo: 'u1', idToken: 'u2', match: false } }), PLAIN).text,
    ).toContain('SUB MISMATCH: userinfo u1, ID token u2');
    expect(
      renderUserinfo(view({ subject: { userinfo: 'u1', idToken: undefined, match: undefined } }), PLAIN).text,
    ).toContain('u1 (not compared: no ID token; pass --id-token or --session)');
  });

  it('calls a signed response verified only when its signature check passed', () => {
    const head = (checks: UserinfoView['checks']) =>
      renderUserinfo(view({ format: 'jwt', checks }), PLAIN).text.split('\n')[0];
    expect(head([{ name: 'signature', status: 'pass' }])).toContain('signed JWT, signature verified');
    expect(head([{ name: 'signature', status: 'fail' }])).toContain('signed JWT, signature not verified');
    expect(head(undefined)).toContain('signature not verified');
  });
});

describe('introspection', () => {
  it('puts active first in yes or no, then the known fields in order, then the rest', () => {
    const out = renderIntrospection(
      { extra: 'x', sub: 'u1', active: true, scope: 'openid', aud: ['a', 'b'] },
      NOW_S,
      PLAIN,
      'Introspection',
    ).text;
    const names = out
      .split('\n')
      .slice(1)
      .map((l) => l.trim().split(/\s+/)[0]);
    expect(names).toEqual(['active', 'scope', 'sub', 'aud', 'extra']);
    expect(out).toMatch(/active\s+yes/);
    expect(out).toMatch(/aud\s+\["a","b"\]/);
  });

  it('shows an inactive token as no, and times in words', () => {
    const out = renderIntrospection({ active: false, exp: NOW_S - 120 }, NOW_S, PLAIN, 'Introspection').text;
    expect(out).toMatch(/active\s+no/);
    expect(out).toMatch(/exp\s+.*2 min ago/);
  });
});
