import { TogoError } from '../errors.js';
import type { FaultName } from './types.js';

export interface FaultInfo {
  /** What the emulator does wrong. */
  what: string;
  /** The flows in which it acts. */
  flows: string;
  /** The relying-party check it exercises, and what a correct application does. */
  exercises: string;
  /** How `togo conformance` judges an application's login under it. */
  conformance: FaultConformance;
}

/**
 * What a correct application does with a login under a fault: `reject` it, `accept` it,
 * `reject-or-accept` (rejecting is right; the specification allows accepting: a check it only MAY
 * make), or `accept-or-reject` (accepting is right; rejecting is allowed, e.g. within a JWKS
 * refetch cooldown).
 */
export type Expected = 'reject' | 'accept' | 'reject-or-accept' | 'accept-or-reject';

export interface FaultConformance {
  /** When an ID token comes in the authorize response (implicit, hybrid). */
  front?: Expected;
  /** When the ID token comes from the token endpoint (code, hybrid). */
  back?: Expected;
  /** `front` applies only when an access token comes with that ID token ("id_token token"). */
  frontNeedsAccessToken?: true;
  /** The fault acts only on a request that sent a nonce. */
  needsNonce?: true;
  /** The rule an application that accepts the fault breaks. */
  rule: string;
  /** The usual cause when an application gets it wrong. */
  hint: string;
  /** Why a login in a browser cannot show it: the fault is then listed as not run, with this. */
  notObservable?: string;
}

/** What an application's login showed of its flow (read from the authorize request). */
export interface LoginFlow {
  /** The authorize response carries an ID token (response_type has id_token). */
  front: boolean;
  /** An access token comes with it (response_type has token). */
  frontAccessToken: boolean;
  /** The application redeems a code at the token endpoint (response_type has code). */
  back: boolean;
  /** The request sent a nonce. */
  nonce: boolean;
}

/** The expected outcome of a fault for an application's flow, or why it does not apply. */
export function expectedOutcome(
  fault: FaultName,
  flow: LoginFlow,
): { expected: Expected } | { notRun: string } {
  const c = FAULT_INFO[fault].conformance;
  if (c.notObservable) return { notRun: c.notObservable };
  if (c.needsNonce && !flow.nonce) {
    return { notRun: 'the application sends no nonce, so its ID tokens carry none to change' };
  }
  const outcomes: Expected[] = [];
  if (flow.front && c.front && (!c.frontNeedsAccessToken || flow.frontAccessToken)) outcomes.push(c.front);
  if (flow.back && c.back) outcomes.push(c.back);
  if (outcomes.length === 0) {
    return { notRun: 'no access token comes with the ID token in this flow, so there is no at_hash to test' };
  }
  // The strictest place decides: a token the authorize response carries must be rejected even
  // when the token endpoint's could be accepted.
  const order: Expected[] = ['reject', 'reject-or-accept', 'accept-or-reject', 'accept'];
  return { expected: order.find((e) => outcomes.includes(e)) ?? 'accept' };
}

/** Every fault `--fault` accepts: what it does, where it acts, what it tests. */
export const FAULT_INFO: Readonly<Record<FaultName, FaultInfo>> = {
  'expired-id-token': {
    what: 'ID tokens expired ten minutes ago (exp in the past)',
    flows:
      'every ID token: implicit and hybrid (authorize response), code, hybrid, refresh and device (token endpoint)',
    exercises: 'the exp check (OIDC Core 3.1.3.7 #9): reject',
    conformance: {
      front: 'reject',
      back: 'reject',
      rule: 'OIDC Core 3.1.3.7 #9: the current time must be before exp',
      hint: 'exp not checked, or a clock skew allowance far too large',
    },
  },
  'wrong-audience': {
    what: 'ID tokens are made out to another client (aud is not your client_id)',
    flows: 'every ID token, authorize response and token endpoint',
    exercises: 'the aud check (Core 3.1.3.7 #3): reject',
    conformance: {
      front: 'reject',
      back: 'reject',
      rule: 'OIDC Core 3.1.3.7 #3: aud must contain your client_id',
      hint: 'audience not checked against your client_id',
    },
  },
  'wrong-issuer': {
    what: "ID tokens carry Togo ID's production issuer instead of the emulator's",
    flows: 'every ID token, authorize response and token endpoint',
    exercises: 'the iss check (Core 3.1.3.7 #2): reject',
    conformance: {
      front: 'reject',
      back: 'reject',
      rule: 'OIDC Core 3.1.3.7 #2: iss must be the discovered issuer',
      hint: "issuer not compared with the provider's (issuer validation off)",
    },
  },
  'wrong-nonce': {
    what: 'ID tokens carry a nonce other than the one you sent',
    flows:
      'every ID token of a request that sent a nonce (implicit and hybrid always, code when it sends one)',
    exercises: 'the nonce check (Core 3.1.3.7 #11, 3.2.2.11): reject',
    conformance: {
      front: 'reject',
      back: 'reject',
      needsNonce: true,
      rule: 'OIDC Core 3.1.3.7 #11: nonce must be the one sent in the request',
      hint: 'nonce not compared with the one stored with the request',
    },
  },
  'bad-signature': {
    what: 'ID tokens are signed with a key that is not the published one, under its kid',
    flows: 'every ID token, authorize response and token endpoint; logout hints still work',
    exercises:
      'signature verification: reject (in the code flow only applications that verify token-endpoint ID tokens notice; Core 3.1.3.7 #6 lets them rely on TLS instead)',
    conformance: {
      front: 'reject',
      back: 'reject-or-accept',
      rule: "OIDC Core 3.1.3.7 #6, 3.2.2.11: the signature must verify with the provider's key (the token endpoint's may rely on TLS)",
      hint: 'signature not verified',
    },
  },
  'unknown-kid': {
    what: 'ID tokens name a kid that the JWKS does not have',
    flows: 'every ID token, authorize response and token endpoint; logout hints still work',
    exercises:
      'key lookup: refetch the JWKS once, then reject (in the code flow only applications that verify token-endpoint ID tokens notice)',
    conformance: {
      front: 'reject',
      back: 'reject-or-accept',
      rule: "OIDC Core 3.1.3.7 #6, 10.1.1: the key named by kid must be one the provider publishes (the token endpoint's token may rely on TLS)",
      hint: 'signature not verified, or any key accepted when the kid is unknown',
    },
  },
  'alg-none': {
    what: 'ID tokens are not signed at all (alg "none")',
    flows: 'every ID token, authorize response and token endpoint; logout hints still work',
    exercises:
      'the alg check (Core 3.1.3.7 #7): reject; some applications accept an unsigned token from the token endpoint by design (Core 3.1.3.7 #6)',
    conformance: {
      front: 'reject',
      back: 'reject',
      rule: 'OIDC Core 3.1.3.7 #7: the token must be signed with the algorithm registered (RS256), never none',
      hint: 'the alg header trusted, so an unsigned token passes',
    },
  },
  'missing-at-hash': {
    what: 'ID tokens issued beside an access token have no at_hash',
    flows:
      'implicit "id_token token" and hybrid "code id_token token" (authorize response), and every token endpoint response',
    exercises:
      'at_hash is required beside an access token in the authorize response (Core 3.2.2.10, 3.3.2.11): reject there; optional at the token endpoint (3.1.3.6), where accepting is right',
    conformance: {
      front: 'reject',
      back: 'accept',
      frontNeedsAccessToken: true,
      rule: 'OIDC Core 3.2.2.10, 3.3.2.11: at_hash is required beside an access token in the authorize response (optional at the token endpoint, 3.1.3.6)',
      hint: 'at_hash not required beside an access token in the authorize response',
    },
  },
  'bad-at-hash': {
    what: 'ID tokens carry an at_hash that does not match the access token',
    flows:
      'implicit "id_token token" and hybrid "code id_token token" (authorize response), and every token endpoint response',
    exercises: 'access token validation (Core 3.2.2.9, 3.3.2.9, 3.1.3.8): reject',
    conformance: {
      front: 'reject',
      back: 'reject-or-accept',
      frontNeedsAccessToken: true,
      rule: 'OIDC Core 3.2.2.9, 3.3.2.9: at_hash must match the access token (a MAY at the token endpoint, 3.1.3.8)',
      hint: 'at_hash not compared with the access token',
    },
  },
  'rotate-keys': {
    what: 'after the first ID token a new key is published, and it signs every later token',
    flows: 'every ID token after the first; logout hints still work',
    exercises: 'JWKS refresh on an unknown kid: accept the later tokens after refetching the JWKS',
    conformance: {
      front: 'accept-or-reject',
      back: 'accept-or-reject',
      rule: 'OIDC Core 10.1.1: a client fetches the JWKS again when a token names a key it does not know (it may limit how often: openid-client waits 60 s)',
      hint: 'the JWKS cached with no refetch on an unknown kid, or a refetch cooldown longer than the run',
    },
  },
  'slow-discovery': {
    what: 'the discovery document takes 3 seconds to answer',
    flows: 'every flow that starts from discovery',
    exercises: 'timeouts and discovery caching: wait (or retry) and carry on',
    conformance: {
      rule: '',
      hint: '',
      notObservable:
        'an application reads the discovery document at its start or caches it; a login in the browser does not wait for it',
    },
  },
  'error-access-denied': {
    what: 'after sign-in, the login ends with error=access_denied at the redirect URI',
    flows: 'every flow through the authorize endpoint (code, implicit, hybrid)',
    exercises: 'the error response (RFC 6749 4.1.2.1, with state): show the error, issue no session',
    conformance: {
      front: 'reject',
      back: 'reject',
      rule: 'RFC 6749 4.1.2.1, OIDC Core 3.1.2.6: an error response signs no one in',
      hint: 'the callback signs the user in without reading error',
    },
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
