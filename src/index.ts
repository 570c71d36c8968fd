/**
 * togo as a library: the same protocol logic the CLI uses, for your own tests and scripts.
 */
export { ERROR_CODES, type ErrorCode, EXIT, TogoError } from './errors.js';
export { claimAtPath, claimScope, type Expansion, expandClaims, type Organization } from './oidc/claims.js';
export { type DecodedToken, decodeToken, extractToken } from './oidc/token.js';
