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
export { type Baseline, compareBaseline, parseBaseline } from './oidc/baseline.js';
export {
  type CheckResult,
  type CheckStatus,
  checkDistinctKeys,
  checkExpectations,
  judgeCors,
  judgeProbe,
} from './oidc/checks.js';
export { claimAtPath, claimScope, type Expansion, expandClaims, type Organization } from './oidc/claims.js';
export { DISCOVERY_CHECKS, type DiscoveryLintInput, lintDiscovery } from './oidc/discovery-lint.js';
export type { Finding, Severity } from './oidc/findings.js';
export { describeKey, JWKS_CHECKS, type KeySummary, lintJwks, thumbprint } from './oidc/jwks-lint.js';
export { type DecodedToken, decodeToken, extractToken } from './oidc/token.js';
export {
  assertIssuer,
  type Discovery,
  discoveryCandidates,
  fetchDiscovery,
  fetchJwks,
} from './provider/discovery.js';
export { type Inspection, inspectProvider } from './provider/inspect.js';
