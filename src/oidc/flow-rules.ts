/**
 * The rules of a login flow itself, F1–F4: the authorization response answers this request (state,
 * RFC 9207 iss, the parts the response type asks for), the token endpoint's answer has the shape
 * RFC 6749 §5.1 gives it, and both ID tokens name the same user. How the response arrived (F5, F6)
 * is in transport.ts, the DPoP binding (F7) in dpop.ts. Pure: each rule judges what was received.
 */
import { fail, pass, type Rule, skip, type Verdict } from '../rule.js';
import type { AuthorizationResponse } from './callback.js';
import { show } from './show.js';
import type { TokenVerdict } from './token-response.js';

const NOTHING: readonly Verdict[] = [];

const has = (responseType: string, part: string) => responseType.split(/\s+/).includes(part);

/** An authorization response beside the request it answers. */
export interface FrontChannelInput {
  response: AuthorizationResponse;
  request: { issuer: string; state: string; responseType: string };
  /** The provider's metadata says it sends iss in every authorization response (RFC 9207 §3). */
  issParameterSupported: boolean;
}

export const FRONT_CHANNEL_RULES = [
  {
    id: 'F1',
    spec: 'RFC 6749 §10.12; RFC 9700 §2.1',
    appliesTo: 'authorization response',
    run: ({ response, request }) =>
      response.state === request.state
        ? pass('state matches the request', { name: 'state' })
        : fail('state differs from the request', { name: 'state', code: 'STATE_MISMATCH' }),
  },
  {
    id: 'F2',
    spec: 'RFC 9207 §2.4',
    appliesTo: 'authorization response',
    // The issuer identification parameter defends against mix-up between providers.
    run: ({ response, request, issParameterSupported }) => {
      const name = 'iss';
      if (response.iss !== undefined) {
        return response.iss === request.issuer
          ? pass(`the response names the issuer ${response.iss}`, { name })
          : fail(`the response names issuer ${response.iss}, expected ${request.issuer}`, {
              name,
              code: 'RESPONSE_ISSUER_MISMATCH',
            });
      }
      // An ID token in the response names its issuer itself (RFC 9207 §2.4); D2 checks it.
      if (response.id_token !== undefined) {
        return skip("no iss parameter; the ID token's iss identifies the issuer (D2)", { name });
      }
      return issParameterSupported
        ? fail('the provider advertises RFC 9207 but the response has no iss', {
            name,
            code: 'RESPONSE_ISSUER_MISMATCH',
          })
        : skip('no iss parameter (the provider does not use RFC 9207)', { name });
    },
  },
  {
    id: 'F3',
    spec: 'OAuth 2.0 Multiple Response Types §3; OpenID Connect Core §3.3.2.5',
    appliesTo: 'authorization response',
    run: ({ response, request: { responseType: rt } }) => {
      const missing = [
        has(rt, 'id_token') && !response.id_token ? 'id_token' : undefined,
        has(rt, 'token') && !response.access_token ? 'access_token' : undefined,
        has(rt, 'code') && !response.code ? 'code' : undefined,
      ].filter(Boolean);
      return missing.length > 0
        ? fail(`the response to "${rt}" lacks ${missing.join(' and ')}`, {
            name: 'response',
            code: 'TOKEN_INVALID',
          })
        : NOTHING;
    },
  },
] as const satisfies readonly Rule<FrontChannelInput>[];

export const TOKEN_RESPONSE_RULES = [
  {
    id: 'F3',
    spec: 'RFC 6749 §5.1; OpenID Connect Core §3.1.3.3',
    appliesTo: 'token response',
    run: (verdict) => {
      const name = 'token response';
      if (!verdict.ok) return fail(verdict.problem, { name, code: 'PROVIDER_ERROR' });
      const t = verdict.tokens;
      return pass(
        `${t.token_type} access token${t.id_token ? ' and an ID token' : ''}${t.refresh_token ? ', a refresh token' : ''}`,
        { name },
      );
    },
  },
] as const satisfies readonly Rule<TokenVerdict>[];

/** The claims of the front channel's ID token and of the token endpoint's. */
export interface IdTokenPair {
  front: Record<string, unknown>;
  back: Record<string, unknown>;
}

export const SAME_USER_RULES = [
  {
    id: 'F4',
    spec: 'OpenID Connect Core §3.3.3.6',
    appliesTo: "the front channel's and the token endpoint's ID tokens",
    run: ({ front, back }) =>
      front.iss === back.iss && front.sub === back.sub
        ? pass('both ID tokens name the same iss and sub', { name: 'same user' })
        : fail(
            `the token endpoint's ID token names sub ${show(back.sub)}, the front channel's ${show(front.sub)}`,
            { name: 'same user', code: 'TOKEN_INVALID' },
          ),
  },
] as const satisfies readonly Rule<IdTokenPair>[];
