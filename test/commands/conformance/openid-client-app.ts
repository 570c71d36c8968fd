/**
 * A small web application that signs users in with panva's openid-client (code flow with PKCE,
 * state and nonce), as a team would write one: /login starts, /callback finishes and shows
 * "Signed in as <email>", any failure is a 401 page with the library's message.
 *
 * `correct`: openid-client with its non-repudiation checks (the token endpoint's ID token
 * signature verified too). `weakened`: the application takes the ID token out of the token
 * response and checks it itself with jose, forgetting the audience and the nonce — the mistake
 * `togo conformance` must catch. `locks-out`: correct, but after one failed sign-in it refuses every
 * later one (as a lock-out would), so a rejection cannot be told apart from a broken application.
 *
 * The issuer is discovered at the first login, so the application can start before the emulator.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as client from 'openid-client';

export type AppVariant = 'correct' | 'weakened' | 'locks-out';

export interface RunningApp {
  startUrl: string;
  stop(): Promise<void>;
}

interface Pending {
  state: string;
  nonce: string;
  verifier: string;
}

export async function startOpenIdClientApp(issuer: string, variant: AppVariant): Promise<RunningApp> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const origin = `http://127.0.0.1:${port}`;
  const redirectUri = `${origin}/callback`;
  const pending = new Map<string, Pending>();
  let config: client.Configuration | undefined;
  let keys: ReturnType<typeof createRemoteJWKSet> | undefined;
  let lockedOut = false;
  /** The weakened application's own hold on the ID token, taken out of the token response. */
  let stolenIdToken: string | undefined;

  const takeIdToken: typeof fetch = async (url, options) => {
    const res = await fetch(url, options);
    if (!String(url).endsWith('/connect/token') || !res.ok) return res;
    const body = (await res.json()) as Record<string, unknown>;
    stolenIdToken = typeof body.id_token === 'string' ? body.id_token : undefined;
    delete body.id_token;
    return new Response(JSON.stringify(body), {
      status: res.status,
      headers: { 'content-type': 'application/json' },
    });
  };

  async function configuration(): Promise<client.Configuration> {
    if (config) return config;
    const execute = [client.allowInsecureRequests];
    if (variant !== 'weakened') execute.push(client.enableNonRepudiationChecks);
    config = await client.discovery(new URL(issuer), 'togo-cli', undefined, client.None(), { execute });
    if (variant === 'weakened') {
      config[client.customFetch] = takeIdToken as never;
      keys = createRemoteJWKSet(new URL(String(config.serverMetadata().jwks_uri)), { cooldownDuration: 0 });
    }
    return config;
  }

  async function email(callbackUrl: URL, p: Pending): Promise<string> {
    const cfg = await configuration();
    if (lockedOut) throw new Error('account locked after a failed sign-in');
    if (variant !== 'weakened') {
      const tokens = await client.authorizationCodeGrant(cfg, callbackUrl, {
        pkceCodeVerifier: p.verifier,
        expectedState: p.state,
        expectedNonce: p.nonce,
        idTokenExpected: true,
      });
      return String(tokens.claims()?.email);
    }
    await client.authorizationCodeGrant(cfg, callbackUrl, {
      pkceCodeVerifier: p.verifier,
      expectedState: p.state,
    });
    if (!stolenIdToken || !keys) throw new Error('no ID token');
    // The mistake: signature, issuer and expiry checked, but neither audience nor nonce.
    const { payload } = await jwtVerify(stolenIdToken, keys, { issuer: cfg.serverMetadata().issuer });
    return String(payload.email);
  }

  server.on('request', (req, res) => {
    const url = new URL(req.url ?? '/', origin);
    const page = (status: number, text: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers });
      res.end(`<!doctype html><title>app</title><p>${text.replace(/</g, '&lt;')}</p>`);
    };
    (async () => {
      if (url.pathname === '/login') {
        const cfg = await configuration();
        const p: Pending = {
          state: client.randomState(),
          nonce: client.randomNonce(),
          verifier: client.randomPKCECodeVerifier(),
        };
        const id = randomBytes(16).toString('hex');
        pending.set(id, p);
        const target = client.buildAuthorizationUrl(cfg, {
          redirect_uri: redirectUri,
          scope: 'openid email profile',
          state: p.state,
          nonce: p.nonce,
          code_challenge: await client.calculatePKCECodeChallenge(p.verifier),
          code_challenge_method: 'S256',
        });
        res.writeHead(302, {
          location: target.href,
          'set-cookie': `login=${id}; Path=/; HttpOnly; SameSite=Lax`,
        });
        res.end();
        return;
      }
      if (url.pathname === '/callback') {
        const id = /(?:^|;\s*)login=(\w+)/.exec(req.headers.cookie ?? '')?.[1] ?? '';
        const p = pending.get(id);
        pending.delete(id);
        if (!p) return page(400, 'Sign-in failed: no login in progress');
        try {
          return page(200, `Signed in as ${await email(url, p)}`);
        } catch (error) {
          if (variant === 'locks-out') lockedOut = true;
          return page(401, `Sign-in failed: ${(error as Error).message}`);
        }
      }
      page(404, 'Not found');
    })().catch((error: unknown) => page(500, `Application error: ${(error as Error).message}`));
  });

  return {
    startUrl: `${origin}/login`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
