/**
 * DPoP (RFC 9449): a binding asked for and not granted is said in the verdict, the key is kept only
 * for a token bound to it, and api and userinfo present a token the way it was issued (token_type).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type HostileProvider, startHostileProvider } from '../helpers/hostile-provider.js';
import { runCli } from '../helpers/run-cli.js';
import { sendJson, startServer, type TestServer } from '../helpers/servers.js';
import { CLIENT, makeKey, NOW, signToken, type TestKey } from '../helpers/tokens.js';

let key: TestKey;
let provider: HostileProvider;
let api: TestServer;
let dir: string;
/** The token_type the provider's token endpoint answers with. */
let tokenType = 'Bearer';
const ACCESS = 'the-access-token';

beforeAll(async () => {
  key = await makeKey('RS256');
  dir = mkdtempSync(join(tmpdir(), 'togo-dpop-'));
  api = await startServer((_req, res) => sendJson(res, { ok: true }));
  provider = await startHostileProvider({
    jwks: () => ({ keys: [key.publicJwk] }),
    metadata: () => ({ dpop_signing_alg_values_supported: ['ES256'] }),
    authorize: (request) => ({ params: { code: 'the-code', state: request.state } }),
    token: async (_form, request) => ({
      body: {
        access_token: ACCESS,
        token_type: tokenType,
        expires_in: 300,
        id_token: await signToken(key, { iss: provider.issuer, aud: CLIENT, nonce: request?.nonce }),
      },
    }),
  });
});
afterAll(async () => {
  await provider.close();
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  api.requests.length = 0;
});

let n = 0;
async function loginWithDpop(answer: string) {
  tokenType = answer;
  const file = join(dir, `session-${++n}.json`);
  const r = await runCli(
    [
      'login',
      '--issuer',
      provider.issuer,
      '--client-id',
      CLIENT,
      '--redirect-uri',
      'http://127.0.0.1/callback',
      '--response-type',
      'code',
      '--flavor',
      'standard',
      '--headless',
      '--dpop',
      // The whole report: the tests read the passed checks too.
      '--verbose',
      '--save',
      file,
    ],
    { now: NOW },
  );
  return { r, file };
}

describe('login --dpop', () => {
  it('against a provider that answers token_type Bearer: the verdict warns, and the key is not kept', async () => {
    const { r, file } = await loginWithDpop('Bearer');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /WARN\s+F7\s+dpop\s+DPoP was asked for, but the provider issued a Bearer access token/,
    );
    expect(r.stdout).toMatch(/Result: VALID \(\d+ warnings?\)/);
    expect(r.stdout).not.toMatch(/Result: VALID\s*$/m);
    expect(JSON.parse(readFileSync(file, 'utf8')).dpop).toBeUndefined();

    const call = await runCli(['api', `${api.origin}/x`, '--session', file, '--use', 'access_token']);
    expect(call.code, call.stderr).toBe(0);
    expect(api.requests[0]?.headers.authorization).toBe(`Bearer ${ACCESS}`);
    expect(api.requests[0]?.headers.dpop).toBeUndefined();
  });

  it('against a provider that binds the token (token_type DPoP): F7 passes, the key is kept and api proves it', async () => {
    const { r, file } = await loginWithDpop('DPoP');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/PASS\s+F7\s+dpop\s+token_type DPoP/);
    expect(JSON.parse(readFileSync(file, 'utf8')).dpop).toBeDefined();

    const call = await runCli(['api', `${api.origin}/x`, '--session', file, '--use', 'access_token']);
    expect(call.code, call.stderr).toBe(0);
    expect(api.requests[0]?.headers.authorization).toBe(`DPoP ${ACCESS}`);
    expect(api.requests[0]?.headers.dpop).toMatch(/^eyJ/);

    // The ID token is never DPoP-bound: it goes as a bearer token, without a proof.
    api.requests.length = 0;
    const id = await runCli(['api', `${api.origin}/x`, '--session', file, '--use', 'id_token']);
    expect(id.code, id.stderr).toBe(0);
    expect(api.requests[0]?.headers.authorization).toMatch(/^Bearer eyJ/);
    expect(api.requests[0]?.headers.dpop).toBeUndefined();
  });
});
