import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockProvider } from '../../../src/index.js';
import type { MockProvider } from '../../../src/mock/types.js';
import { runCli } from '../../helpers/run-cli.js';

let mock: MockProvider;
let state: string;
const dirs: string[] = [];

function freshState(): string {
  const dir = mkdtempSync(join(tmpdir(), 'togo-state-'));
  dirs.push(dir);
  return dir;
}

beforeAll(async () => {
  mock = await startMockProvider({ autoLogin: 'joe@m.test' });
  state = freshState();
});
afterAll(async () => {
  await mock.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

// togo-offline: the emulator's public client with refresh tokens (togo-cli, like Togo ID, has none).
const client = (id = 'togo-offline') => ['--issuer', mock.issuer, '--client-id', id];

function run(argv: string[], env: Record<string, string> = {}, dir = state) {
  return runCli(argv, { env: { XDG_STATE_HOME: dir, ...env }, now: Date.now() });
}

async function login(dir: string, extra: string[] = []) {
  return run(
    [
      'login',
      ...client(),
      '--redirect-uri',
      'http://127.0.0.1/callback',
      '--flavor',
      'standard',
      '--response-type',
      'code',
      '--scope',
      'openid email offline_access',
      '--prompt',
      'consent',
      '--headless',
      ...extra,
    ],
    {},
    dir,
  );
}

describe('the session store', () => {
  it('keeps what login verified in the state directory, only the user can read it', async () => {
    const r = await login(state);
    // The login's summary says where its session went.
    expect(r.stdout).toContain(`kept in the store, ${join(state, 'togo')} `);
    expect(r.code).toBe(0);
    const dir = join(state, 'togo');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(statSync(join(dir, files[0] ?? '')).mode & 0o777).toBe(0o600);
  });

  it('lists stored sessions without printing a token', async () => {
    const r = await run(['sessions', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.sessions).toHaveLength(1);
    expect(doc.sessions[0]).toMatchObject({
      issuer: mock.issuer,
      clientId: 'togo-offline',
      sub: expect.any(String),
    });
    expect(doc.sessions[0].tokens).toContain('refresh_token');
    const human = await run(['sessions']);
    expect(human.stdout).toContain(mock.issuer);
    for (const out of [r.stdout, human.stdout, human.stderr]) expect(out).not.toMatch(/eyJ/);
  });

  it('keeps nothing with --no-store', async () => {
    const dir = freshState();
    const r = await login(dir, ['--no-store']);
    expect(r.code).toBe(0);
    expect(() => readdirSync(join(dir, 'togo'))).toThrow();
  });
});

describe('togo token', () => {
  it('prints the stored access token and nothing else, with no request (the provider may be gone)', async () => {
    const gone = await startMockProvider({ autoLogin: 'joe@m.test' });
    const dir = freshState();
    const who = ['--issuer', gone.issuer, '--client-id', 'togo-cli'];
    const l = await run(
      [
        'login',
        ...who,
        '--redirect-uri',
        'http://127.0.0.1/callback',
        '--response-type',
        'id_token token',
        '--headless',
      ],
      {},
      dir,
    );
    expect(l.code).toBe(0);
    await gone.close();
    const r = await run(['token', ...who], {}, dir);
    expect(r.stderr).not.toContain('error');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stdout.trim().length).toBeGreaterThan(20);
    expect(r.stderr).toContain('From the store');
  });

  it('says where the token came from with --json', async () => {
    const r = await run(['token', ...client(), '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      source: 'store',
      issuer: mock.issuer,
      client_id: 'togo-offline',
      token_type: expect.any(String),
      expires_at: expect.any(String),
    });
  });

  it('refreshes when the stored token has less than --min-ttl left, and stores the rotated refresh token', async () => {
    const first = JSON.parse((await run(['token', ...client(), '--json'])).stdout);
    const r = await run(['token', ...client(), '--json', '--min-ttl', '999999']);
    expect(r.stderr).not.toContain('error');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.source).toBe('refresh');
    expect(doc.token).not.toBe(first.token);
    // The new token is served from the store next time.
    const again = JSON.parse((await run(['token', ...client(), '--json'])).stdout);
    expect(again).toMatchObject({ source: 'store', token: doc.token });
  });

  it('two runs at once refresh once: the second reads what the first stored', async () => {
    const [a, b] = await Promise.all([
      run(['token', ...client(), '--json', '--refresh']),
      run(['token', ...client(), '--json', '--refresh']),
    ]);
    expect(a.stderr + b.stderr).not.toContain('error');
    expect([a.code, b.code]).toEqual([0, 0]);
    const sources = [JSON.parse(a.stdout).source, JSON.parse(b.stdout).source].sort();
    expect(sources).toEqual(['refresh', 'store']);
    expect(JSON.parse(a.stdout).token).toBe(JSON.parse(b.stdout).token);
  });

  it('removes the session when the provider refuses a refresh token already used (rotation)', async () => {
    const dir = freshState();
    expect((await login(dir)).code).toBe(0);
    const [name] = readdirSync(join(dir, 'togo'));
    const path = join(dir, 'togo', name ?? '');
    const before = readFileSync(path, 'utf8');
    expect((await run(['token', ...client(), '--refresh'], {}, dir)).code).toBe(0);
    // The old file, with the refresh token the provider rotated away, comes back.
    writeFileSync(path, before, { mode: 0o600 });
    const r = await run(['token', ...client(), '--refresh'], {}, dir);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('invalid_grant');
    expect(r.stdout).toBe('');
    expect(existsSync(path)).toBe(false);
  });

  it('refuses and removes the session when a refresh returns an ID token for another user', async () => {
    const dir = freshState();
    expect((await login(dir)).code).toBe(0);
    const [name] = readdirSync(join(dir, 'togo'));
    const path = join(dir, 'togo', name ?? '');
    const session = JSON.parse(readFileSync(path, 'utf8'));
    writeFileSync(path, JSON.stringify({ ...session, sub: 'someone-else' }), { mode: 0o600 });
    const r = await run(['token', ...client(), '--refresh'], {}, dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('SUB_MISMATCH');
    expect(r.stdout).toBe('');
    expect(existsSync(path)).toBe(false);
  });

  it('takes over a lock left by a run that died', async () => {
    const dir = freshState();
    expect((await login(dir)).code).toBe(0);
    const [name] = readdirSync(join(dir, 'togo'));
    const lock = join(dir, 'togo', `${name}.lock`);
    writeFileSync(lock, '99999\n', { mode: 0o600 });
    const old = new Date(Date.now() - 10 * 60_000);
    utimesSync(lock, old, old);
    const r = await run(['token', ...client(), '--refresh', '--json'], {}, dir);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).source).toBe('refresh');
    expect(existsSync(lock)).toBe(false);
  });

  it('gives up waiting for a lock another run holds, within --timeout, and says which', async () => {
    const dir = freshState();
    expect((await login(dir)).code).toBe(0);
    const [name] = readdirSync(join(dir, 'togo'));
    const lock = join(dir, 'togo', `${name}.lock`);
    writeFileSync(lock, `${process.pid}\n`, { mode: 0o600 });
    const r = await run(['token', ...client(), '--refresh', '--timeout', '1'], {}, dir);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(lock);
    expect(r.stdout).toBe('');
  });

  it('prints a Kubernetes ExecCredential with the ID token', async () => {
    const r = await run(['token', ...client(), '--output', 'exec-credential']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({
      apiVersion: 'client.authentication.k8s.io/v1',
      kind: 'ExecCredential',
      status: { token: expect.stringMatching(/^eyJ/), expirationTimestamp: expect.any(String) },
    });
  });

  it('exits 4 naming the login to run when nothing is stored', async () => {
    const r = await run(['token', ...client()], {}, freshState());
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('SESSION_NOT_FOUND');
    expect(r.stderr).toContain(`togo login --issuer ${mock.issuer} --client-id togo-offline`);
  });

  it('logs in first with --login when nothing is stored, and prints only the token', async () => {
    const dir = freshState();
    const r = await run(
      [
        'token',
        ...client(),
        '--login',
        '--headless',
        '--json',
        '--redirect-uri',
        'http://127.0.0.1/callback',
      ],
      {},
      dir,
    );
    expect(r.stderr).not.toContain('error');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ source: 'login', token: expect.any(String) });
    const again = await run(['token', ...client(), '--json'], {}, dir);
    expect(JSON.parse(again.stdout).source).toBe('store');
  });

  it('gets a machine token with the client_credentials grant', async () => {
    const dir = freshState();
    const r = await run(
      ['token', ...client('togo-confidential'), '--client-credentials', '--scope', 'api:read', '--json'],
      { TOGO_CLIENT_SECRET: 'togo-confidential-secret' },
      dir,
    );
    expect(r.stderr).not.toContain('error');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.source).toBe('client_credentials');
    const payload = JSON.parse(Buffer.from(doc.token.split('.')[1], 'base64url').toString());
    expect(payload).toMatchObject({
      sub: 'togo-confidential',
      client_id: 'togo-confidential',
      scope: 'api:read',
    });
    // The next run is served from the store.
    const again = await run(
      ['token', ...client('togo-confidential'), '--client-credentials', '--json'],
      { TOGO_CLIENT_SECRET: 'togo-confidential-secret' },
      dir,
    );
    expect(JSON.parse(again.stdout)).toMatchObject({ source: 'store', token: doc.token });
  });
});

describe('the session commands and the store', () => {
  it('userinfo uses the stored session when no file is named', async () => {
    const dir = freshState();
    expect((await login(dir)).code).toBe(0);
    const r = await run(['userinfo', ...client()], {}, dir);
    expect(r.stderr).not.toContain('error');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('sub');
  });

  it('revoke of the refresh token removes the stored session', async () => {
    const dir = freshState();
    expect((await login(dir)).code).toBe(0);
    const r1 = await run(['revoke', ...client(), '--use', 'access_token'], {}, dir);
    expect(r1.code).toBe(0);
    expect(r1.stderr).toContain('Removed the access token from the stored session');
    const r2 = await run(['revoke', ...client(), '--use', 'refresh_token'], {}, dir);
    expect(r2.code).toBe(0);
    expect(r2.stderr).toContain('Removed the stored session');
    expect(readdirSync(join(dir, 'togo')).filter((f) => f.endsWith('.json'))).toEqual([]);
  });

  it('logout removes the stored session it ended', async () => {
    const dir = freshState();
    expect((await login(dir)).code).toBe(0);
    const r = await run(['logout', ...client(), '--headless'], {}, dir);
    expect(r.stderr).not.toContain('error');
    expect(r.code).toBe(0);
    expect(readdirSync(join(dir, 'togo')).filter((f) => f.endsWith('.json'))).toEqual([]);
  });
});
