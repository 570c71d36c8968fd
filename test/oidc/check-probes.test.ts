import { describe, expect, it } from 'vitest';
import {
  checkDistinctKeys,
  checkExpectations,
  classifyProbe,
  judgeCors,
  judgeProbe,
  lintResults,
  readErrorReason,
} from '../../src/oidc/check-probes.js';
import { sharedJwk } from '../helpers/keys.js';

const AUTH = 'https://op.example/authorize';
const REDIRECT = 'http://127.0.0.1:8400/callback';

describe('linter results', () => {
  it('gives one result per check id: the worst finding wins, and no finding passes', () => {
    const out = lintResults(
      ['a', 'b', 'c'],
      [
        { id: 'a', status: 'warn', message: 'w1', hint: 'hw' },
        { id: 'a', status: 'fail', message: 'f1', hint: 'hf' },
        { id: 'b', status: 'info', message: 'note' },
      ],
    );
    expect(out).toEqual([
      { id: 'a', status: 'fail', message: 'f1', hint: 'hf' },
      { id: 'b', status: 'pass', message: 'note' },
      { id: 'c', status: 'pass', message: 'ok' },
    ]);
  });
});

describe('expected values in the discovery document', () => {
  it('makes one check per expected value, comparing response types as sets of words', () => {
    const checks = checkExpectations(
      { response_types_supported: ['code', 'id_token token'], scopes_supported: ['openid'] },
      { responseTypes: ['token id_token'], scopes: ['openid', 'email'] },
    );
    expect(checks.map((c) => [c.id, c.status])).toEqual([
      ['expect.response-type:token id_token', 'pass'],
      ['expect.scope:openid', 'pass'],
      ['expect.scope:email', 'fail'],
    ]);
    expect(checks[2]?.message).toBe('scopes_supported does not include "email" (it has openid)');
  });

  it('applies the default grant types when the document lists none', () => {
    expect(checkExpectations({}, { grants: ['implicit'] })[0]?.status).toBe('pass');
    expect(checkExpectations({}, { grants: ['client_credentials'] })[0]?.status).toBe('fail');
    expect(checkExpectations({}, { claims: ['email'] })[0]?.message).toBe(
      'the document has no claims_supported',
    );
  });
});

describe('reading a provider error page', () => {
  it('reads a JSON error body with its description as the provider words', () => {
    expect(readErrorReason('{"error":"invalid_client","error_description":"unknown"}')).toBe(
      'invalid_client (the provider\'s own words: "unknown")',
    );
  });

  it('finds the error code and description on an HTML page, ignoring scripts', () => {
    expect(
      readErrorReason(
        '<script>var x="access_denied"</script><p>unauthorized_client</p><p>Invalid redirect_uri</p>',
      ),
    ).toBe('unauthorized_client: Invalid redirect_uri');
    expect(readErrorReason('<h1>Welcome, please sign in</h1>')).toBeUndefined();
  });
});

describe('the authorize probe', () => {
  const redirect = (location: string) => ({ status: 302, location, body: '' });

  it('passes a redirect to a login page and fails an error sent back to the client', () => {
    expect(classifyProbe(redirect('/login?x=1'), REDIRECT, AUTH)).toEqual({
      kind: 'login',
      location: 'https://op.example/login?x=1',
    });
    expect(judgeProbe(redirect('/login'), REDIRECT, AUTH).status).toBe('pass');
    const bad = judgeProbe(redirect(`${REDIRECT}?error=unauthorized_client&state=s`), REDIRECT, AUTH);
    expect(bad).toMatchObject({ id: 'probe.authorize', status: 'fail' });
    expect(bad.message).toContain('unauthorized_client');
    expect(bad.hint).toBeTruthy();
  });

  it('reads an error in the fragment of the redirect too', () => {
    expect(classifyProbe(redirect(`${REDIRECT}#error=access_denied`), REDIRECT, AUTH).kind).toBe(
      'redirect-error',
    );
    expect(classifyProbe(redirect(`${REDIRECT}?code=c`), REDIRECT, AUTH).kind).toBe('redirect-ok');
  });

  it("fails a redirect to the provider's error page, quoting the reason when the page was read", () => {
    const c = judgeProbe(
      { status: 302, location: '/home/error?errorId=1', body: '', errorPage: '<p>invalid_request</p>' },
      REDIRECT,
      AUTH,
    );
    expect(c.status).toBe('fail');
    expect(c.message).toContain(': invalid_request (https://op.example/home/error?errorId=1)');
  });

  it('passes a 200 page but fails a 200 that carries an error and any other status', () => {
    expect(
      judgeProbe({ status: 200, location: undefined, body: '<form>Sign in</form>' }, REDIRECT, AUTH).status,
    ).toBe('pass');
    expect(
      judgeProbe({ status: 200, location: undefined, body: '{"error":"invalid_scope"}' }, REDIRECT, AUTH)
        .status,
    ).toBe('fail');
    expect(judgeProbe({ status: 500, location: undefined, body: '' }, REDIRECT, AUTH).message).toBe(
      'the authorize endpoint answered HTTP 500',
    );
  });
});

describe('CORS', () => {
  const origin = 'http://localhost:3000';

  it('lets a page read a response that allows its origin or any origin', () => {
    for (const allow of ['*', origin]) {
      expect(
        judgeCors('cors.jwks', {
          origin,
          res: { status: 200, headers: { 'access-control-allow-origin': allow } },
        }).status,
      ).toBe('pass');
    }
  });

  it('fails a response for another origin or without the header', () => {
    const c = judgeCors('cors.discovery', {
      origin,
      res: { status: 200, headers: { 'access-control-allow-origin': 'https://app.example' } },
    });
    expect(c).toMatchObject({ id: 'cors.discovery', status: 'fail' });
    expect(c.message).toContain('allows origin https://app.example, not http://localhost:3000');
    expect(judgeCors('cors.token', { origin, res: { status: 200, headers: {} } }).message).toContain(
      'has no Access-Control-Allow-Origin',
    );
  });

  it('fails a preflight that does not allow the request header the page sends', () => {
    const c = judgeCors('cors.userinfo', {
      origin,
      res: {
        status: 204,
        headers: { 'access-control-allow-origin': origin, 'access-control-allow-headers': 'content-type' },
      },
      preflight: { method: 'GET', headers: ['Authorization'] },
    });
    expect(c).toMatchObject({
      status: 'fail',
      message: 'the userinfo endpoint: the preflight does not allow the header Authorization',
    });
    const ok = judgeCors('cors.userinfo', {
      origin,
      res: {
        status: 204,
        headers: { 'access-control-allow-origin': origin, 'access-control-allow-headers': 'Authorization' },
      },
      preflight: { method: 'GET', headers: ['Authorization'] },
    });
    expect(ok.status).toBe('pass');
  });
});

describe('distinct keys between environments', () => {
  it('fails when both publish the same signing key, by key material even under another kid', () => {
    const { publicJwk } = sharedJwk('EC P-256');
    const c = checkDistinctKeys(
      [{ ...publicJwk, kid: 'dev' }],
      [{ ...publicJwk, kid: 'prod' }],
      'production',
    );
    expect(c).toMatchObject({ id: 'keys.distinct', status: 'fail' });
    expect(c.message).toBe('signing keys also published by production: "dev" (same key material)');
  });

  it('fails on a shared kid, ignores encryption keys, and passes distinct keys', () => {
    const ec = sharedJwk('EC P-256').publicJwk;
    const other = sharedJwk('EC P-384').publicJwk;
    expect(checkDistinctKeys([{ ...ec, kid: 'k1' }], [{ ...other, kid: 'k1' }], 'prod').message).toContain(
      '"k1" (same kid)',
    );
    expect(
      checkDistinctKeys([{ ...ec, kid: 'k1', use: 'enc' }], [{ ...ec, kid: 'k1', use: 'enc' }], 'prod')
        .status,
    ).toBe('pass');
    expect(checkDistinctKeys([{ ...ec, kid: 'a' }], [{ ...other, kid: 'b' }], 'prod')).toMatchObject({
      status: 'pass',
      message: 'no signing key in common with prod (1 vs 1 keys)',
    });
  });
});
