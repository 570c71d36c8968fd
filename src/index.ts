/**
 * togo as a library: the same protocol logic the CLI uses, for your own tests and scripts.
 */

export {
  CHECK_STATUSES,
  type Check,
  /** An ID token check is a Check like any other; the name stays for code written against it. */
  type Check as IdTokenCheck,
  type CheckStatus,
  type CheckSummary,
  hasFailure,
  summarize,
  worstFirst,
} from './check.js';
export {
  type ConfigFile,
  type ConfigFlags,
  defaultConfigHome,
  ENV_VARS,
  type EnvironmentDef,
  type EnvironmentInfo,
  type Flavor,
  parseConfigFile,
  type ResolveConfigInput,
  type ResolvedConfig,
  resolveConfig,
  resolveSettings,
  SETTINGS,
  type SettingKey,
  type Settings,
  type Source,
} from './config/index.js';
export { ERROR_CODES, type ErrorCode, EXIT, TogoError } from './errors.js';
export {
  createHttpClient,
  type HttpClient,
  type HttpClientOptions,
  type HttpResponse,
  type JsonResponse,
} from './http/client.js';
export type {
  FaultName,
  MockClientInfo,
  MockClientMetadata,
  MockProvider,
  MockProviderOptions,
  MockUser,
  MockUserInfo,
} from './mock/types.js';
export { type Baseline, compareBaseline, parseBaseline } from './oidc/baseline.js';
export {
  checkDistinctKeys,
  checkExpectations,
  judgeCors,
  judgeProbe,
} from './oidc/check-probes.js';
export { claimAtPath, claimScope, type Expansion, expandClaims, type Organization } from './oidc/claims.js';
export { DISCOVERY_CHECKS, type DiscoveryLintInput, lintDiscovery } from './oidc/discovery-lint.js';
export { type ClaimExpectations, checkClaims, halfHash } from './oidc/id-token-checks.js';
export {
  type InspectedReturnUrl,
  type Inspection,
  inspectUrl,
  type UrlKind,
  type UrlParam,
} from './oidc/inspect-url.js';
export { describeKey, JWKS_CHECKS, type KeySummary, lintJwks, thumbprint } from './oidc/jwks-lint.js';
export {
  type AdvertisedWarning,
  type AuthorizationMetadata,
  advertisedWarnings,
  type ComposedLogin,
  composeLoginUrl,
  encodeParam,
  type LoginRequest,
  type ParamRow,
  type PendingLogin,
  pendingLogin,
} from './oidc/login-url.js';
export { type ComposedLogout, composeLogoutUrl, type LogoutRequest } from './oidc/logout-url.js';
export { codeChallengeS256, newCodeVerifier, newNonce, newState } from './oidc/pkce.js';
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
export { type Inspection as ProviderInspection, inspectProvider } from './provider/inspect.js';

/**
 * Starts a local Togo ID emulator (see `togo mock --help`) and resolves once it listens. Close it
 * with `await mock.close()`. Loaded on demand so the library does not pull in oidc-provider eagerly.
 */
export async function startMockProvider(options: import('./mock/types.js').MockProviderOptions = {}) {
  return (await import('./mock/server.js')).start(options);
}
