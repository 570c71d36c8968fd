import { describe, expect, it } from 'vitest';
import { defaultResponseMode, transportChecks } from '../../src/oidc/transport.js';

describe('how the authorization response arrived', () => {
  it('warns when tokens arrive in the query, naming the leak', () => {
    const checks = transportChecks('query', { responseType: 'code id_token' }, { id_token: 'x.y.z' });
    const f5 = checks.find((c) => c.id === 'F5');
    expect(f5).toMatchObject({ status: 'warn' });
    expect(f5?.message).toMatch(/id_token arrived in the query string.*logs.*history.*Referer/);
  });

  it('says nothing about a code alone in the query, the default for code', () => {
    expect(transportChecks('query', { responseType: 'code' }, {})).toEqual([]);
  });

  it('says nothing about tokens in the fragment, the default for implicit', () => {
    expect(
      transportChecks('fragment', { responseType: 'id_token token' }, { id_token: 'a', access_token: 'b' }),
    ).toEqual([]);
  });

  it('notes a response mode other than the requested one', () => {
    const checks = transportChecks('query', { responseType: 'code', responseMode: 'form_post' }, {});
    expect(checks).toEqual([
      expect.objectContaining({
        id: 'F6',
        status: 'info',
        message: expect.stringContaining('response_mode=form_post'),
      }),
    ]);
  });

  it('takes fragment as the default for responses with tokens, query for code', () => {
    expect(defaultResponseMode('code')).toBe('query');
    expect(defaultResponseMode('code id_token')).toBe('fragment');
    expect(defaultResponseMode('id_token')).toBe('fragment');
  });
});
