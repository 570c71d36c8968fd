import { describe, expect, it } from 'vitest';
import {
  codeChallengeS256,
  isValidCodeVerifier,
  newCodeVerifier,
  newNonce,
  newState,
} from '../../src/oidc/pkce.js';

describe('state, nonce and PKCE values', () => {
  it('computes the S256 challenge of RFC 7636 appendix B', () => {
    expect(codeChallengeS256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('makes verifiers of 43 to 128 unreserved characters, and refuses other lengths', () => {
    for (const length of [43, 64, 128]) expect(isValidCodeVerifier(newCodeVerifier(length))).toBe(true);
    expect(() => newCodeVerifier(42)).toThrow(RangeError);
    expect(() => newCodeVerifier(129)).toThrow(RangeError);
    expect(isValidCodeVerifier('short')).toBe(false);
    expect(isValidCodeVerifier(`${'a'.repeat(42)}!`)).toBe(false);
  });

  it('makes a different state and nonce each time, letters and digits only', () => {
    const states = new Set(Array.from({ length: 50 }, () => newState()));
    expect(states.size).toBe(50);
    for (const s of states) expect(s).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(newNonce(16)).toMatch(/^[A-Za-z0-9]{16}$/);
  });
});
