import { describe, expect, it } from 'vitest';
import { EXPECTATIONS } from '../../src/expectations.js';
import { checkClaims, ID_TOKEN_PROFILE, ID_TOKEN_RULES } from '../../src/oidc/id-token-checks.js';
import { runRules } from '../../src/rule.js';
import { tableProblems } from '../helpers/rule-table.js';
import { CLIENT, ISSUER, NOW, NOW_S } from '../helpers/tokens.js';

/** An ID token that carries every claim a rule could compare with an expectation. */
const HEADER = { alg: 'RS256', kid: 'k1' };
const PAYLOAD = {
  iss: ISSUER,
  sub: 'user-1',
  aud: CLIENT,
  azp: CLIENT,
  exp: NOW_S + 300,
  iat: NOW_S,
  nonce: 'n-1',
  at_hash: 'x',
  c_hash: 'y',
  auth_time: NOW_S - 10,
  acr: 'urn:mace:incommon:iap:silver',
};

describe('the ID token table', () => {
  it('is well made: an id D1–D16 in the order of the documented table, a spec and section for each', () => {
    expect(tableProblems(ID_TOKEN_PROFILE.rules)).toEqual([]);
    expect(ID_TOKEN_RULES.map((r) => r.id)).toEqual(Array.from({ length: 16 }, (_, i) => `D${i + 1}`));
  });

  it("holds the policy's rules under the ids the profile gives them", () => {
    const ids = ID_TOKEN_RULES.map((r) => r.id as string);
    for (const id of Object.values(ID_TOKEN_PROFILE.ids)) expect(ids.filter((x) => x === id)).toEqual([id]);
    expect(ID_TOKEN_PROFILE.rules).toBe(ID_TOKEN_RULES);
  });

  it('says how to supply each missing expectation, with the hint the expectation declares', () => {
    const checks = runRules(ID_TOKEN_RULES, { header: HEADER, payload: PAYLOAD, expect: {}, now: NOW_S });
    const needing = ID_TOKEN_RULES.filter((r) => 'needs' in r);
    expect(needing.map((r) => r.id)).toEqual(['D2', 'D3', 'D4', 'D6', 'D9', 'D10', 'D11', 'D12', 'D13']);
    for (const rule of needing) {
      const [needed] = rule.needs;
      const got = checks.filter((c) => c.id === rule.id);
      expect(got, rule.id).toHaveLength(1);
      expect(got[0]?.status, rule.id).toMatch(/^(skip|warn)$/);
      expect(got[0]?.hint, rule.id).toBe(EXPECTATIONS[needed.name as keyof typeof EXPECTATIONS].hint);
    }
  });

  it('gives no hint to supply an expectation when the token lacks the claim it would be compared with', () => {
    const { nonce: _n, at_hash: _a, c_hash: _c, auth_time: _t, azp: _z, ...bare } = PAYLOAD;
    const checks = checkClaims(HEADER, bare, {}, NOW);
    for (const id of ['D4', 'D9', 'D10', 'D11', 'D12']) {
      const c = checks.find((x) => x.id === id);
      expect(c?.status, id).toBe('skip');
      expect(c?.hint, id).toBeUndefined();
    }
  });

  it('checks every claim rule but the signature without keys, in table order', () => {
    const checks = checkClaims(HEADER, PAYLOAD, { issuer: ISSUER, audience: CLIENT, nonce: 'n-1' }, NOW);
    expect(checks.map((c) => c.id)).toEqual(ID_TOKEN_RULES.map((r) => r.id).filter((id) => id !== 'D5'));
    expect(checks.find((c) => c.id === 'D9')?.status).toBe('pass');
  });
});
