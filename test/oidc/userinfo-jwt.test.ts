import { describe, expect, it } from 'vitest';
import { decodeToken } from '../../src/oidc/token.js';
import { verifySignedUserinfo } from '../../src/oidc/userinfo-jwt.js';
import { staticKeys } from '../../src/oidc/verify.js';
import { CLIENT, ISSUER, makeKey, signToken } from '../helpers/tokens.js';

describe('signed userinfo (OIDC Core §5.3.2)', () => {
  it('passes when the provider signed it for this client', async () => {
    const key = await makeKey('ES256');
    const decoded = decodeToken(await signToken(key, { nonce: undefined }));
    const v = await verifySignedUserinfo(decoded, {
      keys: staticKeys({ keys: [key.publicJwk] }, 'test JWKS'),
      issuer: ISSUER,
      clientId: CLIENT,
      allowedAlgs: ['ES256'],
    });
    expect(v.ok).toBe(true);
    expect(v.checks.map((c) => `${c.status}:${c.id}`)).toEqual([
      'pass:ui.signature',
      'pass:ui.iss',
      'pass:ui.aud',
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
    });
    expect(v.ok).toBe(false);
    expect(v.checks.filter((c) => c.status === 'fail').map((c) => c.id)).toEqual([
      'ui.signature',
      'ui.iss',
      'ui.aud',
    ]);
  });

  it('warns when iss and aud, which it SHOULD carry, are absent', async () => {
    const key = await makeKey('ES256');
    const decoded = decodeToken(await signToken(key, { iss: undefined, aud: undefined }));
    const v = await verifySignedUserinfo(decoded, {
      keys: staticKeys({ keys: [key.publicJwk] }, 'test JWKS'),
      issuer: ISSUER,
      clientId: CLIENT,
    });
    expect(v.ok).toBe(true);
    expect(v.checks.filter((c) => c.status === 'warn').map((c) => c.id)).toEqual(['ui.iss', 'ui.aud']);
  });
});
