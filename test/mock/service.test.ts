/**
 * `togo mock` as a long-running service: a signing key kept in a file across restarts, a health
 * path for readiness checks, and a session cap that keeps only the latest logins.
 */
import { chmod, chown, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockProvider } from '../../src/index.js';
import { runCli } from '../helpers/run-cli.js';
import { Agent, authorizeUrl, follow, pkcePair, REDIRECT_URI, random } from './flow.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'togo-mock-service-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Description {
  issuer: string;
  jwksUri: string;
  tokenEndpoint: string;
  healthUrl: string;
}

/** `togo mock …` in this process until stop(); resolves once its --json description is out. */
async function serve(args: string[]) {
  const abort = new AbortController();
  let stdout = '';
  let stderr = '';
  let described: (d: Description) => void = () => {};
  const ready = new Promise<Description>((resolve) => {
    described = resolve;
  });
  const writer = (append: (s: string) => void) => ({
    write: (s: string) => {
      append(s);
      return true;
    },
  });
  const { main } = await import('../../src/cli/main.js');
  const { Readable } = await import('node:stream');
  const done = main(['mock', '--json', '--port', '0', ...args], {
    stdout: writer((s) => {
      stdout += s;
      try {
        described(JSON.parse(stdout) as Description);
      } catch {
        // not whole yet
      }
    }),
    stderr: writer((s) => {
      stderr += s;
    }),
    stdin: Readable.from([]) as never,
    env: { XDG_CONFIG_HOME: '/nonexistent-togo-test-config', NO_COLOR: '1' },
    cwd: dir,
    now: () => Date.now(),
    signal: abort.signal,
  });
  const doc = await Promise.race([
    ready,
    done.then((code) => {
      throw new Error(`togo mock exited ${code}: ${stderr}`);
    }),
  ]);
  return {
    doc,
    stderr: () => stderr,
    stop: async () => {
      abort.abort();
      return done;
    },
  };
}

async function jwks(url: string): Promise<{ keys: Array<Record<string, unknown>> }> {
  return (await (await fetch(url)).json()) as { keys: Array<Record<string, unknown>> };
}

/** A code flow login with offline_access through the auto-login user; returns the token response. */
async function codeLogin(issuer: string, tokenEndpoint: string): Promise<Record<string, string>> {
  const { verifier, challenge } = pkcePair();
  const arrival = await follow(
    new Agent(),
    authorizeUrl(issuer, {
      client_id: 'togo-offline',
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      scope: 'openid offline_access',
      prompt: 'consent',
      state: random(),
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }),
    REDIRECT_URI,
  );
  const res = await fetch(tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: arrival.params.get('code') ?? '',
      redirect_uri: REDIRECT_URI,
      client_id: 'togo-offline',
      code_verifier: verifier,
    }),
  });
  const tokens = (await res.json()) as Record<string, string>;
  expect(res.status, JSON.stringify(tokens)).toBe(200);
  return tokens;
}

async function refresh(tokenEndpoint: string, refreshToken: string): Promise<Response> {
  return fetch(tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: 'togo-offline',
    }),
  });
}

describe('togo mock --keys', () => {
  it('publishes the same key set after a restart, so tokens verify against a JWKS pinned from the first run', async () => {
    const file = join(dir, 'keys.json');
    const first = await serve(['--keys', file]);
    const pinned = await jwks(first.doc.jwksUri);
    expect(first.stderr()).toMatch(/signing key [0-9A-F]{40} created in .*keys\.json \(mode 0600\)/);
    expect(await first.stop()).toBe(0);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(await readFile(file, 'utf8')) as { keys: Array<Record<string, unknown>> };
    expect(saved.keys[0]?.kid).toBe(pinned.keys[0]?.kid);

    const second = await serve(['--keys', file, '--auto-login', 'joe@m.test']);
    try {
      expect(second.doc.issuer).not.toBe(first.doc.issuer); // another port: a fresh start
      expect(await jwks(second.doc.jwksUri)).toEqual(pinned);
      expect(second.stderr()).toMatch(/signing key [0-9A-F]{40} from .*keys\.json/);
      const tokens = await codeLogin(second.doc.issuer, second.doc.tokenEndpoint);
      const { protectedHeader } = await jwtVerify(tokens.id_token ?? '', createLocalJWKSet(pinned as never), {
        issuer: second.doc.issuer,
        audience: 'togo-offline',
      });
      expect(protectedHeader.kid).toBe(pinned.keys[0]?.kid);
      expect(protectedHeader.x5t).toBe(pinned.keys[0]?.x5t);
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });

  it('still rotates keys within a run under rotate-keys, and starts again from the file', async () => {
    const keysFile = join(dir, 'rotating.json');
    const implicitKid = async (issuer: string) => {
      const arrival = await follow(
        new Agent(),
        authorizeUrl(issuer, {
          client_id: 'togo-cli',
          redirect_uri: REDIRECT_URI,
          response_type: 'id_token',
          scope: 'openid',
          nonce: random(),
          state: random(),
        }),
        REDIRECT_URI,
      );
      return decodeProtectedHeader(arrival.params.get('id_token') ?? '').kid;
    };
    const options = { keysFile, faults: ['rotate-keys' as const], autoLogin: 'joe@m.test' };
    const mock = await startMockProvider(options);
    let fileKid: unknown;
    try {
      fileKid = (await jwks(mock.jwksUri)).keys[0]?.kid;
      expect(await implicitKid(mock.issuer)).toBe(fileKid);
      const rotated = await implicitKid(mock.issuer);
      expect(rotated).not.toBe(fileKid);
      expect((await jwks(mock.jwksUri)).keys.map((k) => k.kid)).toEqual([fileKid, rotated]);
    } finally {
      await mock.close();
    }
    const again = await startMockProvider(options);
    try {
      expect((await jwks(again.jwksUri)).keys.map((k) => k.kid)).toEqual([fileKid]);
    } finally {
      await again.close();
    }
  });

  it('makes new keys at every start without --keys', async () => {
    const a = await startMockProvider();
    const b = await startMockProvider();
    try {
      expect((await jwks(a.jwksUri)).keys[0]?.kid).not.toBe((await jwks(b.jwksUri)).keys[0]?.kid);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  describe('refuses a keys file that is not safely the user’s own', () => {
    let valid: string;
    beforeAll(async () => {
      const file = join(dir, 'valid.json');
      const mock = await startMockProvider({ keysFile: file });
      await mock.close();
      valid = await readFile(file, 'utf8');
    });

    async function refused(file: string): Promise<string> {
      const r = await runCli(['mock', '--port', '0', '--keys', file], { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('MOCK_KEYS_INVALID');
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
      return r.stderr;
    }

    it('writable by its group', async () => {
      const file = join(dir, 'group-writable.json');
      await writeFile(file, valid);
      await chmod(file, 0o664);
      expect(await refused(file)).toContain('writable by its group (mode 0664); chmod 600 it');
    });

    it('writable by anyone', async () => {
      const file = join(dir, 'world-writable.json');
      await writeFile(file, valid);
      await chmod(file, 0o646);
      expect(await refused(file)).toContain('writable by anyone (mode 0646)');
    });

    it('a symbolic link', async () => {
      const file = join(dir, 'link.json');
      const target = join(dir, 'target.json');
      await writeFile(target, valid, { mode: 0o600 });
      await symlink(target, file);
      expect(await refused(file)).toContain('it is a symbolic link');
    });

    it.runIf(process.getuid?.() === 0)('another user’s (checked when the tests run as root)', async () => {
      const file = join(dir, 'theirs.json');
      await writeFile(file, valid, { mode: 0o600 });
      await chown(file, 4242, 4242);
      expect(await refused(file)).toContain('it belongs to another user (uid 4242)');
    });

    it('not a key set, or a key without its certificate', async () => {
      const notJson = join(dir, 'not-json.json');
      await writeFile(notJson, 'hello', { mode: 0o600 });
      expect(await refused(notJson)).toContain('not JSON');
      const noCert = join(dir, 'no-cert.json');
      const doc = JSON.parse(valid) as { keys: Array<Record<string, unknown>> };
      delete doc.keys[0]?.x5c;
      await writeFile(noCert, JSON.stringify(doc), { mode: 0o600 });
      expect(await refused(noCert)).toContain('no certificate ("x5c")');
    });
  });
});

describe('togo mock as a service', () => {
  it('answers readiness on its health path with what it keeps', async () => {
    const mock = await serve([]);
    try {
      expect(mock.doc.healthUrl).toBe(`${mock.doc.issuer}/health`);
      const res = await fetch(mock.doc.healthUrl);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(await res.json()).toEqual({
        status: 'ok',
        issuer: mock.doc.issuer,
        stored: { sessions: 0, entries: 0, byKind: {} },
        maxSessions: 1000,
      });
      expect((await fetch(mock.doc.healthUrl, { method: 'POST' })).status).toBe(405);
    } finally {
      expect(await mock.stop()).toBe(0);
    }
  });

  it('keeps only the latest --max-sessions logins: the oldest session’s refresh token stops working, --debug says why', async () => {
    const mock = await serve(['--auto-login', 'joe@m.test', '--max-sessions', '2', '--debug']);
    try {
      const logins = [];
      for (let i = 0; i < 3; i++) logins.push(await codeLogin(mock.doc.issuer, mock.doc.tokenEndpoint));
      const health = (await (await fetch(mock.doc.healthUrl)).json()) as {
        stored: { sessions: number; byKind: Record<string, number> };
      };
      // Two sessions with their grant, code and access and refresh tokens; nothing else is kept
      // (not the sign-in that Togo's login page took over from).
      expect(health.stored.sessions).toBe(2);
      expect(Object.keys(health.stored.byKind).sort()).toEqual([
        'AccessToken',
        'AuthorizationCode',
        'Grant',
        'RefreshToken',
        'Session',
      ]);
      const oldest = await refresh(mock.doc.tokenEndpoint, logins[0]?.refresh_token ?? '');
      expect(oldest.status).toBe(400);
      expect(((await oldest.json()) as { error: string }).error).toBe('invalid_grant');
      expect((await refresh(mock.doc.tokenEndpoint, logins[2]?.refresh_token ?? '')).status).toBe(200);
      expect(mock.stderr()).toMatch(
        /session cap \(2\) reached: removed the session unused longest of [\w-]+, with \d+ grants, codes and tokens issued under it/,
      );
    } finally {
      expect(await mock.stop()).toBe(0);
    }
  });

  it('refuses a lifetime or cap of zero as a usage error', async () => {
    for (const flag of ['--session-ttl', '--access-token-ttl', '--max-sessions']) {
      const r = await runCli(['mock', '--port', '0', flag, '0']);
      expect(r.code, flag).toBe(2);
      expect(r.stderr).toContain(`${flag} takes a whole number of at least 1, not "0"`);
    }
  });
});
