import { describe, expect, it } from 'vitest';
import { guessTokenKind, kindFromTyp, normalTyp } from '../../src/oidc/token-kind.js';

describe('the kind of a token, from its typ', () => {
  it('reads explicit typing, with or without the application/ prefix, in any case', () => {
    expect(guessTokenKind({ typ: 'at+jwt' }, { nonce: 'n' })).toMatchObject({
      kind: 'access_token',
      explicit: true,
      reason: 'typ at+jwt',
    });
    expect(guessTokenKind({ typ: 'application/Logout+JWT' }, {}).kind).toBe('logout_token');
    expect(normalTyp('application/AT+JWT')).toBe('at+jwt');
  });

  it('says nothing for JWT, JOSE or no typ', () => {
    expect(kindFromTyp('JWT')).toBeUndefined();
    expect(kindFromTyp('jose')).toBeUndefined();
    expect(kindFromTyp(undefined)).toBeUndefined();
  });

  it('names a typ it does not know instead of guessing', () => {
    expect(kindFromTyp('foo+jwt')).toEqual({ kind: 'other', label: 'a foo token', typ: 'foo+jwt' });
    expect(kindFromTyp('text/plain')).toMatchObject({ kind: 'other', label: 'a token of type text/plain' });
  });

  it('does not take a typ that names an Object method for a known kind', () => {
    expect(kindFromTyp('constructor')).toMatchObject({ kind: 'other' });
  });
});

describe('the kind of a token, from its claims when typ says nothing', () => {
  it('takes scope or client_id without any ID token claim for an access token', () => {
    expect(guessTokenKind({ typ: 'JWT' }, { scope: 'openid', client_id: 'app' })).toMatchObject({
      kind: 'access_token',
      explicit: false,
      reason: "typ JWT; claims scope, client_id and none of an ID token's",
    });
  });

  it('takes a back-channel logout event for a logout token', () => {
    const events = { 'http://schemas.openid.net/event/backchannel-logout': {} };
    expect(guessTokenKind({}, { events }).kind).toBe('logout_token');
  });

  it('takes a token with a nonce for an ID token, even with a scope', () => {
    expect(guessTokenKind({}, { nonce: 'n', scope: 'openid' })).toMatchObject({
      kind: 'id_token',
      reason: 'no typ; claims nonce',
    });
  });

  it('takes a token with nothing telling for an ID token, and says so', () => {
    expect(guessTokenKind({}, { sub: 'joe' }).reason).toBe('no typ; nothing says otherwise');
  });
});
