/**
 * The emulator's faults, one entry each: what goes wrong, where it acts, what `togo conformance`
 * expects of an application under it, and the hook the emulator runs for it. The type of fault
 * names, `togo mock --help`, the shell completion and the conformance run all read this table.
 *
 * This file is part of the CLI's start-up bundle (the help lists the faults): it imports nothing
 * heavy, and a hook gets what it needs (the clock, a hash function, another user) from its caller.
 */
import { TogoError } from '../errors.js';

/** The issuer `wrong-issuer` puts in tokens: a real one, as when a token from production meets a test set-up. */
export const WRONG_ISSUER = 'https://id2.runswithtogo.com/identity';
export const WRONG_AUDIENCE = 'some-other-client';
export const WRONG_NONCE = 'not-the-nonce-you-sent';
/** The audience `wrong-api-audience` gives machine tokens: an API other than the one asked for. */
export const WRONG_API_AUDIENCE = 'urn:togo:some-other-api';

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

/** Where a fault acts. */
export type FaultFlow =
  /** ID tokens in the authorize response (implicit, hybrid). */
  | 'authorize-response'
  /** ID tokens from the token endpoint after a login (code, hybrid, device). */
  | 'token-endpoint'
  /** ID tokens from a refresh (refresh_token grant). */
  | 'refresh'
  /** Access tokens from the client_credentials grant. */
  | 'client-credentials'
  /** The discovery document. */
  | 'discovery'
  /** The end of a sign-in, before the authorize response. */
  | 'sign-in';

/** The flows a login in a browser goes through (what `togo conformance` and relying parties meet). */
const LOGIN_FLOWS: readonly FaultFlow[] = ['authorize-response', 'token-endpoint', 'discovery', 'sign-in'];

/** What an ID token hook is told about the token it changes. */
export interface IdTokenScene {
  /** Seconds since the epoch. */
  now: number;
  /** The grant that issued it at the token endpoint (`refresh_token` for a refresh); none in the authorize response. */
  grantType?: string;
  /** A subject other than the token's: another user of the emulator. */
  otherSub: string;
  /** at_hash of a value (left half of its SHA-256, base64url). */
  atHash: (value: string) => string;
}

/** Which key signs an ID token under a key fault; the first of these that is active wins. */
export const SIGNING_FAULTS = [
  'unsigned',
  'stranger-kid',
  'stranger-under-published-kid',
  'next-key',
] as const;
export type SigningFault = (typeof SIGNING_FAULTS)[number];

export interface Fault {
  /** What the emulator does wrong (one line: `togo mock --help` and the README show it). */
  what: string;
  /** The flows in which it acts, in words. */
  flows: string;
  /** The same, for code: where the emulator runs its hook. */
  acts: readonly FaultFlow[];
  /** The relying-party check it exercises, and what a correct application does. */
  exercises: string;
  /** How `togo conformance` judges an application's login under it. */
  conformance: FaultConformance;
  /** Changes an ID token's claims; returns whether it did (the fault is then said to apply). */
  idToken?: (claims: Record<string, unknown>, scene: IdTokenScene) => boolean;
  /**
   * Signs ID tokens with another key, or none: `unsigned`; a key nobody publishes under its own kid
   * (`stranger-kid`) or under the published one (`stranger-under-published-kid`); or `next-key`,
   * from the second token on, published only once it has signed a token.
   */
  signing?: SigningFault;
  /** Holds the discovery document (for the emulator's slowDiscoveryMs). */
  holdsDiscovery?: true;
  /** Ends the sign-in with this error response instead of signing the user in. */
  endsSignIn?: { error: string; error_description: string };
  /** The audience of machine tokens (client_credentials), given the one asked for. */
  machineAudience?: (asked: string) => string;
}

const NOT_IN_A_LOGIN = {
  rule: '',
  hint: '',
} as const;

/** Every fault `--fault` accepts, in the order `togo mock --help` lists them. */
export const FAULTS = {
  'expired-id-token': {
    what: 'ID tokens expired ten minutes ago (exp in the past)',
    flows:
      'every ID token: implicit and hybrid (authorize response), code, hybrid, refresh and device (token endpoint)',
    acts: ['authorize-response', 'token-endpoint', 'refresh'],
    exercises: 'the exp check (OIDC Core 3.1.3.7 #9): reject',
    conformance: {
      front: 'reject',
      back: 'reject',
      rule: 'OIDC Core 3.1.3.7 #9: the current time must be before exp',
      hint: 'exp not checked, or a clock skew allowance far too large',
    },
    idToken(claims, { now }) {
      // Issued fifteen minutes ago, expired ten minutes ago: far beyond any usual clock skew.
      claims.iat = now - 900;
      claims.exp = now - 600;
      if (typeof claims.nbf === 'number') claims.nbf = now - 900;
      if (typeof claims.auth_time === 'number') claims.auth_time = Math.min(claims.auth_time, now - 900);
      return true;
    },
  },
  'wrong-audience': {
    what: 'ID tokens are made out to another client (aud is not your client_id)',
    flows: 'every ID token, authorize response and token endpoint',
    acts: ['authorize-response', 'token-endpoint', 'refresh'],
    exercises: 'the aud check (Core 3.1.3.7 #3): reject',
    conformance: {
      front: 'reject',
      back: 'reject',
      rule: 'OIDC Core 3.1.3.7 #3: aud must contain your client_id',
      hint: 'audience not checked against your client_id',
    },
    idToken(claims) {
      claims.aud = WRONG_AUDIENCE;
      return true;
    },
  },
  'wrong-issuer': {
    what: "ID tokens carry Togo ID's production issuer instead of the emulator's",
    flows: 'every ID token, authorize response and token endpoint',
    acts: ['authorize-response', 'token-endpoint', 'refresh'],
    exercises: 'the iss check (Core 3.1.3.7 #2): reject',
    conformance: {
      front: 'reject',
      back: 'reject',
      rule: 'OIDC Core 3.1.3.7 #2: iss must be the discovered issuer',
      hint: "issuer not compared with the provider's (issuer validation off)",
    },
    idToken(claims) {
      claims.iss = WRONG_ISSUER;
      return true;
    },
  },
  'wrong-nonce': {
    what: 'ID tokens carry a nonce other than the one you sent',
    flows:
      'every ID token of a request that sent a nonce (implicit and hybrid always, code when it sends one)',
    acts: ['authorize-response', 'token-endpoint', 'refresh'],
    exercises: 'the nonce check (Core 3.1.3.7 #11, 3.2.2.11): reject',
    conformance: {
      front: 'reject',
      back: 'reject',
      needsNonce: true,
      rule: 'OIDC Core 3.1.3.7 #11: nonce must be the one sent in the request',
      hint: 'nonce not compared with the one stored with the request',
    },
    idToken(claims) {
      if (claims.nonce === undefined) return false;
      claims.nonce = WRONG_NONCE;
      return true;
    },
  },
  'bad-signature': {
    what: 'ID tokens are signed with a key that is not the published one, under its kid',
    flows: 'every ID token, authorize response and token endpoint; logout hints still work',
    acts: ['authorize-response', 'token-endpoint', 'refresh'],
    exercises:
      'signature verification: reject (in the code flow only applications that verify token-endpoint ID tokens notice; Core 3.1.3.7 #6 lets them rely on TLS instead)',
    conformance: {
      front: 'reject',
      back: 'reject-or-accept',
      rule: "OIDC Core 3.1.3.7 #6, 3.2.2.11: the signature must verify with the provider's key (the token endpoint's may rely on TLS)",
      hint: 'signature not verified',
    },
    signing: 'stranger-under-published-kid',
  },
  'unknown-kid': {
    what: 'ID tokens name a kid that the JWKS does not have',
    flows: 'every ID token, authorize response and token endpoint; logout hints still work',
    acts: ['authorize-response', 'token-endpoint', 'refresh'],
    exercises:
      'key lookup: refetch the JWKS once, then reject (in the code flow only applications that verify token-endpoint ID tokens notice)',
    conformance: {
      front: 'reject',
      back: 'reject-or-accept',
      rule: "OIDC Core 3.1.3.7 #6, 10.1.1: the key named by kid must be one the provider publishes (the token endpoint's token may rely on TLS)",
      hint: 'signature not verified, or any key accepted when the kid is unknown',
    },
    signing: 'stranger-kid',
  },
  'alg-none': {
    what: 'ID tokens are not signed at all (alg "none")',
    flows: 'every ID token, authorize response and token endpoint; logout hints still work',
    acts: ['authorize-response', 'token-endpoint', 'refresh'],
    exercises:
      'the alg check (Core 3.1.3.7 #7): reject; some applications accept an unsigned token from the token endpoint by design (Core 3.1.3.7 #6)',
    conformance: {
      front: 'reject',
      back: 'reject',
      rule: 'OIDC Core 3.1.3.7 #7: the token must be signed with the algorithm registered (RS256), never none',
      hint: 'the alg header trusted, so an unsigned token passes',
    },
    signing: 'unsigned',
  },
  'missing-at-hash': {
    what: 'ID tokens issued beside an access token have no at_hash',
    flows:
      'implicit "id_token token" and hybrid "code id_token token" (authorize response), and every token endpoint response',
    acts: ['authorize-response', 'token-endpoint', 'refresh'],
    exercises:
      'at_hash is required beside an access token in the authorize response (Core 3.2.2.10, 3.3.2.11): reject there; optional at the token endpoint (3.1.3.6), where accepting is right',
    conformance: {
      front: 'reject',
      back: 'accept',
      frontNeedsAccessToken: true,
      rule: 'OIDC Core 3.2.2.10, 3.3.2.11: at_hash is required beside an access token in the authorize response (optional at the token endpoint, 3.1.3.6)',
      hint: 'at_hash not required beside an access token in the authorize response',
    },
    idToken(claims) {
      // Wherever an access token goes with the ID token.
      if (claims.at_hash === undefined) return false;
      delete claims.at_hash;
      return true;
    },
  },
  'bad-at-hash': {
    what: 'ID tokens carry an at_hash that does not match the access token',
    flows:
      'implicit "id_token token" and hybrid "code id_token token" (authorize response), and every token endpoint response',
    acts: ['authorize-response', 'token-endpoint', 'refresh'],
    exercises: 'access token validation (Core 3.2.2.9, 3.3.2.9, 3.1.3.8): reject',
    conformance: {
      front: 'reject',
      back: 'reject-or-accept',
      frontNeedsAccessToken: true,
      rule: 'OIDC Core 3.2.2.9, 3.3.2.9: at_hash must match the access token (a MAY at the token endpoint, 3.1.3.8)',
      hint: 'at_hash not compared with the access token',
    },
    idToken(claims, { atHash }) {
      if (claims.at_hash === undefined) return false;
      // The hash of another access token: well-formed, and wrong.
      claims.at_hash = atHash('not-the-access-token');
      return true;
    },
  },
  'rotate-keys': {
    what: 'from the second ID token on, a new key signs every token; the JWKS publishes it once it has signed one',
    flows: 'every ID token after the first; logout hints still work',
    acts: ['authorize-response', 'token-endpoint', 'refresh'],
    exercises: 'JWKS refresh on an unknown kid: accept the later tokens after refetching the JWKS',
    conformance: {
      front: 'accept-or-reject',
      back: 'accept-or-reject',
      rule: 'OIDC Core 10.1.1: a client fetches the JWKS again when a token names a key it does not know (it may limit how often: openid-client waits 60 s)',
      hint: 'the JWKS cached with no refetch on an unknown kid, or a refetch cooldown longer than the run',
    },
    signing: 'next-key',
  },
  'slow-discovery': {
    what: 'the discovery document takes 3 seconds to answer',
    flows: 'every flow that starts from discovery',
    acts: ['discovery'],
    exercises: 'timeouts and discovery caching: wait (or retry) and carry on',
    conformance: {
      ...NOT_IN_A_LOGIN,
      notObservable:
        'an application reads the discovery document at its start or caches it; a login in the browser does not wait for it',
    },
    holdsDiscovery: true,
  },
  'error-access-denied': {
    what: 'after sign-in, the login ends with error=access_denied at the redirect URI',
    flows: 'every flow through the authorize endpoint (code, implicit, hybrid)',
    acts: ['sign-in'],
    exercises: 'the error response (RFC 6749 4.1.2.1, with state): show the error, issue no session',
    conformance: {
      front: 'reject',
      back: 'reject',
      rule: 'RFC 6749 4.1.2.1, OIDC Core 3.1.2.6: an error response signs no one in',
      hint: 'the callback signs the user in without reading error',
    },
    endsSignIn: {
      error: 'access_denied',
      error_description: 'The user denied the request (togo mock --fault error-access-denied).',
    },
  },
  'refresh-other-sub': {
    what: 'an ID token from a refresh names another user (another sub)',
    flows: 'the refresh_token grant (clients with refresh tokens: togo-offline, togo-confidential)',
    acts: ['refresh'],
    exercises:
      'the sub check on refresh (OIDC Core 12.2: the same sub as the ID token of the login): refuse the refreshed tokens',
    conformance: {
      ...NOT_IN_A_LOGIN,
      notObservable: 'it acts on a refresh, which a login in the browser does not make',
    },
    idToken(claims, { grantType, otherSub }) {
      if (grantType !== 'refresh_token') return false;
      claims.sub = otherSub;
      return true;
    },
  },
  'wrong-api-audience': {
    what: 'access tokens from client credentials are made out to another API (aud)',
    flows: 'the client_credentials grant (togo-confidential, or a client of --clients)',
    acts: ['client-credentials'],
    exercises: 'the aud check of an API (RFC 9068 4): the API refuses the token',
    conformance: {
      ...NOT_IN_A_LOGIN,
      notObservable:
        'it acts on machine tokens (client credentials), which a login in the browser does not use',
    },
    machineAudience: () => WRONG_API_AUDIENCE,
  },
} as const satisfies Record<string, Fault>;

/** The names `--fault` accepts. */
export type FaultName = keyof typeof FAULTS;

export const FAULT_NAMES = Object.keys(FAULTS) as FaultName[];

/** The entry of a fault, as the common shape (the table itself keeps its literal types). */
export function fault(name: FaultName): Fault {
  return FAULTS[name];
}

/** The faults a login in a browser can meet: what `togo conformance` runs by default. */
export const LOGIN_FAULT_NAMES = FAULT_NAMES.filter((name) =>
  fault(name).acts.some((flow) => LOGIN_FLOWS.includes(flow)),
);

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
  name: FaultName,
  flow: LoginFlow,
): { expected: Expected } | { notRun: string } {
  const c = fault(name).conformance;
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

/** The active faults that have a given hook, in table order. */
export function faultsWith<K extends keyof Fault>(
  active: Iterable<FaultName>,
  hook: K,
): Array<{ name: FaultName; hook: NonNullable<Fault[K]> }> {
  const on = new Set(active);
  const out: Array<{ name: FaultName; hook: NonNullable<Fault[K]> }> = [];
  for (const name of FAULT_NAMES) {
    const value = fault(name)[hook];
    if (on.has(name) && value !== undefined) out.push({ name, hook: value as NonNullable<Fault[K]> });
  }
  return out;
}

/** The keys the active faults sign with besides the published one. */
export function keysNeeded(active: Iterable<FaultName>): { stranger: boolean; next: boolean } {
  const signing = faultsWith(active, 'signing').map((f) => f.hook);
  return {
    stranger: signing.includes('stranger-kid') || signing.includes('stranger-under-published-kid'),
    next: signing.includes('next-key'),
  };
}
