import { describe, expect, it } from 'vitest';
import { EXPECTATIONS } from '../../src/expectations.js';
import {
  PLAIN_JWT_PROFILE,
  RFC9068_PROFILE,
  RFC9068_RULES,
  tokenProfile,
  verifyAccessToken,
} from '../../src/oidc/access-token.js';
import { decodeToken } from '../../src/oidc/token.js';
import { guessTokenKind } from '../../src/oidc/token-kind.js';
import { staticKeys } from '../../src/oidc/verify.js';
import { tableProblems } from '../helpers/rule-table.js';
import { ISSUER, makeKey, NOW, NOW_S, signToken } from '../helpers/tokens.js';

const RESOURCE = 'https://api.example/';

async function rfc9068(
  claims: Record<string, unknown> = {},
  header: Record<string, unknown> = { typ: 'at+jwt' },
) {
  const key = await makeKey('ES256');
  const token = await signToken(
    key,
    { aud: RESOURCE, client_id: 'app', jti: 'j-1', scope: 'read', nonce: undefined, ...claims },
    header,
  );
  return { key, decoded: decodeToken(token), keys: staticKeys({ keys: [key.publicJwk] }, 'test JWKS') };
}

describe('access tokens by their profile', () => {
  it('recognises RFC 9068 by typ at+jwt or application/at+jwt', () => {
    expect(tokenProfile({ typ: 'at+jwt' }, {})).toBe('rfc9068');
    expect(tokenProfile({ typ: 'application/at+jwt' }, {})).toBe('rfc9068');
    expect(tokenProfile({ typ: 'JWT' }, { aud: 'app' })).toBe('id_token');
    expect(tokenProfile({ typ: 'JWT' }, { aud: 'app' }, 'access_token')).toBe('jwt');
    expect(tokenProfile({ typ: 'JWT' }, { scope: 'read' })).toBe('jwt');
  });

  it('verifies a token by the kind decode names it: an access token by an access token profile, anything else as an ID token', () => {
    const cases: [Record<string, unknown>, Record<string, unknown>][] = [
      [{ typ: 'JWT' }, { aud: 'api', scope: 'read' }],
      [{ typ: 'JWT' }, { scope: 'read', nonce: 'n' }],
      [{ typ: 'JWT' }, { scp: ['read'] }],
      [{ typ: 'JWT' }, { client_id: 'app', aud: 'api' }],
      [{ typ: 'JWT' }, { aud: 'app', azp: 'app', scope: 'openid' }],
      [{}, { aud: 'app', nonce: 'n' }],
      [{ typ: 'at+jwt' }, { aud: 'api' }],
      [{ typ: 'logout+jwt' }, { aud: 'app', scope: 'read' }],
      [{ typ: 'dpop+jwt' }, { scope: 'read' }],
    ];
    for (const [header, payload] of cases) {
      const kind = guessTokenKind(header, payload).kind;
      const profile = tokenProfile(header, payload);
      expect(profile === 'id_token', JSON.stringify({ header, payload, kind, profile })).toBe(
        kind !== 'access_token',
      );
    }
    expect(tokenProfile({ typ: 'JWT' }, { aud: 'api', scope: 'read' })).toBe('jwt');
    expect(tokenProfile({ typ: 'JWT' }, { scope: 'read', nonce: 'n' })).toBe('id_token');
  });

  it('verifies an RFC 9068 token: signature, iss, aud as the resource, sub, client_id, jti, times; no nonce asked', async () => {
    const { decoded, keys } = await rfc9068();
    const v = await verifyAccessToken(decoded, 'rfc9068', {
      keys,
      issuer: ISSUER,
      resource: RESOURCE,
      now: NOW,
    });
    expect(v.ok).toBe(true);
    expect(v.profile).toContain('RFC 9068');
    expect(v.checks.map((c) => `${c.status}:${c.id}`)).toEqual([
      'pass:at.header',
      'pass:at.signature',
      'pass:at.typ',
      'pass:at.iss',
      'pass:at.aud',
      'pass:at.sub',
      'pass:at.client_id',
      'pass:at.jti',
      'pass:at.exp',
      'pass:at.iat',
    ]);
  });

  it('fails an RFC 9068 token for another resource, or without client_id or jti', async () => {
    const { decoded, keys } = await rfc9068({ client_id: undefined, jti: undefined });
    const v = await verifyAccessToken(decoded, 'rfc9068', {
      keys,
      issuer: ISSUER,
      resource: 'https://other/',
      now: NOW,
    });
    expect(v.ok).toBe(false);
    const failed = v.checks.filter((c) => c.status === 'fail').map((c) => c.id);
    expect(failed).toEqual(['at.aud', 'at.client_id', 'at.jti']);
  });

  it('checks a plain JWT access token by the policy alone: signature, iss, aud and times', async () => {
    const key = await makeKey('RS256');
    const token = await signToken(key, {
      aud: 'https://api.example/',
      nonce: undefined,
      scope: 'read',
      exp: NOW_S - 3600,
    });
    const v = await verifyAccessToken(decodeToken(token), 'jwt', {
      keys: staticKeys({ keys: [key.publicJwk] }, 'test JWKS'),
      issuer: ISSUER,
      resource: 'https://api.example/',
      now: NOW,
    });
    expect(v.profile).toMatch(/signature, iss, aud and times/);
    expect(v.checks.map((c) => `${c.status}:${c.id}`)).toEqual([
      'pass:at.header',
      'pass:at.signature',
      'pass:at.iss',
      'pass:at.aud',
      'fail:at.exp',
      'pass:at.iat',
    ]);
    expect(v).toMatchObject({ ok: false, verdict: 'invalid' });
  });

  it('never reads a plain JWT access token as valid without a pinned issuer and an expected audience', async () => {
    const key = await makeKey('RS256');
    const token = decodeToken(await signToken(key, { aud: 'someone-else', nonce: undefined, scope: 'read' }));
    const keys = staticKeys({ keys: [key.publicJwk] }, 'test JWKS');
    const unpinned = await verifyAccessToken(token, 'jwt', { keys, resource: 'someone-else', now: NOW });
    expect(unpinned).toMatchObject({ ok: false, verdict: 'issuer-not-pinned' });
    const noAudience = await verifyAccessToken(token, 'jwt', { keys, issuer: ISSUER, now: NOW });
    expect(noAudience).toMatchObject({ ok: false, verdict: 'audience-not-checked' });
    const wrongAudience = await verifyAccessToken(token, 'jwt', {
      keys,
      issuer: ISSUER,
      resource: 'mine',
      now: NOW,
    });
    expect(wrongAudience).toMatchObject({ ok: false, verdict: 'invalid' });
    const forged = decodeToken(
      await signToken(key, { iss: 'https://evil.example', nonce: undefined, scope: 'read' }),
    );
    const wrongIssuer = await verifyAccessToken(forged, 'jwt', {
      keys,
      issuer: ISSUER,
      resource: 'togo-test-client',
      now: NOW,
    });
    expect(wrongIssuer.checks.find((c) => c.id === 'at.iss')).toMatchObject({
      status: 'fail',
      code: 'TOKEN_ISSUER_MISMATCH',
    });
  });

  it('fails a signature from another key', async () => {
    const { decoded } = await rfc9068();
    const other = await makeKey('ES256');
    const v = await verifyAccessToken(decoded, 'rfc9068', {
      keys: staticKeys({ keys: [other.publicJwk] }, 'test JWKS'),
      issuer: ISSUER,
      now: NOW,
    });
    expect(v.checks.find((c) => c.id === 'at.signature')).toMatchObject({ status: 'fail' });
  });
});

describe('the access token tables', () => {
  it('are well made: dotted ids, a spec and section for each row', () => {
    expect(tableProblems(RFC9068_PROFILE.rules)).toEqual([]);
    expect(tableProblems(PLAIN_JWT_PROFILE.rules)).toEqual([]);
    expect(RFC9068_RULES.map((r) => r.id)).toEqual([
      'at.header',
      'at.signature',
      'at.typ',
      'at.iss',
      'at.aud',
      'at.sub',
      'at.client_id',
      'at.jti',
      'at.exp',
      'at.iat',
      'dpop.jkt',
    ]);
  });

  it("hold the policy's rules under the ids the profiles give them", () => {
    for (const profile of [RFC9068_PROFILE, PLAIN_JWT_PROFILE]) {
      const ids = profile.rules.map((r) => r.id);
      for (const id of Object.values(profile.ids)) expect(ids.filter((x) => x === id)).toEqual([id]);
    }
  });

  it('asks for the resource, not the client id, when no audience was expected', async () => {
    const { decoded, keys } = await rfc9068();
    const v = await verifyAccessToken(decoded, 'rfc9068', { keys, issuer: ISSUER, now: NOW });
    expect(v.checks.find((c) => c.id === 'at.aud')).toMatchObject({
      status: 'warn',
      code: 'AUDIENCE_NOT_CHECKED',
      hint: EXPECTATIONS.resource.hint,
    });
  });
});
