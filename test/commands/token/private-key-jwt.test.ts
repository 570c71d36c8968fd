import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, exportPKCS8, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockProvider } from '../../../src/index.js';
import type { MockProvider } from '../../../src/mock/types.js';
import { runCli } from '../../helpers/run-cli.js';

let mock: MockProvider;
let dir: string;
let pemPath: string;
let jwkPath: string;
let otherPath: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'togo-pkjwt-'));
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const pub = { ...(await exportJWK(publicKey)), kid: 'machine-1', use: 'sig', alg: 'ES256' };
  pemPath = join(dir, 'client-key.pem');
  writeFileSync(pemPath, await exportPKCS8(privateKey), { mode: 0o600 });
  jwkPath = join(dir, 'client-key.json');
  writeFileSync(jwkPath, JSON.stringify({ ...(await exportJWK(privateKey)), kid: 'machine-1' }), {
    mode: 0o600,
  });
  const other = await generateKeyPair('ES256', { extractable: true });
  otherPath = join(dir, 'other-key.pem');
  writeFileSync(otherPath, await exportPKCS8(other.privateKey), { mode: 0o600 });
  mock = await startMockProvider({
    clients: [
      {
        client_id: 'machine',
        token_endpoint_auth_method: 'private_key_jwt',
        token_endpoint_auth_signing_alg: 'ES256',
        jwks: { keys: [pub] },
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
      },
    ],
  });
});
afterAll(async () => {
  await mock.close();
  rmSync(dir, { recursive: true, force: true });
});

function run(argv: string[]) {
  return runCli(['token', '--issuer', mock.issuer, '--client-id', 'machine', ...argv], {
    env: { XDG_STATE_HOME: mkdtempSync(join(dir, 'state-')) },
    now: Date.now(),
  });
}

describe('private_key_jwt', () => {
  it('authenticates a client_credentials request with a signed assertion from a PEM key', async () => {
    const r = await run(['--client-credentials', '--client-key', pemPath, '--scope', 'api:read', '--json']);
    expect(r.stderr).not.toContain('error');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ source: 'client_credentials', client_auth: 'private_key_jwt' });
    const payload = JSON.parse(Buffer.from(doc.token.split('.')[1], 'base64url').toString());
    expect(payload).toMatchObject({ sub: 'machine', client_id: 'machine' });
  });

  it('takes the key as a JWK, with its kid', async () => {
    const r = await run([
      '--client-credentials',
      '--client-key',
      jwkPath,
      '--client-auth',
      'private_key_jwt',
    ]);
    expect(r.stderr).not.toContain('error');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('.')).toHaveLength(3);
  });

  it('is refused by the provider when signed with a key the client did not register', async () => {
    const r = await run(['--client-credentials', '--client-key', otherPath]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('invalid_client');
    expect(r.stdout).toBe('');
  });

  it('says what is wrong with a file that is not a private key', async () => {
    const bad = join(dir, 'not-a-key.pem');
    writeFileSync(bad, 'hello', { mode: 0o600 });
    const r = await run(['--client-credentials', '--client-key', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('INPUT_UNREADABLE');
  });
});
