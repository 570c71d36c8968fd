import { describe, expect, it } from 'vitest';
import {
  audienceNames,
  audienceNotChecked,
  audiences,
  headerUnderstood,
  issuedInThePast,
  issuerMatches,
  issuerNotPinned,
  judgeTable,
  type PolicyExpectations,
  type Profile,
  signatureVerified,
  type TokenInput,
  verdictOf,
  withinValidity,
} from '../../src/oidc/policy.js';
import { pass } from '../../src/rule.js';

const NOW = 1_700_000_000;
const ISS = 'https://op.example';

function input(over: Partial<TokenInput> = {}): TokenInput {
  return {
    header: { alg: 'RS256' },
    payload: { iss: ISS, aud: 'client', exp: NOW + 300, iat: NOW - 10 },
    expect: { issuer: ISS, audience: 'client' },
    now: NOW,
    signature: pass('signature verified', { name: 'signature' }),
    ...over,
  };
}

describe('the header', () => {
  it('refuses an unsigned token, a missing alg, a critical extension and an unencoded payload', () => {
    expect(headerUnderstood(input({ header: { alg: 'none' } }))).toMatchObject({
      status: 'fail',
      code: 'TOKEN_ALG_NONE',
    });
    expect(headerUnderstood(input({ header: { alg: 'NONE' } }))).toMatchObject({
      status: 'fail',
      code: 'TOKEN_ALG_NONE',
    });
    expect(headerUnderstood(input({ header: {} }))).toMatchObject({ status: 'fail', code: 'TOKEN_ALG_NONE' });
    expect(headerUnderstood(input({ header: { alg: 'RS256', crit: ['exp'] } }))).toMatchObject({
      status: 'fail',
      code: 'TOKEN_CRIT_UNSUPPORTED',
    });
    expect(headerUnderstood(input({ header: { alg: 'RS256', b64: false } }))).toMatchObject({
      status: 'fail',
      code: 'TOKEN_CRIT_UNSUPPORTED',
    });
  });

  it('accepts a signing alg', () => {
    expect(headerUnderstood(input()).status).toBe('pass');
  });
});

describe('the signature', () => {
  it('never passes when the signature was not checked', () => {
    expect(signatureVerified(input({ signature: undefined }))).toMatchObject({
      status: 'fail',
      code: 'NO_VERIFICATION_KEY',
    });
  });
});

describe('the issuer', () => {
  it('matches code point by code point, and says when only a trailing slash differs', () => {
    expect(issuerMatches(input()).status).toBe('pass');
    const v = issuerMatches(input({ payload: { iss: `${ISS}/` } }));
    expect(v).toMatchObject({ status: 'fail', code: 'TOKEN_ISSUER_MISMATCH' });
    expect(v.message).toContain('only by a trailing slash');
  });

  it('does not count an issuer taken from the token itself as pinned', () => {
    expect(issuerMatches(input({ expect: { issuer: ISS, issuerFromToken: true } }))).toMatchObject({
      status: 'warn',
      code: 'ISSUER_NOT_PINNED',
    });
  });

  it('fails a missing or non-string iss whether or not an issuer was pinned', () => {
    expect(issuerMatches(input({ payload: {} }))).toMatchObject({
      status: 'fail',
      code: 'TOKEN_CLAIM_MISSING',
    });
    expect(issuerNotPinned(input({ payload: { iss: 42 } }), { hint: 'pin it' })).toMatchObject({
      status: 'fail',
      code: 'TOKEN_ISSUER_MISMATCH',
    });
    expect(issuerNotPinned(input(), { hint: 'pin it' })).toMatchObject({
      status: 'warn',
      code: 'ISSUER_NOT_PINNED',
      hint: 'pin it',
    });
  });
});

describe('the audience', () => {
  it('reads aud as a string or a list of strings', () => {
    expect(audiences('a')).toEqual(['a']);
    expect(audiences(['a', 3, 'b'])).toEqual(['a', 'b']);
    expect(audiences({ a: 1 })).toEqual([]);
  });

  it('fails a token for another audience, and warns about extra audiences only when asked', () => {
    expect(audienceNames(false)(input({ payload: { aud: 'other' } }))).toMatchObject({
      status: 'fail',
      code: 'TOKEN_AUDIENCE_MISMATCH',
    });
    expect(audienceNames(false)(input({ payload: { aud: ['client', 'api'] } })).status).toBe('pass');
    expect(audienceNames(true)(input({ payload: { aud: ['client', 'api'] } }))).toMatchObject({
      status: 'warn',
      message: 'aud also names api: make sure you trust those audiences',
    });
  });

  it('warns that the audience was not checked when none was expected, and fails when aud is missing', () => {
    const missing = { hint: 'give --client-id', what: 'client id' };
    expect(audienceNotChecked(input(), missing)).toMatchObject({
      status: 'warn',
      code: 'AUDIENCE_NOT_CHECKED',
    });
    expect(audienceNotChecked(input({ payload: {} }), missing)).toMatchObject({
      status: 'fail',
      code: 'TOKEN_CLAIM_MISSING',
    });
  });
});

describe('the times', () => {
  it('treats exp as expired once now reaches exp plus the skew, as jose does', () => {
    const at = (exp: number) => withinValidity(true)(input({ payload: { exp }, expect: { clockSkew: 60 } }));
    expect(at(NOW - 59).status).toBe('pass');
    expect(at(NOW - 60)).toMatchObject({ status: 'fail', code: 'TOKEN_EXPIRED' });
  });

  it('fails a missing exp only when it is required, and a non-number exp always', () => {
    expect(withinValidity(true)(input({ payload: {} }))).toMatchObject({
      status: 'fail',
      code: 'TOKEN_CLAIM_MISSING',
    });
    expect(withinValidity(false)(input({ payload: {} })).status).toBe('skip');
    expect(withinValidity(false)(input({ payload: { exp: '1' } })).status).toBe('fail');
  });

  it('fails a token not valid yet beyond the skew', () => {
    expect(withinValidity(true)(input({ payload: { exp: NOW + 600, nbf: NOW + 120 } }))).toMatchObject({
      status: 'fail',
      code: 'TOKEN_NOT_YET_VALID',
    });
    expect(withinValidity(true)(input({ payload: { exp: NOW + 600, nbf: NOW + 30 } })).status).toBe('pass');
  });

  it('fails a token issued in the future, and says nothing of an absent iat unless required', () => {
    expect(issuedInThePast(false)(input({ payload: { iat: NOW + 120 } }))).toMatchObject([
      { status: 'fail', code: 'TOKEN_ISSUED_IN_FUTURE' },
    ]);
    expect(issuedInThePast(false)(input({ payload: {} }))).toEqual([]);
    expect(issuedInThePast(true)(input({ payload: {} }))).toMatchObject([
      { status: 'fail', code: 'TOKEN_CLAIM_MISSING' },
    ]);
  });
});

describe('the verdict', () => {
  it('ranks a failure above an unpinned issuer above an unchecked audience', () => {
    expect(verdictOf([{ status: 'warn', code: 'ISSUER_NOT_PINNED' }, { status: 'fail' }])).toBe('invalid');
    expect(
      verdictOf([
        { status: 'warn', code: 'AUDIENCE_NOT_CHECKED' },
        { status: 'warn', code: 'ISSUER_NOT_PINNED' },
      ]),
    ).toBe('issuer-not-pinned');
    expect(verdictOf([{ status: 'warn', code: 'AUDIENCE_NOT_CHECKED' }])).toBe('audience-not-checked');
    expect(verdictOf([{ status: 'pass' }])).toBe('valid');
  });

  const ids = { header: 'H', signature: 'S', iss: 'I', aud: 'A', time: 'T', iat: 'T2' } as const;
  const full: Profile<PolicyExpectations>['rules'] = [
    { id: 'H', spec: 's', appliesTo: 'a', run: headerUnderstood },
    { id: 'S', spec: 's', appliesTo: 'a', run: signatureVerified },
    { id: 'I', spec: 's', appliesTo: 'a', run: issuerMatches },
    { id: 'A', spec: 's', appliesTo: 'a', run: audienceNames(false) },
    { id: 'T', spec: 's', appliesTo: 'a', run: withinValidity(true) },
    { id: 'T2', spec: 's', appliesTo: 'a', run: issuedInThePast(false) },
  ];

  it('is valid when every policy rule of the table passed', () => {
    const v = judgeTable({ label: 'test token', ids, rules: full }, input());
    expect(v).toMatchObject({ ok: true, verdict: 'valid', profile: 'test token' });
    expect(v.checks.map((c) => c.id)).toEqual(['H', 'S', 'I', 'A', 'T', 'T2']);
  });

  it('is not valid when a table lost one of the policy rules, even with nothing failed', () => {
    const withoutSignature = full.filter((r) => r.id !== 'S');
    expect(judgeTable({ label: 't', ids, rules: withoutSignature }, input())).toMatchObject({
      ok: false,
      verdict: 'invalid',
    });
  });
});
