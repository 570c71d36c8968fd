import { decodeToken, expandClaims, staticKeys, TogoError, verifyIdToken } from 'togo';
import { describe, expect, it } from 'vitest';
import { CLIENT, ISSUER, makeKey, NOW, SEED_TOKEN, signToken } from './helpers/tokens.js';

describe('togo as a library (the built package entry)', () => {
  it('decodes and expands the seed token', () => {
    const { payload } = decodeToken(SEED_TOKEN);
    const { expanded } = expandClaims(payload);
    expect(expanded.user?.kind).toBe('togo-user');
  });

  it('verifies a token against keys in hand and reports every check', async () => {
    const key = await makeKey('EdDSA');
    const token = await signToken(key);
    const result = await verifyIdToken(token, {
      keys: staticKeys({ keys: [key.publicJwk] }, 'test keys'),
      issuer: ISSUER,
      audience: CLIENT,
      now: NOW,
    });
    expect(result.ok).toBe(true);
    expect(result.checks).toHaveLength(16);
  });

  it('throws TogoError with a code for a malformed token', () => {
    expect(() => decodeToken('nope')).toThrow(TogoError);
  });
});
