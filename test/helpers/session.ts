/**
 * Real tokens from the real emulator for the session commands' tests: logins completed with the
 * cookie-jar agent of test/mock/flow.ts, and session files as `togo login --save` writes them.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIDENTIAL_SECRET } from '../../src/mock/clients.js';
import type { MockProvider } from '../../src/mock/types.js';
import { Agent, authorizeUrl, follow, pkcePair, REDIRECT_URI, random, signInWith } from '../mock/flow.js';

export interface Tokens {
  id_token: string;
  access_token?: string;
  refresh_token?: string;
  token_type?: string;
  expires_in?: number;
  scope?: string;
}

/** `id_token token` for the public client togo-cli: auto-login, or signing in as `signIn`. */
export async function implicitTokens(
  mock: MockProvider,
  signIn?: { email: string; password?: string },
): Promise<Tokens> {
  const arrival = await follow(
    new Agent(),
    authorizeUrl(mock.issuer, {
      client_id: 'togo-cli',
      nonce: random(),
      redirect_uri: REDIRECT_URI,
      response_type: 'id_token token',
      scope: 'openid email profile',
      state: random(),
    }),
    REDIRECT_URI,
    signIn ? signInWith(signIn.email, signIn.password ?? 'togo-mock') : undefined,
  );
  const p = arrival.params;
  return {
    id_token: p.get('id_token') ?? '',
    access_token: p.get('access_token') ?? '',
    token_type: 'Bearer',
    scope: p.get('scope') ?? 'openid email profile',
  };
}

/** The code flow for the confidential client togo-confidential, refresh token included. */
export async function confidentialTokens(mock: MockProvider): Promise<Tokens> {
  const { verifier, challenge } = pkcePair();
  const arrival = await follow(
    new Agent(),
    authorizeUrl(mock.issuer, {
      client_id: 'togo-confidential',
      nonce: random(),
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      scope: 'openid email profile offline_access',
      prompt: 'consent',
      state: random(),
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }),
    REDIRECT_URI,
  );
  const code = arrival.params.get('code');
  if (!code) throw new Error(`no code: ${arrival.url}`);
  const res = await fetch(mock.tokenEndpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`togo-confidential:${CONFIDENTIAL_SECRET}`).toString('base64')}`,
    },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
    }),
  });
  const json = (await res.json()) as Tokens;
  if (res.status !== 200) throw new Error(`token endpoint: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** A session file as `togo login --save` writes it, mode 0600. */
export function writeSession(
  dir: string,
  mock: MockProvider,
  tokens: Partial<Tokens>,
  clientId = 'togo-cli',
  name = 'session.json',
): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    JSON.stringify({
      version: 1,
      issuer: mock.issuer,
      clientId,
      obtainedAt: new Date().toISOString(),
      tokens: { token_type: 'Bearer', ...tokens },
    }),
  );
  chmodSync(path, 0o600);
  return path;
}

export { CONFIDENTIAL_SECRET };
