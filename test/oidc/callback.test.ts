import { describe, expect, it } from 'vitest';
import {
  describeProviderError,
  judgeCallback,
  parseResponseParams,
  responseFromUrl,
} from '../../src/oidc/callback.js';

describe('reading an authorization response', () => {
  it('reads a fragment or a query, keeps the first of a repeated parameter, and drops IdentityServer noise', () => {
    expect(parseResponseParams('#code=abc&state=s1&state=s2&_=_')).toEqual({ code: 'abc', state: 's1' });
    expect(parseResponseParams('?error=access_denied')).toEqual({ error: 'access_denied' });
  });

  it('does not let a __proto__ parameter reach the prototype', () => {
    const r = parseResponseParams('__proto__=x&code=c');
    expect(Object.getPrototypeOf(r)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(r, '__proto__')?.value).toBe('x');
    expect(r.code).toBe('c');
  });

  it('prefers the fragment when it has parameters, else the query', () => {
    expect(responseFromUrl(new URL('http://127.0.0.1/cb?code=q&state=s#code=f&state=s')).code).toBe('f');
    expect(responseFromUrl(new URL('http://127.0.0.1/cb?code=q&state=s#')).code).toBe('q');
  });
});

describe('judging an authorization response', () => {
  it('accepts a code with the expected state', () => {
    const v = judgeCallback({ code: 'c', state: 'st' }, 'st');
    expect(v.kind).toBe('success');
  });

  it('ignores responses without state, with another state or with an empty state, so the real one can still arrive', () => {
    expect(judgeCallback({ code: 'c' }, 'st')).toEqual({
      kind: 'ignored',
      reason: 'a response without state',
    });
    expect(judgeCallback({ code: 'c', state: 'other' }, 'st').kind).toBe('ignored');
    expect(judgeCallback({ code: 'c', state: '' }, '').kind).toBe('ignored');
    expect(judgeCallback({ favicon: 'x' }, 'st')).toEqual({
      kind: 'ignored',
      reason: 'no authorization response parameters',
    });
  });

  it('does not let an error response without this login state end the login', () => {
    const v = judgeCallback({ error: 'access_denied', error_description: 'go away' }, 'st');
    expect(v.kind).toBe('ignored');
    if (v.kind === 'ignored') expect(v.reason).toContain('without state');
  });

  it('reports an error response with the right state, with its description and uri', () => {
    const v = judgeCallback(
      { error: 'login_required', error_description: 'nobody', error_uri: 'https://op/e', state: 'st' },
      'st',
    );
    expect(v).toMatchObject({
      kind: 'error',
      error: 'login_required',
      description: 'nobody',
      uri: 'https://op/e',
    });
  });

  it('ignores a response with the right state but neither code nor tokens', () => {
    expect(judgeCallback({ state: 'st', session_state: 'x' }, 'st')).toEqual({
      kind: 'ignored',
      reason: 'a response without code or tokens',
    });
  });

  it("labels an error's description as the sender's own words", () => {
    expect(describeProviderError('access_denied')).toBe('access_denied');
    expect(describeProviderError('access_denied', 'no', 'its sender')).toBe(
      'access_denied (its sender\'s own words: "no")',
    );
  });
});
