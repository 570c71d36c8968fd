/**
 * panva's openid-client (certified relying party library), used as an application uses it
 * against the emulator: discovery, the authorization URL, the response handed back, userinfo,
 * refresh and end-session. Nothing listens on the redirect URI: the browser's last URL is the answer.
 */
import * as client from 'openid-client';
import { Browser } from './browse.js';

export const REDIRECT_URI = 'http://127.0.0.1:53682/callback';
export const POST_LOGOUT_URI = 'http://127.0.0.1:53682/logged-out';

export type OpenIdClientVariant = 'code' | 'code, non-repudiation' | 'hybrid' | 'implicit';

export interface Login {
  claims: Record<string, unknown>;
  accessToken?: string;
  refreshToken?: string;
  idToken?: string;
  browser: Browser;
}

/** One application: a configuration made from discovery, kept across its logins (with its JWKS cache). */
export async function openIdClientApp(issuer: string, variant: OpenIdClientVariant) {
  const execute = [client.allowInsecureRequests];
  if (variant === 'code, non-repudiation') execute.push(client.enableNonRepudiationChecks);
  if (variant === 'hybrid') execute.push(client.useCodeIdTokenResponseType);
  if (variant === 'implicit') execute.push(client.useIdTokenResponseType);
  // The code flow asks for offline_access: the emulator's togo-cli, like Togo ID, issues no refresh
  // tokens, so that application is registered as togo-offline.
  const clientId = variant === 'code' ? 'togo-offline' : 'togo-cli';
  const config = await client.discovery(new URL(issuer), clientId, undefined, client.None(), {
    execute,
    timeout: 10,
  });

  async function login(): Promise<Login> {
    const browser = new Browser();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const verifier = client.randomPKCECodeVerifier();
    const params: Record<string, string> = {
      redirect_uri: REDIRECT_URI,
      scope: 'openid email profile',
      state,
      nonce,
    };
    if (variant !== 'implicit') {
      params.code_challenge = await client.calculatePKCECodeChallenge(verifier);
      params.code_challenge_method = 'S256';
    }
    if (variant === 'code') {
      params.scope = 'openid email profile offline_access';
      params.prompt = 'consent';
    }
    const page = await browser.open(client.buildAuthorizationUrl(config, params).href, REDIRECT_URI);
    const back = new URL(page.url);
    if (variant === 'implicit') {
      const claims = await client.implicitAuthentication(config, back, nonce, { expectedState: state });
      return { claims, idToken: new URLSearchParams(back.hash.slice(1)).get('id_token') ?? '', browser };
    }
    const tokens = await client.authorizationCodeGrant(config, back, {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims) throw new Error('no ID token claims');
    return {
      claims,
      accessToken: tokens.access_token,
      ...(tokens.refresh_token ? { refreshToken: tokens.refresh_token } : {}),
      ...(tokens.id_token ? { idToken: tokens.id_token } : {}),
      browser,
    };
  }

  return {
    config,
    login,
    userinfo: (accessToken: string, sub: string) => client.fetchUserInfo(config, accessToken, sub),
    refresh: (refreshToken: string) => client.refreshTokenGrant(config, refreshToken),
    /** Signs out with the ID token as hint; returns where the browser ends. */
    async logout(session: Login): Promise<string> {
      const url = client.buildEndSessionUrl(config, {
        id_token_hint: session.idToken ?? '',
        post_logout_redirect_uri: POST_LOGOUT_URI,
      });
      return (await session.browser.open(url.href, POST_LOGOUT_URI)).url;
    },
  };
}
