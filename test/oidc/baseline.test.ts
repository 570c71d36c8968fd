import { describe, expect, it } from 'vitest';
import { compareBaseline, parseBaseline } from '../../src/oidc/baseline.js';

const DOC = {
  issuer: 'https://op.example',
  authorization_endpoint: 'https://op.example/auth',
  token_endpoint: 'https://op.example/token',
  jwks_uri: 'https://op.example/jwks',
  response_types_supported: ['code', 'id_token'],
  scopes_supported: ['openid', 'email'],
};

const byId = (checks: ReturnType<typeof compareBaseline>, id: string) => checks.find((c) => c.id === id);

describe('reading a saved baseline', () => {
  it('accepts `togo discover --json` output with its key ids, or a bare discovery document', () => {
    expect(
      parseBaseline({ metadata: DOC, jwks: { keys: [{ kid: 'a' }, { kty: 'RSA' }, { kid: 'b' }] } }),
    ).toEqual({
      metadata: DOC,
      kids: ['a', 'b'],
    });
    expect(parseBaseline(DOC)).toEqual({ metadata: DOC, kids: undefined });
  });

  it('refuses what is not a discovery document', () => {
    expect(parseBaseline(null)).toBeUndefined();
    expect(parseBaseline([DOC])).toBeUndefined();
    expect(parseBaseline({ hello: 'world' })).toBeUndefined();
  });
});

describe('comparing against a baseline', () => {
  const base = { metadata: DOC, kids: ['k1'] };

  it('passes every rule when nothing changed', () => {
    const checks = compareBaseline(base, DOC, ['k1']);
    expect(checks.every((c) => c.status === 'pass')).toBe(true);
    expect(byId(checks, 'baseline.keys')?.message).toBe('key ids unchanged');
  });

  it('fails a removed response type and only warns about an added scope', () => {
    const checks = compareBaseline(
      base,
      { ...DOC, response_types_supported: ['code'], scopes_supported: ['openid', 'email', 'phone'] },
      ['k1'],
    );
    expect(byId(checks, 'baseline.response-types')).toMatchObject({
      status: 'fail',
      message: 'response_types_supported: removed id_token',
    });
    expect(byId(checks, 'baseline.scopes')).toMatchObject({
      status: 'warn',
      message: 'scopes_supported: added phone',
    });
    for (const c of checks.filter((c) => c.status !== 'pass')) expect(c.hint).toBeTruthy();
  });

  it('fails a moved token endpoint, naming both URLs', () => {
    const checks = compareBaseline(base, { ...DOC, token_endpoint: 'https://other.example/token' }, ['k1']);
    expect(byId(checks, 'baseline.endpoints')).toMatchObject({
      status: 'fail',
      message: 'token_endpoint changed from https://op.example/token to https://other.example/token',
    });
  });

  it('warns about a new endpoint and fails a removed one', () => {
    expect(
      byId(
        compareBaseline(base, { ...DOC, userinfo_endpoint: 'https://op.example/me' }, ['k1']),
        'baseline.endpoints',
      )?.status,
    ).toBe('warn');
    const { jwks_uri: _gone, ...withoutJwks } = DOC;
    expect(byId(compareBaseline(base, withoutJwks, ['k1']), 'baseline.endpoints')).toMatchObject({
      status: 'fail',
      message: 'removed jwks_uri',
    });
  });

  it('warns about rotated keys, and says nothing of keys when either side has no JWKS', () => {
    expect(byId(compareBaseline(base, DOC, ['k2']), 'baseline.keys')).toMatchObject({
      status: 'warn',
      message: 'key ids: removed k1; added k2',
    });
    expect(byId(compareBaseline(base, DOC, undefined), 'baseline.keys')).toBeUndefined();
    expect(
      byId(compareBaseline({ metadata: DOC, kids: undefined }, DOC, ['k1']), 'baseline.keys'),
    ).toBeUndefined();
  });
});
