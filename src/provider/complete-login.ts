/**
 * Completing a login from its authorization response: the flow checks (state, RFC 9207 iss), the
 * front-channel ID token, the code exchange with PKCE, the token endpoint's ID token, and that both
 * ID tokens name the same iss and sub. Shared by `togo login` (listener or --headless) and
 * `togo callback` (the split login). The only request it makes is the token request, and only when
 * a code came back: the keys are fetched while the user is logging in.
 */
import { TogoError } from '../errors.js';
import type { HttpClient } from '../http/client.js';
import type { AuthorizationResponse } from '../oidc/callback.js';
import { type ClaimExpansion, expandClaims } from '../oidc/claims.js';
import type { CheckStatus } from '../oidc/id-token-checks.js';
import { show } from '../oidc/show.js';
import { type DecodedToken, decodeToken } from '../oidc/token.js';
import {
  basicAuthorization,
  codeGrantBody,
  judgeTokenResponse,
  type TokenResponse,
} from '../oidc/token-response.js';
import { type KeySource, type Verification, verifyIdToken } from '../oidc/verify.js';

/** What was sent, and so what the response must match. */
export interface PendingRequest {
  issuer: string;
  clientId: string;
  redirectUri: string;
  responseType: string;
  scope: string;
  state: string;
  nonce: string;
  codeVerifier?: string;
  maxAge?: number;
  acrValues?: string[];
}

export interface ProviderState {
  metadata: Record<string, unknown>;
  keys: KeySource;
  allowedAlgs?: string[];
  http: HttpClient;
  /** From TOGO_CLIENT_SECRET only, for confidential clients. */
  clientSecret?: string;
  /** Milliseconds since the epoch. */
  now: () => number;
  clockSkew: number;
}

export interface FlowCheck {
  id: 'F1' | 'F2' | 'F3' | 'F4' | 'F5';
  name: string;
  status: CheckStatus;
  message: string;
  code?: import('../errors.js').ErrorCode;
}

export interface IdTokenReport {
  from: 'authorization response' | 'token endpoint';
  decoded: DecodedToken;
  expansion: ClaimExpansion;
  verification: Verification;
}

export interface AccessTokenSummary {
  tokenType?: string;
  expiresIn?: number;
  scope?: string;
  /** Decoded when the access token is a JWT; opaque tokens are only measured. */
  jwt?: DecodedToken;
  length: number;
}

export interface LoginResult {
  ok: boolean;
  checks: FlowCheck[];
  idTokens: IdTokenReport[];
  accessToken?: AccessTokenSummary;
  /** The raw tokens: printed only when asked (--json, --print) and saved only with --save. */
  tokens: {
    id_token?: string;
    access_token?: string;
    refresh_token?: string;
    token_type?: string;
    expires_in?: number;
    scope?: string;
  };
  warnings: string[];
}

const has = (responseType: string, part: string) => responseType.split(/\s+/).includes(part);

function summariseAccessToken(
  value: string,
  t: { tokenType?: string; expiresIn?: number; scope?: string },
): AccessTokenSummary {
  let jwt: DecodedToken | undefined;
  if (value.split('.').length === 3) {
    try {
      jwt = decodeToken(value);
    } catch {
      jwt = undefined;
    }
  }
  return { ...t, length: value.length, ...(jwt ? { jwt } : {}) };
}

async function report(
  token: string,
  from: IdTokenReport['from'],
  pending: PendingRequest,
  provider: ProviderState,
  extra: { responseType: string; accessToken?: string; code?: string },
): Promise<IdTokenReport> {
  let decoded: DecodedToken;
  try {
    decoded = decodeToken(token);
  } catch (error) {
    // The provider sent it, so it is a failed check of the response (exit 1), not unreadable input
    // from the user (TOKEN_MALFORMED, exit 2).
    if (!(error instanceof TogoError)) throw error;
    throw new TogoError('TOKEN_INVALID', `the ID token from the ${from} is not a JWT: ${error.message}`, {
      hint: 'The provider sent an ID token that cannot be read (D1); nothing from this login is used.',
      cause: error,
      details: { from, code: error.code },
    });
  }
  const verification = await verifyIdToken(decoded, {
    keys: provider.keys,
    issuer: pending.issuer,
    audience: pending.clientId,
    nonce: pending.nonce,
    allowedAlgs: provider.allowedAlgs,
    maxAge: pending.maxAge,
    acrValues: pending.acrValues,
    clockSkew: provider.clockSkew,
    now: provider.now(),
    responseType: extra.responseType,
    accessToken: extra.accessToken,
    code: extra.code,
  });
  return { from, decoded, expansion: expandClaims(decoded.payload), verification };
}

/** POSTs the code to the token endpoint with the PKCE verifier (RFC 6749 §4.1.3, RFC 7636 §4.5). */
async function exchangeCode(
  code: string,
  pending: PendingRequest,
  provider: ProviderState,
): Promise<{ json: unknown; cacheControl?: string }> {
  const endpoint = provider.metadata.token_endpoint;
  if (typeof endpoint !== 'string') {
    throw new TogoError('PROVIDER_ERROR', 'a code came back, but discovery names no token_endpoint', {
      hint: 'The provider cannot complete a code flow; use a response type without code.',
    });
  }
  const methods = provider.metadata.token_endpoint_auth_methods_supported;
  const secret = provider.clientSecret;
  // client_secret_basic is the default method (RFC 8414 §2); use the body only when basic is not offered.
  const basic = secret !== undefined && (!Array.isArray(methods) || methods.includes('client_secret_basic'));
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
    ...(basic ? { authorization: basicAuthorization(pending.clientId, secret) } : {}),
  };
  const body = codeGrantBody({
    code,
    redirectUri: pending.redirectUri,
    clientId: pending.clientId,
    codeVerifier: pending.codeVerifier,
    includeClientId: !basic,
    ...(secret !== undefined && !basic ? { clientSecret: secret } : {}),
  });
  const res = await provider.http.request(endpoint, { method: 'POST', headers, body });
  let json: unknown;
  try {
    json = JSON.parse(res.text);
  } catch {
    json = undefined;
  }
  if (res.status !== 200) {
    const err = json as { error?: string; error_description?: string } | undefined;
    if (err && typeof err.error === 'string') {
      throw new TogoError(
        'LOGIN_PROVIDER_ERROR',
        `the token endpoint refused the code: ${err.error}${err.error_description ? `: ${err.error_description}` : ''}`,
        {
          hint:
            err.error === 'invalid_client'
              ? 'A confidential client needs its secret in TOGO_CLIENT_SECRET; a public one must be registered with no secret.'
              : err.error === 'invalid_grant'
                ? 'The code was used already, expired, or the redirect URI or PKCE verifier differ from the request.'
                : 'See the error the token endpoint sent.',
          details: { status: res.status, error: err.error },
        },
      );
    }
    throw new TogoError(
      'HTTP_STATUS',
      `token endpoint ${endpoint}: HTTP ${res.status}: ${res.text.slice(0, 200)}`,
      {
        details: { status: res.status },
      },
    );
  }
  return { json, cacheControl: res.headers['cache-control'] };
}

export async function completeLogin(
  response: AuthorizationResponse,
  pending: PendingRequest,
  provider: ProviderState,
): Promise<LoginResult> {
  const checks: FlowCheck[] = [];
  const warnings: string[] = [];
  const idTokens: IdTokenReport[] = [];
  const rt = pending.responseType;

  checks.push(
    response.state === pending.state
      ? { id: 'F1', name: 'state', status: 'pass', message: 'state matches the request' }
      : {
          id: 'F1',
          name: 'state',
          status: 'fail',
          code: 'STATE_MISMATCH',
          message: 'state differs from the request',
        },
  );

  // RFC 9207: the issuer identification parameter defends against mix-up between providers.
  if (response.iss !== undefined) {
    checks.push(
      response.iss === pending.issuer
        ? { id: 'F2', name: 'iss', status: 'pass', message: `the response names the issuer ${response.iss}` }
        : {
            id: 'F2',
            name: 'iss',
            status: 'fail',
            code: 'RESPONSE_ISSUER_MISMATCH',
            message: `the response names issuer ${response.iss}, expected ${pending.issuer}`,
          },
    );
  } else if (response.id_token !== undefined) {
    // An ID token in the response names its issuer itself (RFC 9207 §2.4); D2 checks it.
    checks.push({
      id: 'F2',
      name: 'iss',
      status: 'skip',
      message: "no iss parameter; the ID token's iss identifies the issuer (D2)",
    });
  } else if (provider.metadata.authorization_response_iss_parameter_supported === true) {
    checks.push({
      id: 'F2',
      name: 'iss',
      status: 'fail',
      code: 'RESPONSE_ISSUER_MISMATCH',
      message: 'the provider advertises RFC 9207 but the response has no iss',
    });
  } else {
    checks.push({
      id: 'F2',
      name: 'iss',
      status: 'skip',
      message: 'no iss parameter (the provider does not use RFC 9207)',
    });
  }

  const missing = [
    has(rt, 'id_token') && !response.id_token ? 'id_token' : undefined,
    has(rt, 'token') && !response.access_token ? 'access_token' : undefined,
    has(rt, 'code') && !response.code ? 'code' : undefined,
  ].filter(Boolean);
  if (missing.length > 0) {
    checks.push({
      id: 'F3',
      name: 'response',
      status: 'fail',
      code: 'TOKEN_INVALID',
      message: `the response to "${rt}" lacks ${missing.join(' and ')}`,
    });
  }

  if (response.id_token) {
    idTokens.push(
      await report(response.id_token, 'authorization response', pending, provider, {
        responseType: rt,
        accessToken: response.access_token,
        code: response.code,
      }),
    );
  }

  const tokens: LoginResult['tokens'] = {
    ...(response.id_token ? { id_token: response.id_token } : {}),
    ...(response.access_token ? { access_token: response.access_token } : {}),
    ...(response.token_type ? { token_type: response.token_type } : {}),
    ...(response.expires_in && Number.isFinite(Number(response.expires_in))
      ? { expires_in: Number(response.expires_in) }
      : {}),
    ...(response.scope ? { scope: response.scope } : {}),
  };

  const frontOk = !checks.some((c) => c.status === 'fail') && idTokens.every((r) => r.verification.ok);
  if (response.code && has(rt, 'code') && frontOk) {
    const { json, cacheControl } = await exchangeCode(response.code, pending, provider);
    const verdict = judgeTokenResponse(json, pending.scope.split(/\s+/).includes('openid'), cacheControl);
    if (!verdict.ok) {
      checks.push({
        id: 'F3',
        name: 'token response',
        status: 'fail',
        code: 'PROVIDER_ERROR',
        message: verdict.problem,
      });
    } else {
      warnings.push(...verdict.warnings);
      const t: TokenResponse = verdict.tokens;
      checks.push({
        id: 'F3',
        name: 'token response',
        status: 'pass',
        message: `${t.token_type} access token${t.id_token ? ' and an ID token' : ''}${t.refresh_token ? ', a refresh token' : ''}`,
      });
      Object.assign(tokens, {
        access_token: t.access_token,
        token_type: t.token_type,
        ...(t.expires_in !== undefined ? { expires_in: t.expires_in } : {}),
        ...(t.scope ? { scope: t.scope } : {}),
        ...(t.refresh_token ? { refresh_token: t.refresh_token } : {}),
      });
      if (typeof t.id_token === 'string') {
        const back = await report(t.id_token, 'token endpoint', pending, provider, {
          responseType: 'code',
          accessToken: t.access_token,
        });
        idTokens.push(back);
        tokens.id_token = t.id_token;
        const front = idTokens.find((r) => r.from === 'authorization response');
        if (front) {
          // OIDC Core §3.3.3.6: both ID tokens must name the same issuer and subject.
          const same =
            front.decoded.payload.iss === back.decoded.payload.iss &&
            front.decoded.payload.sub === back.decoded.payload.sub;
          checks.push(
            same
              ? {
                  id: 'F4',
                  name: 'same user',
                  status: 'pass',
                  message: 'both ID tokens name the same iss and sub',
                }
              : {
                  id: 'F4',
                  name: 'same user',
                  status: 'fail',
                  code: 'TOKEN_INVALID',
                  message: `the token endpoint's ID token names sub ${show(back.decoded.payload.sub)}, the front channel's ${show(front.decoded.payload.sub)}`,
                },
          );
        }
      }
    }
  }

  const accessToken = tokens.access_token
    ? summariseAccessToken(tokens.access_token, {
        tokenType: tokens.token_type,
        expiresIn: tokens.expires_in,
        scope: tokens.scope,
      })
    : undefined;
  const expectsIdToken = has(rt, 'id_token') || pending.scope.split(/\s+/).includes('openid');
  const ok =
    !checks.some((c) => c.status === 'fail') &&
    idTokens.every((r) => r.verification.ok) &&
    (!expectsIdToken || idTokens.length > 0);
  return { ok, checks, idTokens, ...(accessToken ? { accessToken } : {}), tokens, warnings };
}
