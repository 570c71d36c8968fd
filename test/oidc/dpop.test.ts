import { calculateJwkThumbprint, decodeProtectedHeader, EmbeddedJWK, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  accessTokenHash,
  checkDpopBinding,
  demandedNonce,
  dpopHtu,
  dpopProof,
  dpopThumbprint,
  loadDpopKey,
  newDpopKey,
  saveDpopKey,
} from '../../src/oidc/dpop.js';

describe('DPoP proofs (RFC 9449)', () => {
  it('signs a proof with the key it embeds: htm, htu without query, iat, a fresh jti, nonce and ath', async () => {
    const key = await newDpopKey();
    const now = Date.UTC(2026, 0, 1);
    const proof = await dpopProof(key, {
      method: 'post',
      url: 'https://op.example/token?x=1#f',
      nonce: 'n-1',
      accessToken: 'at-123',
      now,
    });
    const header = decodeProtectedHeader(proof);
    expect(header).toMatchObject({ alg: 'ES256', typ: 'dpop+jwt' });
    expect(header.jwk).not.toHaveProperty('d');
    const { payload } = await jwtVerify(proof, EmbeddedJWK, { currentDate: new Date(now), typ: 'dpop+jwt' });
    expect(payload).toMatchObject({
      htm: 'POST',
      htu: 'https://op.example/token',
      nonce: 'n-1',
      ath: accessTokenHash('at-123'),
      iat: now / 1000,
    });
    const again = await dpopProof(key, { method: 'POST', url: 'https://op.example/token', now });
    const second = await jwtVerify(again, EmbeddedJWK, { currentDate: new Date(now) });
    expect(second.payload.jti).not.toBe(payload.jti);
  });

  it('gives a new key per login, and the saved key proves the same thumbprint', async () => {
    const [a, b] = await Promise.all([newDpopKey(), newDpopKey()]);
    expect(a.thumbprint).not.toBe(b.thumbprint);
    expect(a.thumbprint).toBe(await calculateJwkThumbprint(a.publicJwk));
    const saved = await saveDpopKey(a);
    expect(saved.privateJwk).toHaveProperty('d');
    const loaded = await loadDpopKey(saved);
    expect(loaded.thumbprint).toBe(a.thumbprint);
    expect(await dpopThumbprint(saved.privateJwk as Record<string, unknown>)).toBe(a.thumbprint);
  });

  it('reads a nonce demand from an authorization server and a resource server, and nothing else', () => {
    expect(demandedNonce(400, { 'dpop-nonce': 'n' }, '{"error":"use_dpop_nonce"}')).toBe('n');
    expect(
      demandedNonce(401, { 'dpop-nonce': 'n', 'www-authenticate': 'DPoP error="use_dpop_nonce"' }, ''),
    ).toBe('n');
    expect(demandedNonce(400, { 'dpop-nonce': 'n' }, '{"error":"invalid_grant"}')).toBeUndefined();
    expect(demandedNonce(400, {}, '{"error":"use_dpop_nonce"}')).toBeUndefined();
    expect(demandedNonce(200, { 'dpop-nonce': 'n' }, '{}')).toBeUndefined();
  });

  it('strips query and fragment from htu', () => {
    expect(dpopHtu('https://api.example/v1/me?a=b#c')).toBe('https://api.example/v1/me');
  });

  it('checks cnf.jkt against the key, and says when no key was given', () => {
    expect(checkDpopBinding({ cnf: { jkt: 'abc' } }, 'abc').status).toBe('pass');
    expect(checkDpopBinding({ cnf: { jkt: 'abc' } }, 'xyz')).toMatchObject({
      status: 'fail',
      code: 'TOKEN_INVALID',
    });
    expect(checkDpopBinding({ cnf: { jkt: 'abc' } }, undefined).status).toBe('info');
    expect(checkDpopBinding({}, 'abc').status).toBe('fail');
    expect(checkDpopBinding({}, undefined).status).toBe('skip');
  });
});
