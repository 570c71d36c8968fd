import type { Check } from '../check.js';
import { runRules } from '../rule.js';
/**
 * Completing a login from its authorization response: the flow checks (state, RFC 9207 iss), the
 * front-channel ID token, the code exchange with PKCE, the token endpoint's ID token, and that both
 * ID tokens name the same iss and sub. Shared by `togo login` (listener or --headless) and
 * `togo callback` (the split login). The only request it makes is the token request, and only when
 * a code came back: the keys are fetched before the user logs in.
 */

import { TogoError } from '../errors.js';
import type { AuthorizationResponse } from '../oidc/callback.js';
import { type ClaimExpansion, expandClaims } from '../oidc/claims.js';
import { judgeDpopGrant } from '../oidc/dpop.js';
import { FRONT_CHANNEL_RULES, SAME_USER_RULES, TOKEN_RESPONSE_RULES } from '../oidc/flow-rules.js';
import type { SessionTokens } from '../oidc/session-file.js';
import { type DecodedToken, decodeToken } from '../oidc/token.js';
import { judgeTokenResponse, type TokenResponse } from '../oidc/token-response.js';
import { type KeySource, type Verification, verifyIdToken } from '../oidc/verify.js';
import { type BackChannel, postToTokenEndpoint, tokenEndpointFailure } from './token-endpoint.js';

/** What was sent, and so what the response must match. */
export interface PendingRequest {
  issuer: string;
  clientId: string;
  redirectUri: string;
  responseType: string;
  /** As requested; absent means the response type's default. */
  responseMode?: string;
  scope: string;
  state: string;
  /** Absent in the device flow, which sends none. */
  nonce?: string;
  codeVerifier?: string;
  maxAge?: number;
  acrValues?: string[];
}

/** The provider as a login sees it: its back channel (token-endpoint.ts) and how to verify its tokens. */
export interface ProviderState extends BackChannel {
  keys: KeySource;
  allowedAlgs?: string[];
  /** Milliseconds since the epoch. */
  now: () => number;
  clockSkew: number;
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
  checks: Check[];
  idTokens: IdTokenReport[];
  accessToken?: AccessTokenSummary;
  /** The raw tokens: printed only when asked (--json, --print) and saved only with --save. */
  tokens: SessionTokens;
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

/** Redeems the code with the PKCE verifier (RFC 6749 §4.1.3, RFC 7636 §4.5). */
async function exchangeCode(
  code: string,
  pending: PendingRequest,
  provider: ProviderState,
): Promise<{ json: unknown; cacheControl?: string }> {
  const reply = await postToTokenEndpoint(provider, pending.clientId, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: pending.redirectUri,
    ...(pending.codeVerifier ? { code_verifier: pending.codeVerifier } : {}),
  });
  if (reply.status !== 200) throw tokenEndpointFailure(reply, 'the token endpoint refused the code');
  return { json: reply.json, cacheControl: reply.cacheControl };
}

export async function completeLogin(
  response: AuthorizationResponse,
  pending: PendingRequest,
  provider: ProviderState,
): Promise<LoginResult> {
  const checks: Check[] = [];
  const warnings: string[] = [];
  const idTokens: IdTokenReport[] = [];
  const rt = pending.responseType;

  checks.push(
    ...runRules(FRONT_CHANNEL_RULES, {
      response,
      request: pending,
      issParameterSupported: provider.metadata.authorization_response_iss_parameter_supported === true,
    }),
  );

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
    await acceptTokenResponse(
      json,
      cacheControl,
      pending,
      provider,
      { checks, warnings, idTokens, tokens },
      response.code,
    );
  }

  return result(pending, { checks, warnings, idTokens, tokens });
}

interface Collected {
  checks: Check[];
  warnings: string[];
  idTokens: IdTokenReport[];
  tokens: LoginResult['tokens'];
}

/**
 * A token endpoint response (code exchange or device flow): its shape (RFC 6749 §5.1), its ID token
 * verified as a back-channel one, and the same iss and sub as a front-channel ID token, if any.
 */
async function acceptTokenResponse(
  json: unknown,
  cacheControl: string | undefined,
  pending: PendingRequest,
  provider: ProviderState,
  into: Collected,
  /** The code redeemed: a c_hash in the token endpoint's ID token is checked against it (D11). */
  code?: string,
): Promise<void> {
  const { checks, warnings, idTokens, tokens } = into;
  const verdict = judgeTokenResponse(json, pending.scope.split(/\s+/).includes('openid'), cacheControl);
  checks.push(...runRules(TOKEN_RESPONSE_RULES, verdict));
  if (!verdict.ok) return;
  warnings.push(...verdict.warnings);
  const t: TokenResponse = verdict.tokens;
  // RFC 9449 §5: a binding asked for and not granted is said, never passed over.
  if (provider.dpop) {
    const claims = t.access_token ? summariseAccessToken(t.access_token, {}).jwt?.payload : undefined;
    checks.push(...judgeDpopGrant(t.token_type, provider.dpop.key.thumbprint, claims));
  }
  Object.assign(tokens, {
    access_token: t.access_token,
    token_type: t.token_type,
    ...(t.expires_in !== undefined ? { expires_in: t.expires_in } : {}),
    ...(t.scope ? { scope: t.scope } : {}),
    ...(t.refresh_token ? { refresh_token: t.refresh_token } : {}),
  });
  if (typeof t.id_token !== 'string') return;
  const back = await report(t.id_token, 'token endpoint', pending, provider, {
    responseType: 'code',
    accessToken: t.access_token,
    ...(code !== undefined ? { code } : {}),
  });
  idTokens.push(back);
  tokens.id_token = t.id_token;
  const front = idTokens.find((r) => r.from === 'authorization response');
  if (!front) return;
  // OIDC Core §3.3.3.6: both ID tokens must name the same issuer and subject.
  checks.push(...runRules(SAME_USER_RULES, { front: front.decoded.payload, back: back.decoded.payload }));
}

function result(pending: PendingRequest, c: Collected): LoginResult {
  const { tokens } = c;
  const accessToken = tokens.access_token
    ? summariseAccessToken(tokens.access_token, {
        tokenType: tokens.token_type,
        expiresIn: tokens.expires_in,
        scope: tokens.scope,
      })
    : undefined;
  const expectsIdToken =
    has(pending.responseType, 'id_token') || pending.scope.split(/\s+/).includes('openid');
  const ok =
    !c.checks.some((x) => x.status === 'fail') &&
    c.idTokens.every((r) => r.verification.ok) &&
    (!expectsIdToken || c.idTokens.length > 0);
  return { ok, ...c, ...(accessToken ? { accessToken } : {}) };
}

/** The device flow's end (RFC 8628 §3.5): the token response, judged as a code exchange's is. */
export async function completeTokenResponse(
  json: unknown,
  cacheControl: string | undefined,
  pending: PendingRequest,
  provider: ProviderState,
): Promise<LoginResult> {
  const collected: Collected = { checks: [], warnings: [], idTokens: [], tokens: {} };
  await acceptTokenResponse(json, cacheControl, pending, provider, collected);
  return result(pending, collected);
}
