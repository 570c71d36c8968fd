import { TogoError } from '../errors.js';
import type { FaultName } from './types.js';

export interface FaultInfo {
  /** What the emulator does wrong. */
  what: string;
  /** The flows in which it acts. */
  flows: string;
  /** The relying-party check it exercises, and what a correct application does. */
  exercises: string;
}

/** Every fault `--fault` accepts: what it does, where it acts, what it tests. */
export const FAULT_INFO: Readonly<Record<FaultName, FaultInfo>> = {
  'expired-id-token': {
    what: 'ID tokens expired ten minutes ago (exp in the past)',
    flows:
      'every ID token: implicit and hybrid (authorize response), code, hybrid, refresh and device (token endpoint)',
    exercises: 'the exp check (OIDC Core 3.1.3.7 #9): reject',
  },
  'wrong-audience': {
    what: 'ID tokens are made out to another client (aud is not your client_id)',
    flows: 'every ID token, authorize response and token endpoint',
    exercises: 'the aud check (Core 3.1.3.7 #3): reject',
  },
  'wrong-issuer': {
    what: "ID tokens carry Togo ID's production issuer instead of the emulator's",
    flows: 'every ID token, authorize response and token endpoint',
    exercises: 'the iss check (Core 3.1.3.7 #2): reject',
  },
  'wrong-nonce': {
    what: 'ID tokens carry a nonce other than the one you sent',
    flows:
      'every ID token of a request that sent a nonce (implicit and hybrid always, code when it sends one)',
    exercises: 'the nonce check (Core 3.1.3.7 #11, 3.2.2.11): reject',
  },
  'bad-signature': {
    what: 'ID tokens are signed with a key that is not the published one, under its kid',
    flows: 'every ID token, authorize response and token endpoint; logout hints still work',
    exercises:
      'signature verification: reject (in the code flow only applications that verify token-endpoint ID tokens notice; Core 3.1.3.7 #6 lets them rely on TLS instead)',
  },
  'unknown-kid': {
    what: 'ID tokens name a kid that the JWKS does not have',
    flows: 'every ID token, authorize response and token endpoint; logout hints still work',
    exercises:
      'key lookup: refetch the JWKS once, then reject (in the code flow only applications that verify token-endpoint ID tokens notice)',
  },
  'alg-none': {
    what: 'ID tokens are not signed at all (alg "none")',
    flows: 'every ID token, authorize response and token endpoint; logout hints still work',
    exercises:
      'the alg check (Core 3.1.3.7 #7): reject; some applications accept an unsigned token from the token endpoint by design (Core 3.1.3.7 #6)',
  },
  'missing-at-hash': {
    what: 'ID tokens issued beside an access token have no at_hash',
    flows:
      'implicit "id_token token" and hybrid "code id_token token" (authorize response), and every token endpoint response',
    exercises:
      'at_hash is required beside an access token in the authorize response (Core 3.2.2.10, 3.3.2.11): reject there; optional at the token endpoint (3.1.3.6), where accepting is right',
  },
  'bad-at-hash': {
    what: 'ID tokens carry an at_hash that does not match the access token',
    flows:
      'implicit "id_token token" and hybrid "code id_token token" (authorize response), and every token endpoint response',
    exercises: 'access token validation (Core 3.2.2.9, 3.3.2.9, 3.1.3.8): reject',
  },
  'rotate-keys': {
    what: 'after the first ID token a new key is published, and it signs every later token',
    flows: 'every ID token after the first; logout hints still work',
    exercises: 'JWKS refresh on an unknown kid: accept the later tokens after refetching the JWKS',
  },
  'slow-discovery': {
    what: 'the discovery document takes 3 seconds to answer',
    flows: 'every flow that starts from discovery',
    exercises: 'timeouts and discovery caching: wait (or retry) and carry on',
  },
  'error-access-denied': {
    what: 'after sign-in, the login ends with error=access_denied at the redirect URI',
    flows: 'every flow through the authorize endpoint (code, implicit, hybrid)',
    exercises: 'the error response (RFC 6749 4.1.2.1, with state): show the error, issue no session',
  },
};

/** Every fault `--fault` accepts, with the one line `togo mock --help` and the README show. */
export const FAULTS: Readonly<Record<FaultName, string>> = Object.fromEntries(
  Object.entries(FAULT_INFO).map(([name, info]) => [name, info.what]),
) as Record<FaultName, string>;

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
