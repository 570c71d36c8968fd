/**
 * togo as a library: the same protocol logic the CLI uses, for your own tests and scripts.
 */
export { ERROR_CODES, type ErrorCode, EXIT, TogoError } from './errors.js';
export {
  createHttpClient,
  type HttpClient,
  type HttpClientOptions,
  type HttpResponse,
  type JsonResponse,
} from './http/client.js';
export { claimAtPath, claimScope, type Expansion, expandClaims, type Organization } from './oidc/claims.js';
export {
  type Check,
  type CheckStatus,
  type ClaimExpectations,
  checkClaims,
  halfHash,
} from './oidc/id-token-checks.js';
export { relativeTime } from './oidc/time.js';
export { type DecodedToken, decodeToken, extractToken } from './oidc/token.js';
export {
  type Jwks,
  type KeySource,
  staticKeys,
  type Verification,
  type VerifyOptions,
  verifyIdToken,
} from './oidc/verify.js';
export {
  assertIssuer,
  type Discovery,
  discoveryCandidates,
  fetchDiscovery,
  fetchJwks,
} from './provider/discovery.js';
