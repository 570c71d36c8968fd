/**
 * The emulator's public shapes. This file imports nothing at run time, so the library entry can
 * re-export these types without loading oidc-provider.
 */

/** The names `--fault` accepts: the keys of the fault table (FAULTS in faults.ts). */
export type { FaultName } from './faults.js';

import type { FaultName } from './faults.js';

/** One organization membership inside Togo ID's `user` claim. */
export interface MockMembership {
  isAdministrator?: boolean;
  organization: { id: string; name: string };
  roles: Array<{ role: { id: string; name: string } }>;
}

/** Togo ID's custom `user` claim before it is serialised into a string. */
export interface MockUserClaim {
  id: string;
  organizations: MockMembership[];
}

/** A test user as the users file describes it. */
export interface MockUser {
  sub: string;
  email: string;
  password: string;
  email_verified?: boolean;
  given_name?: string;
  family_name?: string;
  name?: string;
  /** An object is serialised to a JSON string, as Togo ID sends it; a string is sent verbatim. */
  user?: MockUserClaim | string;
}

/** Client metadata as oidc-provider takes it (https://github.com/panva/node-oidc-provider). */
export type MockClientMetadata = { client_id: string } & Record<string, unknown>;

export interface MockProviderOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** Replaces the default users. */
  users?: MockUser[];
  /** Registered in addition to the default clients. */
  clients?: MockClientMetadata[];
  /** Sign this user in at once on every login page (email of one of the users). */
  autoLogin?: string;
  faults?: FaultName[];
  /** How long `slow-discovery` holds the discovery document; default 3000 ms. */
  slowDiscoveryMs?: number;
  /** ID token lifetime in seconds; default 300, as IdentityServer. */
  idTokenTtl?: number;
  /** Access token lifetime in seconds; default 3600, as IdentityServer. */
  accessTokenTtl?: number;
  /** Lifetime of sessions, grants and refresh tokens in seconds; default 3600. */
  sessionTtl?: number;
  /** Sessions kept at most (default 1000); past it the one unused longest goes, with its tokens. */
  maxSessions?: number;
  /** How often expired entries are swept out, in milliseconds; default 60000. */
  sweepIntervalMs?: number;
  /**
   * A JSON Web Key Set file holding the signing key and its certificate (x5c): read when it
   * exists, created (mode 0600) when it does not, so every start publishes the same keys.
   * Without it the keys are made anew at every start.
   */
  keysFile?: string;
  /** Called with a one-line description of what the emulator did (login, token issued, fault). */
  onEvent?: (message: string) => void;
  /** Called with what only --debug shows: expired entries swept, sessions evicted by the cap. */
  onDebug?: (message: string) => void;
}

export interface MockClientInfo {
  client_id: string;
  client_secret?: string;
  application_type: string;
  token_endpoint_auth_method: string;
  redirect_uris: string[];
  /** Where RP-initiated logout may send the browser back to (any port for native clients). */
  post_logout_redirect_uris: string[];
  response_types: string[];
  grant_types: string[];
}

export interface MockUserInfo {
  sub: string;
  email: string;
  password: string;
  name?: string;
  organizations: string[];
}

export interface MockProvider {
  /** e.g. http://127.0.0.1:43111/identity */
  issuer: string;
  discoveryUrl: string;
  jwksUri: string;
  /** Togo ID's login page: `${loginUrl}?profile=togo&behaviourProfile=togo&client_id=…&ReturnUrl=…` */
  loginUrl: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  endSessionEndpoint: string;
  /** Answers 200 with a small JSON status once the emulator serves: for readiness checks. */
  healthUrl: string;
  port: number;
  host: string;
  clients: MockClientInfo[];
  users: MockUserInfo[];
  faults: FaultName[];
  autoLogin?: string;
  /**
   * Replaces the active faults while the emulator runs (one instance, the same keys, for a whole
   * series of logins); the next request sees them. An empty list switches every fault off.
   */
  setFaults(faults: readonly FaultName[]): Promise<void>;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}
