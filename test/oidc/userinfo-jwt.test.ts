import { describe, expect, it } from 'vitest';
import { decodeToken } from '../../src/oidc/token.js';
import { USERINFO_PROFILE, USERINFO_RULES, verifySignedUserinfo } from '../../src/oidc/userinfo-jwt.js';
import { staticKeys } from '../../src/oidc/verify.js';
import { tableProblems } from '../helpers/rule-table.js';
import { CLIENT, ISSUER, makeKey, NOW, signToken } from '../helpers/tokens.js';

describe('signed userinfo (OIDC Core §5.3.2)', () => {
  it('passes when the provider signed it for this client', async () => {
    const key = await makeKey('ES256');
    const decoded = decodeToken(await signToken(key, { nonce: undefined }));
    const v = await verifySignedUserinfo(decoded, {
      keys: staticKeys({ keys: [key.publicJwk] }, 'test JWKS'),
      issuer: ISSUER,
      clientId: CLIENT,
      now: NOW,
      allowedAlgs: ['ES256'],
    });
    expect(v.ok).toBe(true);
    expect(v.checks.map((c) => `${c.status}:${c.id}`)).toEqual([
      'pass:ui.header',
      'pass:ui.signature',
      'pass:ui.iss',
      'pass:ui.aud',
      'pass:ui.exp',
      'pass:ui.iat',
    ]);
  });

  it('fails another issuer, another client, or a key the provider does not publish', async () => {
    const key = await makeKey('ES256');
    const stranger = await makeKey('ES256');
    const decoded = decodeToken(await signToken(key, { iss: 'https://evil.example', aud: 'other-app' }));
    const v = await verifySignedUserinfo(decoded, {
      keys: staticKeys({ keys: [stranger.publicJwk] }, 'test JWKS'),
      issuer: ISSUER,
      clientId: CLIENT,
      now: NOW,
    });
    expect(v.ok).toBe(false);
    expect(v.checks.filter((c) => c.status === 'fail').map((c) => c.id)).toEqual([
      'ui.signature',
      'ui.iss',
      'ui.aud',
    ]);
    expect(v.verdict).toBe('invalid');
  });

  it('is never verified without iss and aud: nothing would say which provider signed it, or for whom', async () => {
    const key = await makeKey('ES256');
    const decoded = decodeToken(await signToken(key, { iss: undefined, aud: undefined }));
    const v = await verifySignedUserinfo(decoded, {
      keys: staticKeys({ keys: [key.publicJwk] }, 'test JWKS'),
      issuer: ISSUER,
      clientId: CLIENT,
      now: NOW,
    });
    expect(v).toMatchObject({ ok: false, verdict: 'invalid' });
    expect(v.checks.filter((c) => c.status === 'fail').map((c) => c.id)).toEqual(['ui.iss', 'ui.aud']);
  });

  it('without a client id to compare aud with, reads "audience not checked", not verified', async () => {
    const key = await makeKey('ES256');
    const decoded = decodeToken(await signToken(key));
    const v = await verifySignedUserinfo(decoded, {
      keys: staticKeys({ keys: [key.publicJwk] }, 'test JWKS'),
      issuer: ISSUER,
      now: NOW,
    });
    expect(v).toMatchObject({ ok: false, verdict: 'audience-not-checked' });
  });
});

describe('the signed userinfo table', () => {
  it('is well made: dotted ids, a spec and section for each row', () => {
    expect(tableProblems(USERINFO_PROFILE.rules)).toEqual([]);
  });

  it("holds the policy's rules under the ids the profile gives them", () => {
    const ids = USERINFO_RULES.map((r) => r.id as string);
    for (const id of Object.values(USERINFO_PROFILE.ids)) expect(ids.filter((x) => x === id)).toEqual([id]);
  });
});
