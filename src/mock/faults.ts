import { TogoError } from '../errors.js';
import type { FaultName } from './types.js';

/** Every fault `--fault` accepts, with the one line `togo mock --help` and docs/emulator-notes.md show. */
export const FAULTS: Readonly<Record<FaultName, string>> = {
  'expired-id-token': 'ID tokens expired ten minutes ago (exp in the past)',
  'wrong-audience': 'ID tokens are made out to another client (aud is not your client_id)',
  'wrong-issuer': "ID tokens carry Togo ID's production issuer instead of the emulator's",
  'wrong-nonce': 'ID tokens carry a nonce other than the one you sent',
  'bad-signature': 'ID tokens are signed with a key that is not the published one, under its kid',
  'unknown-kid': 'ID tokens name a kid that the JWKS does not have',
  'alg-none': 'ID tokens are not signed at all (alg "none")',
  'missing-at-hash': 'ID tokens issued beside an access token have no at_hash',
  'bad-at-hash': 'ID tokens carry an at_hash that does not match the access token',
  'rotate-keys': 'after the first ID token a new key is published, and it signs every later token',
  'slow-discovery': 'the discovery document takes 3 seconds to answer',
  'error-access-denied': 'after sign-in, the login ends with error=access_denied at the redirect URI',
};

export const FAULT_NAMES = Object.keys(FAULTS) as FaultName[];

export function isFaultName(name: string): name is FaultName {
  return Object.hasOwn(FAULTS, name);
}

/** Checks names given on the command line or to startMockProvider; duplicates are harmless. */
export function parseFaults(names: readonly string[]): FaultName[] {
  const unknown = names.filter((n) => !isFaultName(n));
  if (unknown.length > 0) {
    throw new TogoError(
      'MOCK_FAULT_UNKNOWN',
      `unknown fault ${unknown.map((n) => `"${n}"`).join(', ')}; valid faults: ${FAULT_NAMES.join(', ')}`,
    );
  }
  return [...new Set(names as FaultName[])];
}
