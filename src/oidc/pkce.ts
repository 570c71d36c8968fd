import { createHash, randomInt } from 'node:crypto';

/**
 * Random values for authorization requests and PKCE. Everything comes from Node's CSPRNG: the
 * seed's sample code uses Math.random and a SHA-1 of the clock, which an attacker can predict
 * (RFC 9700 §2.1 needs state, nonce and verifier to be unguessable).
 */

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** RFC 7636 §4.1: the verifier uses the unreserved characters of RFC 3986. */
const UNRESERVED = `${ALPHANUMERIC}-._~`;

/** `length` characters drawn uniformly from `alphabet` (randomInt rejects biased draws). */
export function randomString(length: number, alphabet: string = ALPHANUMERIC): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/** Togo ID wants 16 to 32 letters and digits; 32 gives about 190 bits. */
export function newState(length = 32): string {
  return randomString(length);
}

/** Same alphabet as state, so a nonce survives any encoding unchanged. */
export function newNonce(length = 32): string {
  return randomString(length);
}

/** RFC 7636 §4.1: 43 to 128 characters; 64 gives about 380 bits. */
export function newCodeVerifier(length = 64): string {
  if (length < 43 || length > 128) throw new RangeError('a PKCE verifier has 43 to 128 characters');
  return randomString(length, UNRESERVED);
}

/** RFC 7636 §4.2: BASE64URL(SHA256(ASCII(code_verifier))), no padding. */
export function codeChallengeS256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** RFC 7636 §4.1: the verifier's syntax. */
export function isValidCodeVerifier(verifier: string): boolean {
  return /^[A-Za-z0-9._~-]{43,128}$/.test(verifier);
}
