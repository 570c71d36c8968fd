/**
 * A togo.config.json in the current directory (a cloned repository, say) is named whenever it
 * supplies settings, cannot redefine the built-in environments, and cannot choose the issuer that
 * receives TOGO_CLIENT_SECRET unless the user confirms with --trust-directory-config.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProvider } from '../helpers/providers.js';
import { runCli } from '../helpers/run-cli.js';
import { sendJson, startServer, type TestServer } from '../helpers/servers.js';
import { CLIENT, makeKey, NOW, signToken } from '../helpers/tokens.js';

let repo: string;
let home: string;
let attacker: TestServer;
/** Every form body the attacker's token and introspection endpoints received. */
const received: string[] = [];

beforeAll(async () => {
  attacker = await startServer((req, res, self) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      if (req.url === '/.well-known/openid-configuration') {
        return sendJson(res, {
          issuer: self.origin,
          authorization_endpoint: `${self.origin}/authorize`,
          token_endpoint: `${self.origin}/token`,
          introspection_endpoint: `${self.origin}/introspect`,
          jwks_uri: `${self.origin}/jwks`,
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
        });
      }
      if (req.url === '/jwks') return sendJson(res, { keys: [] });
      received.push(`${req.url} ${req.headers.authorization ?? ''} ${body}`);
      sendJson(res, { active: false });
    });
  });
  repo = await mkdtemp(join(tmpdir(), 'togo-cloned-repo-'));
  home = await mkdtemp(join(tmpdir(), 'togo-user-config-'));
  await writeFile(
    join(repo, 'togo.config.json'),
    JSON.stringify({
      defaultEnvironment: 'dev',
      environments: {
        dev: { issuer: attacker.origin, clientId: 'app', redirectUri: 'http://127.0.0.1/callback' },
      },
    }),
  );
});
afterAll(async () => {
  await attacker.close();
  await rm(repo, { recursive: true, force: true });
  await rm(home, { recursive: true, force: true });
});

const SECRET = 'the-real-client-secret';
const inRepo = (argv: string[], env: Record<string, string> = {}) =>
  runCli(argv, { cwd: repo, env: { XDG_CONFIG_HOME: home, ...env } });

describe('directory configuration', () => {
  it('says which config file supplied settings, once, on stderr', async () => {
    const r = await inRepo(['login-url']);
    expect(r.code).toBe(0);
    const path = join(repo, 'togo.config.json');
    const mentions = r.stderr.split(path).length - 1;
    expect(mentions).toBe(1);
    expect(r.stderr).toContain(`Using settings from ${path} (found in the current directory)`);
  });

  it('--quiet silences the note, and --json always carries the file as a field', async () => {
    const q = await inRepo(['login-url', '--quiet']);
    expect(q.stderr).not.toContain('togo.config.json');
    const j = await inRepo(['config', '--json', '--quiet']);
    expect(JSON.parse(j.stdout).configFiles).toEqual([
      { path: join(repo, 'togo.config.json'), origin: 'directory' },
    ]);
  });

  it('no note and no field when no config file supplies anything', async () => {
    const r = await runCli(['config', '--json'], { env: { TOGO_ISSUER: 'https://idp.example' } });
    expect(r.stderr).not.toContain('Using settings from');
    expect(JSON.parse(r.stdout).configFiles).toBeUndefined();
  });

  it('a file cannot redefine the built-in togo-production, togo-staging or mock', async () => {
    for (const name of ['togo-production', 'togo-staging', 'mock']) {
      const dir = await mkdtemp(join(tmpdir(), 'togo-redefine-'));
      await writeFile(
        join(dir, 'togo.config.json'),
        JSON.stringify({ environments: { [name]: { issuer: 'https://evil.example' } } }),
      );
      const r = await runCli(['config', '--env', name], { cwd: dir });
      expect(r.code, name).toBe(2);
      expect(r.stderr).toContain('[CONFIG_INVALID]');
      expect(r.stderr).toContain('built-in environment');
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('TOGO_CLIENT_SECRET is never sent to an issuer a directory config chose (introspect)', async () => {
    received.length = 0;
    const r = await inRepo(['introspect', '--token', 'some-access-token'], { TOGO_CLIENT_SECRET: SECRET });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[SECRET_ISSUER_UNTRUSTED]');
    expect(r.stderr).toContain('--trust-directory-config');
    expect(received.join('\n')).not.toContain(SECRET);
    expect(received.join('\n')).not.toContain(Buffer.from(`app:${SECRET}`).toString('base64'));
  });

  it('the same for login, before anything goes on the network', async () => {
    received.length = 0;
    const r = await inRepo(['login', '--headless'], { TOGO_CLIENT_SECRET: SECRET });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[SECRET_ISSUER_UNTRUSTED]');
    expect(received).toEqual([]);
  });

  it('the same for a split login: togo callback on a pending login whose issuer a directory config chose', async () => {
    const pending = join(repo, 'pending.json');
    const composed = await inRepo(['login-url', '--save', pending, '--response-type', 'code']);
    expect(composed.code, composed.stderr).toBe(0);
    const { state } = JSON.parse(await readFile(pending, 'utf8'));
    received.length = 0;
    const r = await inRepo(
      ['callback', `http://127.0.0.1/callback?state=${state}&code=the-code`, '--pending', pending],
      { TOGO_CLIENT_SECRET: SECRET },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[SECRET_ISSUER_UNTRUSTED]');
    expect(received).toEqual([]);
  });

  it('with --trust-directory-config the user confirms, and the secret goes there', async () => {
    received.length = 0;
    const r = await inRepo(['introspect', '--token', 'some-access-token', '--trust-directory-config'], {
      TOGO_CLIENT_SECRET: SECRET,
    });
    expect(r.stderr).not.toContain('SECRET_ISSUER_UNTRUSTED');
    const sent = received.join('\n');
    expect(sent.includes(SECRET) || sent.includes(Buffer.from(`app:${SECRET}`).toString('base64'))).toBe(
      true,
    );
  });

  it('an issuer the user named (flag, TOGO_ISSUER, their own config) still gets the secret', async () => {
    received.length = 0;
    const r = await inRepo(['introspect', '--token', 'at', '--issuer', attacker.origin], {
      TOGO_CLIENT_SECRET: SECRET,
    });
    expect(r.stderr).not.toContain('SECRET_ISSUER_UNTRUSTED');
    expect(received.join('\n')).toContain('/introspect');
    const mine = await mkdtemp(join(tmpdir(), 'togo-my-config-'));
    await writeFile(
      join(mine, 'togo.config.json'),
      JSON.stringify({ defaultEnvironment: 'work', environments: { work: { issuer: attacker.origin } } }),
    );
    const own = await runCli(['introspect', '--token', 'at'], {
      cwd: mine,
      env: { TOGO_CLIENT_SECRET: SECRET, TOGO_CONFIG: join(mine, 'togo.config.json') },
    });
    expect(own.stderr).not.toContain('SECRET_ISSUER_UNTRUSTED');
    await rm(mine, { recursive: true, force: true });
  });

  it('togo config shows the secret as withheld and names the file', async () => {
    const r = await inRepo(['config'], { TOGO_CLIENT_SECRET: SECRET });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('withheld');
    expect(r.stdout).not.toContain(SECRET);
  });
});

describe('a directory config and the verdict', () => {
  it('says which file chose the issuer a token is verified against, reading it once', async () => {
    const key = await makeKey('RS256', 'repo-1');
    const provider = await startProvider({ keys: [key.publicJwk] });
    const cloned = await mkdtemp(join(tmpdir(), 'togo-cloned-repo-'));
    try {
      const file = join(cloned, 'togo.config.json');
      await writeFile(
        file,
        JSON.stringify({
          defaultEnvironment: 'dev',
          environments: { dev: { issuer: provider.issuer, clientId: CLIENT } },
        }),
      );
      const token = await signToken(key, { iss: provider.issuer });
      const r = await runCli(['decode', token, '--verify'], { now: NOW, cwd: cloned });
      expect(r.stderr).toContain(`Using settings from ${file} (found in the current directory).`);
      expect(r.stderr).toContain(`Verifying against ${provider.issuer} (${file}`);
      // Read once: the file is named once.
      expect(r.stderr.split('Using settings from').length).toBe(2);
    } finally {
      await provider.close();
      await rm(cloned, { recursive: true, force: true });
    }
  });
});
