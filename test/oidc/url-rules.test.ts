import { describe, expect, it } from 'vitest';
import { abbreviate, leadsToOtherHost, RETURN_URL_RULES, URL_RULES } from '../../src/oidc/url-rules.js';

describe('the URL rules', () => {
  it('a ReturnUrl that starts with two slashes, or a slash and a backslash, leads to another host', () => {
    expect(leadsToOtherHost('//evil.example/connect/authorize')).toBe(true);
    expect(leadsToOtherHost('/\\evil.example/connect/authorize')).toBe(true);
    expect(leadsToOtherHost('/connect/authorize?client_id=app')).toBe(false);
  });

  it('says which ReturnUrl a browser follows when it holds characters browsers drop', () => {
    const rule = RETURN_URL_RULES.find((r) => r.id === 'login.return-url-dropped-characters');
    expect(rule).toBeDefined();
    const login = new URL('https://id.example/login');
    const base = { login, relative: true, pairs: [] };
    const clean = rule?.run({ ...base, raw: '/connect/authorize', followed: '/connect/authorize' } as never);
    expect(clean).toEqual([]);
    const tabbed = rule?.run({ ...base, raw: '/\t/evil.example', followed: '//evil.example' } as never);
    expect(tabbed).toMatchObject({ status: 'fail' });
    expect(JSON.stringify(tabbed)).toContain('//evil.example');
  });

  it('shortens long outside text in messages, and every URL rule names its spec', () => {
    expect(abbreviate('x'.repeat(200)).length).toBeLessThanOrEqual(81);
    expect(abbreviate('short')).toBe('short');
    for (const rule of URL_RULES) expect(rule.spec).toMatch(/\S/);
  });
});
