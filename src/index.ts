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
export { type DecodedToken, decodeToken, extractToken } from './oidc/token.js';
export {
  assertIssuer,
  type Discovery,
  discoveryCandidates,
  fetchDiscovery,
  fetchJwks,
} from './provider/discovery.js';
