/**
 * What `togo conformance` expects of an application under each fault, by the flow it uses: the
 * fault table's data read through expectedOutcome().
 */
import { describe, expect, it } from 'vitest';
import { expectedOutcome, FAULT_NAMES, fault, type LoginFlow } from '../../src/mock/faults.js';

const CODE: LoginFlow = { front: false, frontAccessToken: false, back: true, nonce: true };
const IMPLICIT_TOKEN: LoginFlow = { front: true, frontAccessToken: true, back: false, nonce: true };
const IMPLICIT_ID_TOKEN: LoginFlow = { front: true, frontAccessToken: false, back: false, nonce: true };
const HYBRID: LoginFlow = { front: true, frontAccessToken: false, back: true, nonce: true };

const expected = (fault: (typeof FAULT_NAMES)[number], flow: LoginFlow) => {
  const out = expectedOutcome(fault, flow);
  return 'expected' in out ? out.expected : `not run: ${out.notRun}`;
};

describe('expected outcomes of the faults, by flow', () => {
  it('every fault has a rule and a hint, or says why a browser cannot see it', () => {
    for (const name of FAULT_NAMES) {
      const c = fault(name).conformance;
      if (c.notObservable) continue;
      expect(c.rule, name).toMatch(/\w/);
      expect(c.hint, name).toMatch(/\w/);
      expect(c.front ?? c.back, name).toBeDefined();
    }
  });

  it('claims an application must check wherever the token comes from are rejected in every flow', () => {
    for (const fault of ['expired-id-token', 'wrong-audience', 'wrong-issuer', 'alg-none'] as const) {
      for (const flow of [CODE, IMPLICIT_TOKEN, HYBRID]) expect(expected(fault, flow), fault).toBe('reject');
    }
  });

  it('a bad signature may pass at the token endpoint (TLS), never in the authorize response', () => {
    expect(expected('bad-signature', CODE)).toBe('reject-or-accept');
    expect(expected('bad-signature', HYBRID)).toBe('reject');
    expect(expected('unknown-kid', IMPLICIT_ID_TOKEN)).toBe('reject');
  });

  it('at_hash: required beside an access token in the authorize response, optional at the token endpoint', () => {
    expect(expected('missing-at-hash', IMPLICIT_TOKEN)).toBe('reject');
    expect(expected('missing-at-hash', CODE)).toBe('accept');
    expect(expected('bad-at-hash', CODE)).toBe('reject-or-accept');
    expect(expected('bad-at-hash', IMPLICIT_ID_TOKEN)).toMatch(/^not run: no access token/);
  });

  it('wrong-nonce without a nonce sent, and slow-discovery, are not run, with why', () => {
    expect(expected('wrong-nonce', { ...CODE, nonce: false })).toMatch(
      /^not run: the application sends no nonce/,
    );
    expect(expected('slow-discovery', CODE)).toMatch(/^not run: .*discovery document/);
    expect(expected('rotate-keys', CODE)).toBe('accept-or-reject');
  });
});
