/**
 * Client authentication on every call to the provider's back channel (the code exchange, refresh,
 * client credentials, introspection, revocation), against the emulator with two clients registered
 * for the JWT methods: one with private_key_jwt (its RSA public key in `jwks`), one with
 * client_secret_jwt. oidc-provider holds each client to the method it registered, so a test passes
 * only when togo authenticated as asked.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, exportPKCS8, exportSPKI, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockProvider } from '../../../src/index.js';
import type { MockProvider } from '../../../src/mock/types.js';
import { runCli, startBin } from '../../helpers/run-cli.js';
import { Agent, confirmDevice } from '../../mock/flow.js';

const REDIRECT = 'http://127.0.0.1/callback';
/** Long enough for HS512 (oidc-provider checks the length against the algorithm). */
const HMAC_SECRET = 'hmac-app-secret-0123456789abcdef0123456789abcdef0123456789abcdef';

let mock: MockProvider;
let dir: string;
let keyPem: string;
let publicPem: string;

const client = (id: string) => ({
  client_id: id,
  application_type: 'native',
  redirect_uris: [REDIRECT],
  response_types: ['code'],
  grant_types: [
    'authorization_code',
    'refresh_token',
    'client_credentials',
    'urn:ietf:params:oauth:grant-type:device_code',
  ],
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'togo-client-auth-'));
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  keyPem = join(dir, 'key-app.pem');
  writeFileSync(keyPem, await exportPKCS8(privateKey), { mode: 0o600 });
  publicPem = join(dir, 'key-app.pub.pem');
  writeFileSync(publicPem, await exportSPKI(publicKey), { mode: 0o600 });
  mock = await startMockProvider({
    autoLogin: 'joe@m.test',
    clients: [
      {
        ...client('key-app'),
        token_endpoint_auth_method: 'private_key_jwt',
        jwks: { keys: [{ ...(await exportJWK(publicKey)), kid: 'key-app-1', use: 'sig' }] },
      },
      { ...client('hmac-app'), token_endpoint_auth_method: 'client_secret_jwt', client_secret: HMAC_SECRET },
    ],
  });
});
afterAll(async () => {
  await mock.close();
  rmSync(dir, { recursive: true, force: true });
});

function run(argv: string[], state: string, env: Record<string, string> = {}) {
  return runCli(argv, { env: { XDG_STATE_HOME: state, ...env }, now: Date.now(), cwd: dir });
}

const who = (id: string) => ['--issuer', mock.issuer, '--client-id', id];
const login = (id: string, state: string, extra: string[], env: Record<string, string> = {}) =>
  run(
    [
      'login',
      ...who(id),
      '--redirect-uri',
      REDIRECT,
      '--flavor',
      'standard',
      '--response-type',
      'code',
      '--scope',
      'openid email offline_access',
      '--prompt',
      'consent',
      '--headless',
      '--json',
      ...extra,
    ],
    state,
    env,
  );

// Side by side: each test has a state directory of its own (the device flow waits out its interval).
describe.concurrent('private_key_jwt with --client-key', () => {
  const state = () => mkdtempSync(join(dir, 'state-'));

  it('logs in, refreshes, introspects and revokes, each call signed with the key (RS256, as the key is RSA)', async () => {
    const s = state();
    const l = await login('key-app', s, ['--client-key', keyPem]);
    expect(l.code, l.stderr).toBe(0);
    expect(l.stderr).toContain('The client authenticates at the token endpoint with private_key_jwt, RS256.');
    expect(JSON.parse(l.stdout)).toMatchObject({ ok: true, clientAuth: 'private_key_jwt' });

    const r = await run(['token', ...who('key-app'), '--refresh', '--client-key', keyPem, '--json'], s);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ source: 'refresh', client_auth: 'private_key_jwt' });

    const i = await run(['introspect', ...who('key-app'), '--client-key', keyPem, '--json'], s);
    expect(i.code, i.stderr).toBe(0);
    expect(JSON.parse(i.stdout)).toMatchObject({ authMethod: 'private_key_jwt', response: { active: true } });
    expect(i.stderr).toContain('(client authentication: private_key_jwt, RS256)');

    const v = await run(['revoke', ...who('key-app'), '--use', 'refresh_token', '--client-key', keyPem], s);
    expect(v.code, v.stderr).toBe(0);
  });

  it('the device flow: the device authorization request and the polls are signed with the key', async () => {
    const run = startBin(
      [
        'login',
        ...who('key-app'),
        '--device',
        '--scope',
        'openid email',
        '--client-key',
        keyPem,
        '--no-store',
        '--json',
      ],
      {},
    );
    const [, complete] = await run.waitForStderr(/or open (\S+)/);
    expect(run.stderr()).toContain(
      'The client authenticates at the device authorization endpoint with private_key_jwt, RS256.',
    );
    await confirmDevice(new Agent(), complete!);
    expect(await run.exit, run.stderr()).toBe(0);
    expect(JSON.parse(run.stdout())).toMatchObject({ ok: true, clientAuth: 'private_key_jwt' });
  }, 30_000);

  it('a login without the key is refused by the provider at the code exchange', async () => {
    const l = await login('key-app', state(), []);
    expect(l.stderr).toContain('with none (a public client');
    expect(l.stderr).toContain('invalid_client');
    expect(l.code).toBe(4);
  });

  it('--client-auth private_key_jwt without a key names the flag to pass, before anything is sent', async () => {
    const r = await run(
      ['token', ...who('key-app'), '--client-credentials', '--client-auth', 'private_key_jwt'],
      state(),
      { TOGO_CLIENT_SECRET: 'x' },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[SETTING_MISSING] client authentication private_key_jwt needs');
    expect(r.stderr).toContain('--client-key');
  });

  it('a public key, or no file at all, is not a client key', async () => {
    const pub = await run(
      ['token', ...who('key-app'), '--client-credentials', '--client-key', publicPem],
      state(),
    );
    expect(pub.code).toBe(2);
    expect(pub.stderr).toContain('[INPUT_UNREADABLE]');
    expect(pub.stderr).toContain('is not a private key');
    const none = await run(
      ['introspect', ...who('key-app'), '--token', 'x', '--client-key', join(dir, 'missing.pem')],
      state(),
    );
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('[INPUT_UNREADABLE] cannot read the client key');
  });
});

describe('client_secret_jwt', () => {
  const state = () => mkdtempSync(join(dir, 'state-'));
  const secret = { TOGO_CLIENT_SECRET: HMAC_SECRET };

  it('logs in, refreshes, introspects and revokes with assertions signed with the secret', async () => {
    const s = state();
    const jwt = ['--client-auth', 'client_secret_jwt'];
    const l = await login('hmac-app', s, jwt, secret);
    expect(l.code, l.stderr).toBe(0);
    expect(l.stderr).toContain('with client_secret_jwt, HS256.');
    expect(JSON.parse(l.stdout).clientAuth).toBe('client_secret_jwt');
    const r = await run(['token', ...who('hmac-app'), '--refresh', ...jwt, '--json'], s, secret);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ source: 'refresh', client_auth: 'client_secret_jwt' });
    const i = await run(
      ['introspect', ...who('hmac-app'), '--use', 'refresh_token', ...jwt, '--json'],
      s,
      secret,
    );
    expect(i.code, i.stderr).toBe(0);
    expect(JSON.parse(i.stdout)).toMatchObject({
      authMethod: 'client_secret_jwt',
      response: { active: true, client_id: 'hmac-app' },
    });
    const v = await run(['revoke', ...who('hmac-app'), '--use', 'refresh_token', ...jwt], s, secret);
    expect(v.code, v.stderr).toBe(0);
    for (const out of [l.stdout, l.stderr, r.stdout, r.stderr, i.stdout, i.stderr]) {
      expect(out).not.toContain(HMAC_SECRET);
    }
  });

  it('gets a client_credentials token for the client', async () => {
    const t = await run(
      ['token', ...who('hmac-app'), '--client-credentials', '--client-auth', 'client_secret_jwt', '--json'],
      state(),
      secret,
    );
    expect(t.code, t.stderr).toBe(0);
    const doc = JSON.parse(t.stdout);
    expect(doc).toMatchObject({ source: 'client_credentials', client_auth: 'client_secret_jwt' });
    const payload = JSON.parse(Buffer.from(doc.token.split('.')[1], 'base64url').toString());
    expect(payload).toMatchObject({ sub: 'hmac-app', client_id: 'hmac-app' });
  });

  it('a wrong secret is refused by the provider', async () => {
    const r = await run(
      ['token', ...who('hmac-app'), '--client-credentials', '--client-auth', 'client_secret_jwt'],
      state(),
      { TOGO_CLIENT_SECRET: `${HMAC_SECRET}-wrong` },
    );
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('invalid_client');
    expect(r.stdout).toBe('');
  });

  it('without --client-auth, the first method the provider lists is used, and the hint names --client-auth when the client registered another', async () => {
    const r = await run(['token', ...who('hmac-app'), '--client-credentials'], state(), secret);
    expect(r.stderr).toContain('client_credentials; client authentication: client_secret_basic');
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('invalid_client');
    expect(r.stderr).toContain('--client-auth');
  });
});
