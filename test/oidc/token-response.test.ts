import { describe, expect, it } from 'vitest';
import { judgeTokenResponse } from '../../src/oidc/token-response.js';

const GOOD = { access_token: 'at', token_type: 'Bearer', expires_in: 3600, id_token: 'eyJ.eyJ.sig' };

describe("judging a token endpoint's answer", () => {
  it('takes a complete answer, Bearer or DPoP in any case', () => {
    expect(judgeTokenResponse(GOOD, true, 'no-store')).toEqual({ ok: true, tokens: GOOD, warnings: [] });
    expect(judgeTokenResponse({ ...GOOD, token_type: 'dpop' }, true).ok).toBe(true);
  });

  it('names what is missing or wrong', () => {
    const problem = (json: unknown, expectIdToken = true) => {
      const verdict = judgeTokenResponse(json, expectIdToken);
      return verdict.ok ? 'accepted' : verdict.problem;
    };
    expect(problem([GOOD])).toBe('the token response is not a JSON object');
    expect(problem({ ...GOOD, access_token: '' })).toBe('the token response has no access_token');
    expect(problem({ ...GOOD, token_type: undefined })).toBe('the token response has no token_type');
    expect(problem({ ...GOOD, token_type: 'mac' })).toBe('token_type is mac, not Bearer');
    expect(problem({ ...GOOD, expires_in: '3600' })).toBe('expires_in is not a number');
    expect(problem({ ...GOOD, id_token: undefined })).toMatch(/no id_token, though the openid scope/);
    expect(problem({ ...GOOD, id_token: undefined }, false)).toBe('accepted');
  });

  it('warns when the answer may be cached', () => {
    expect(judgeTokenResponse(GOOD, true, 'max-age=60')).toMatchObject({
      ok: true,
      warnings: [expect.stringMatching(/Cache-Control: no-store/)],
    });
  });
});
