import { decodeJwt, decodeProtectedHeader, generateKeyPair, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { ASSERTION_TTL_SECONDS, signClientAssertion } from '../../src/oidc/client-assertion.js';

const NOW_MS = 1_700_000_000_123;

describe('client assertions (RFC 7523)', () => {
  it('names the client as issuer and subject and the token endpoint as audience, valid for one minute', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const jwt = await signClientAssertion(
      'my-client',
      'https://op.example/token',
      { key: privateKey, alg: 'ES256', kid: 'k1' },
      NOW_MS,
    );
    const { payload, protectedHeader } = await jwtVerify(jwt, publicKey, {
      issuer: 'my-client',
      subject: 'my-client',
      audience: 'https://op.example/token',
      currentDate: new Date(NOW_MS),
    });
    expect(protectedHeader).toEqual({ alg: 'ES256', typ: 'JWT', kid: 'k1' });
    expect(payload.iat).toBe(1_700_000_000);
    expect(payload.exp).toBe(1_700_000_000 + ASSERTION_TTL_SECONDS);
    expect(typeof payload.jti).toBe('string');
  });

  it('signs client_secret_jwt with the secret and leaves kid out when there is none', async () => {
    const secret = new TextEncoder().encode('a-shared-secret-of-at-least-32-bytes!!');
    const jwt = await signClientAssertion('c', 'https://op/token', { key: secret, alg: 'HS256' }, NOW_MS);
    expect(decodeProtectedHeader(jwt)).toEqual({ alg: 'HS256', typ: 'JWT' });
    await expect(jwtVerify(jwt, secret, { currentDate: new Date(NOW_MS) })).resolves.toBeTruthy();
  });

  it('uses a fresh jti each time so a provider can refuse replays', async () => {
    const secret = new TextEncoder().encode('a-shared-secret-of-at-least-32-bytes!!');
    const a = await signClientAssertion('c', 'aud', { key: secret, alg: 'HS256' }, NOW_MS);
    const b = await signClientAssertion('c', 'aud', { key: secret, alg: 'HS256' }, NOW_MS);
    expect(decodeJwt(a).jti).not.toBe(decodeJwt(b).jti);
  });
});
