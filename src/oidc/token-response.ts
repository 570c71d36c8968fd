/**
 * Judging a token endpoint response (RFC 6749 §5.1, OIDC Core §3.1.3.3), apart from fetching it.
 */

export interface TokenResponse {
  access_token?: string;
  token_type?: string;
  expires_in?: number;
  refresh_token?: string;
  id_token?: string;
  scope?: string;
  [name: string]: unknown;
}

export type TokenVerdict =
  | { ok: true; tokens: TokenResponse; warnings: string[] }
  | { ok: false; problem: string };

export function judgeTokenResponse(
  json: unknown,
  expectIdToken: boolean,
  cacheControl?: string,
): TokenVerdict {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { ok: false, problem: 'the token response is not a JSON object' };
  }
  const t = json as TokenResponse;
  if (typeof t.access_token !== 'string' || t.access_token === '') {
    return { ok: false, problem: 'the token response has no access_token' };
  }
  if (typeof t.token_type !== 'string') return { ok: false, problem: 'the token response has no token_type' };
  if (!/^(bearer|dpop)$/i.test(t.token_type)) {
    return { ok: false, problem: `token_type is ${t.token_type}, not Bearer` };
  }
  if (t.expires_in !== undefined && typeof t.expires_in !== 'number') {
    return { ok: false, problem: 'expires_in is not a number' };
  }
  if (expectIdToken && typeof t.id_token !== 'string') {
    return {
      ok: false,
      problem: 'the token response has no id_token, though the openid scope was requested',
    };
  }
  const warnings: string[] = [];
  if (cacheControl !== undefined && !/no-store/i.test(cacheControl)) {
    warnings.push('the token response is not marked Cache-Control: no-store (RFC 6749 §5.1)');
  }
  return { ok: true, tokens: t, warnings };
}
