import { describe, expect, it } from 'vitest';
import type { Check } from '../../src/check.js';
import { FRONT_CHANNEL_RULES, type FrontChannelInput, SAME_USER_RULES } from '../../src/oidc/flow-rules.js';
import { runRules } from '../../src/rule.js';

const ISSUER = 'https://id.example/identity';

function front(response: FrontChannelInput['response'], responseType = 'code', iss = false) {
  return runRules(FRONT_CHANNEL_RULES, {
    response,
    request: { issuer: ISSUER, state: 'state-1', responseType },
    issParameterSupported: iss,
  });
}

const byId = (checks: Check[], id: string) => checks.filter((c) => c.id === id);

describe('the login flow rules', () => {
  it('F1 fails a response whose state is not the one sent (a response from another login)', () => {
    const [f1] = byId(front({ state: 'other', code: 'c' }), 'F1');
    expect(f1).toMatchObject({ status: 'fail', code: 'STATE_MISMATCH' });
    expect(byId(front({ state: 'state-1', code: 'c' }), 'F1')[0]?.status).toBe('pass');
  });

  it('F2 fails a response that names another issuer, or none when the provider promised RFC 9207', () => {
    expect(byId(front({ state: 'state-1', code: 'c', iss: 'https://evil.example' }), 'F2')[0]).toMatchObject({
      status: 'fail',
      code: 'RESPONSE_ISSUER_MISMATCH',
    });
    expect(byId(front({ state: 'state-1', code: 'c' }, 'code', true), 'F2')[0]?.status).toBe('fail');
    expect(byId(front({ state: 'state-1', code: 'c' }, 'code', false), 'F2')[0]?.status).toBe('skip');
    expect(byId(front({ state: 'state-1', code: 'c', iss: ISSUER }), 'F2')[0]?.status).toBe('pass');
  });

  it('F3 names each part the response type asked for and the response lacks, and says nothing when all came', () => {
    const [f3] = byId(front({ state: 'state-1', code: 'c' }, 'code id_token token'), 'F3');
    expect(f3?.status).toBe('fail');
    expect(f3?.message).toContain('id_token and access_token');
    expect(byId(front({ state: 'state-1', code: 'c', id_token: 'x' }, 'code id_token'), 'F3')).toEqual([]);
  });

  it('F4 fails when the token endpoint signs in another user than the front channel did', () => {
    const same = runRules(SAME_USER_RULES, {
      front: { iss: ISSUER, sub: 'joe' },
      back: { iss: ISSUER, sub: 'joe' },
    });
    expect(same[0]?.status).toBe('pass');
    const other = runRules(SAME_USER_RULES, {
      front: { iss: ISSUER, sub: 'joe' },
      back: { iss: ISSUER, sub: 'eve' },
    });
    expect(other[0]).toMatchObject({ id: 'F4', status: 'fail', code: 'TOKEN_INVALID' });
  });
});
