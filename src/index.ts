/**
 * togo as a library: the same protocol logic the CLI uses, for your own tests and scripts.
 */
export { ERROR_CODES, type ErrorCode, EXIT, TogoError } from './errors.js';
export type {
  FaultName,
  MockClientInfo,
  MockClientMetadata,
  MockProvider,
  MockProviderOptions,
  MockUser,
  MockUserInfo,
} from './mock/types.js';
export { claimAtPath, claimScope, type Expansion, expandClaims, type Organization } from './oidc/claims.js';
export { type DecodedToken, decodeToken, extractToken } from './oidc/token.js';

/**
 * Starts a local Togo ID emulator (see `togo mock --help`) and resolves once it listens. Close it
 * with `await mock.close()`. Loaded on demand so the library does not pull in oidc-provider eagerly.
 */
export async function startMockProvider(options: import('./mock/types.js').MockProviderOptions = {}) {
  return (await import('./mock/server.js')).start(options);
}
