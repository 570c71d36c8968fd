/**
 * One gate for everything that leaves the machine with a credential (TOGO_CLIENT_SECRET, access and
 * refresh tokens, an ID token as a hint, a PKCE verifier with a code): it goes only to endpoints of
 * the pinned issuer's own discovery document. A file is data: a session, a token file, a pending
 * login or a discovery document that names another issuer, or that is not the user's own, is
 * refused before anything goes on the network. An https issuer's endpoints must be https. Client
 * assertions (private_key_jwt with --client-key, client_secret_jwt) pass the same gate.
 *
 * Every case runs against a real local server that records every request it receives: a refusal
 * counts only if nothing reached it.
 */
import { chmodSync, chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CryptoKey, exportPKCS8, generateKeyPair, jwtVerify } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CliResult, runCli } from '../helpers/run-cli.js';
import { selfSignedCert, sendJson, startServer } from '../helpers/servers.js';

const SECRET = 'client-secret-never-leaves';
const ACCESS = 'access-token-never-leaves';
const REFRESH = 'refresh-token-never-leaves';
const ID_TOKEN = `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from(
  '{"sub":"joe","iss":"x"}',
).toString('base64url')}.c2ln`;
const REDIRECT = 'http://127.0.0.1/callback';
const PRODUCTION = 'https://id2.runswithtogo.com/identity';

/** What a provider publishes, every endpoint under `base`. */
function documentFor(issuer: string, base = issuer): Record<string, unknown> {
  return {
    issuer,
    authorization_endpoint: `${base}/authorize`,
    token_endpoint: `${base}/token`,
    userinfo_endpoint: `${base}/userinfo`,
    introspection_endpoint: `${base}/introspect`,
    revocation_endpoint: `${base}/revoke`,
    end_session_endpoint: `${base}/endsession`,
    device_authorization_endpoint: `${base}/device`,
    pushed_authorization_request_endpoint: `${base}/par`,
    jwks_uri: `${base}/jwks`,
    response_types_supported: ['code'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
  };
}

/** A server that answers like a provider and keeps every request with its body. */
async function recordingProvider(tls?: Parameters<typeof startServer>[1]) {
  const seen: string[] = [];
  let doc: ((origin: string) => Record<string, unknown>) | undefined;
  const server = await startServer((req, res, self) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''} ${body}`);
      if (req.url === '/.well-known/openid-configuration') {
        return sendJson(res, doc ? doc(self.origin) : documentFor(self.origin));
      }
      if (req.url === '/jwks') return sendJson(res, { keys: [] });
      if (req.url?.startsWith('/authorize?')) {
        // Signs the user in at once: back to the redirect URI with a code and the request's state.
        const q = new URL(req.url, self.origin).searchParams;
        const back = new URL(q.get('redirect_uri') ?? REDIRECT);
        back.searchParams.set('code', 'the-code');
        back.searchParams.set('state', q.get('state') ?? '');
        res.writeHead(302, { location: back.href });
        return res.end();
      }
      if (req.url === '/userinfo') return sendJson(res, { sub: 'joe' });
      if (req.url === '/par') return sendJson(res, { request_uri: 'urn:x', expires_in: 60 }, 201);
      sendJson(res, { active: true });
    });
  }, tls);
  return {
    server,
    seen,
    setDocument(f: ((origin: string) => Record<string, unknown>) | undefined) {
      doc = f;
    },
  };
}

let dir: string;
let attacker: Awaited<ReturnType<typeof recordingProvider>>;
let legit: Awaited<ReturnType<typeof recordingProvider>>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'togo-gate-'));
  attacker = await recordingProvider();
  legit = await recordingProvider();
});
afterAll(async () => {
  await attacker.server.close();
  await legit.server.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  attacker.seen.length = 0;
  legit.seen.length = 0;
});

let n = 0;
/** A file as a test plants it: its text, its mode, and whose it is. */
function plant(text: string, mode: number, uid?: number): string {
  const path = join(dir, `file-${++n}.json`);
  writeFileSync(path, text);
  chmodSync(path, mode);
  if (uid !== undefined) chownSync(path, uid, uid);
  return path;
}

const session = (issuer: string) =>
  JSON.stringify({
    version: 1,
    issuer,
    clientId: 'app',
    tokens: { access_token: ACCESS, refresh_token: REFRESH, id_token: ID_TOKEN, token_type: 'Bearer' },
  });

const run = (args: string[], env: Record<string, string> = {}) =>
  runCli(args, { env: { TOGO_CLIENT_SECRET: SECRET, ...env }, cwd: dir });

function expectRefused(r: CliResult, code: string, ...mentions: string[]) {
  expect(r.stderr).toContain(`[${code}]`);
  expect(r.code).toBe(code === 'ENDPOINT_INSECURE' ? 3 : 2);
  expect(r.stderr).toMatch(/hint: /);
  for (const m of mentions) expect(r.stderr).toContain(m);
  expect(attacker.seen, 'nothing reached the other server').toEqual([]);
  for (const secret of [SECRET, ACCESS, REFRESH]) {
    expect(r.stdout + r.stderr).not.toContain(secret);
  }
}

/** The session commands, each with what it needs beside its token source. */
const SESSION_COMMANDS: [string, string[]][] = [
  ['introspect', ['introspect', '--client-id', 'app']],
  ['revoke', ['revoke', '--client-id', 'app']],
  ['userinfo', ['userinfo']],
  ['logout-url', ['logout-url', '--client-id', 'app']],
];

describe('a session-shaped file that names another issuer never sends its tokens or the secret there', () => {
  for (const [name, args] of SESSION_COMMANDS) {
    it(`${name} --token-file: a token file is read for its tokens only, even the user's own`, async () => {
      const f = plant(session(attacker.server.origin), 0o600);
      expectRefused(await run([...args, '--token-file', f]), 'FILE_NOT_TRUSTED', f, attacker.server.origin);
    });

    it(`${name} --session: a file others can read is not the user's own`, async () => {
      const f = plant(session(attacker.server.origin), 0o644);
      expectRefused(await run([...args, '--session', f]), 'FILE_NOT_TRUSTED', f, 'mode 644');
    });

    it(`${name} --session: another user's file`, async () => {
      // The suite runs as root (see secret-files.test.ts), so it can hand the file to nobody.
      const f = plant(session(attacker.server.origin), 0o600, 65534);
      expectRefused(await run([...args, '--session', f]), 'FILE_NOT_TRUSTED', f, 'another user');
    });

    it(`${name} --session: the user's own session issued elsewhere than the issuer named for this run`, async () => {
      const f = plant(session(attacker.server.origin), 0o600);
      const r = await run([...args, '--session', f, '--issuer', legit.server.origin]);
      expectRefused(r, 'FILE_NOT_TRUSTED', f, legit.server.origin);
      expect(legit.seen).toEqual([]);
    });
  }

  it("the user's own session file (mode 600) chooses its issuer, and narration names that issuer", async () => {
    // The control: the same recorder does see a request the gate lets through.
    const f = plant(session(attacker.server.origin), 0o600);
    const r = await run(['introspect', '--client-id', 'app', '--session', f]);
    expect(r.code, r.stderr).toBe(0);
    expect(attacker.seen.some((s) => s.startsWith('POST /introspect Basic '))).toBe(true);
    expect(r.stderr).toContain(`Using ${attacker.server.origin}, the issuer of the session file ${f}`);
    expect(r.stderr).not.toContain('Nothing configured');
  });

  it('a session file that names the issuer in effect is used as data, whoever wrote it', async () => {
    const f = plant(session(legit.server.origin), 0o644);
    const r = await run(['userinfo', '--session', f, '--issuer', legit.server.origin]);
    expect(r.code, r.stderr).toBe(0);
    expect(legit.seen.some((s) => s.startsWith(`GET /userinfo Bearer ${ACCESS}`))).toBe(true);
  });
});

describe('session commands name the issuer they use', () => {
  for (const [name, args] of SESSION_COMMANDS) {
    it(`${name} --session names the session's issuer, never the default environment`, async () => {
      const f = plant(session(attacker.server.origin), 0o600);
      const r = await run([...args, '--session', f]);
      expect(r.stderr).toContain(`Using ${attacker.server.origin}, the issuer of the session file`);
      expect(r.stderr).not.toContain('togo-production');
      expect(attacker.seen.some((s) => s.includes('/.well-known/openid-configuration'))).toBe(true);
    });
  }

  it('api --session does not claim to use an environment (it calls the URL it is given)', async () => {
    const f = plant(session(attacker.server.origin), 0o600);
    const r = await run(['api', '--session', f, `${legit.server.origin}/x`]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('Nothing configured');
  });
});

describe('a pending login togo did not write cannot choose where its code and the secret go', () => {
  const pending = (issuer: string) =>
    JSON.stringify({
      kind: 'togo-pending-login',
      version: 1,
      createdAt: '2025-01-01T00:00:00Z',
      issuer,
      clientId: 'app',
      redirectUri: REDIRECT,
      responseType: 'code',
      scope: 'openid',
      state: 'state-of-the-pending-login',
      nonce: 'nonce-1',
      codeVerifier: 'v'.repeat(43),
      url: `${issuer}/authorize`,
    });
  const redirect = `${REDIRECT}?code=the-code&state=state-of-the-pending-login`;

  it('a pending login others can read', async () => {
    const f = plant(pending(attacker.server.origin), 0o644);
    expectRefused(await run(['callback', redirect, '--pending', f]), 'FILE_NOT_TRUSTED', f, 'mode 644');
  });

  it("another user's pending login", async () => {
    const f = plant(pending(attacker.server.origin), 0o600, 65534);
    expectRefused(await run(['callback', redirect, '--pending', f]), 'FILE_NOT_TRUSTED', f, 'another user');
  });

  it("the user's own pending login issued for another issuer than TOGO_ISSUER names", async () => {
    const f = plant(pending(attacker.server.origin), 0o600);
    const r = await run(['callback', redirect, '--pending', f], { TOGO_ISSUER: legit.server.origin });
    expectRefused(r, 'FILE_NOT_TRUSTED', f, legit.server.origin);
    expect(legit.seen).toEqual([]);
  });

  it("the user's own pending login (mode 600, as login-url --save writes it) is redeemed at its issuer", async () => {
    const f = plant(pending(attacker.server.origin), 0o600);
    await run(['callback', redirect, '--pending', f]);
    expect(attacker.seen.some((s) => s.startsWith('POST /token') && s.includes('the-code'))).toBe(true);
  });
});

describe('a discovery file cannot send the pushed request (and the secret) elsewhere', () => {
  const loginUrl = (file: string) =>
    run([
      'login-url',
      '--env',
      'togo-production',
      '--flavor',
      'standard',
      '--client-id',
      'app',
      '--redirect-uri',
      REDIRECT,
      '--par',
      '--discovery-file',
      file,
    ]);

  it('a document others can read, naming the right issuer and a PAR endpoint elsewhere', async () => {
    const f = plant(JSON.stringify(documentFor(PRODUCTION, attacker.server.origin)), 0o644);
    expectRefused(await loginUrl(f), 'FILE_NOT_TRUSTED', f, 'mode 644');
  });

  it('a document of the user naming another issuer', async () => {
    const f = plant(JSON.stringify(documentFor(attacker.server.origin)), 0o600);
    expectRefused(await loginUrl(f), 'FILE_NOT_TRUSTED', f, attacker.server.origin, PRODUCTION);
  });

  it("the user's own document for the right issuer whose PAR endpoint is plain http", async () => {
    const f = plant(JSON.stringify(documentFor(PRODUCTION, attacker.server.origin)), 0o600);
    expectRefused(await loginUrl(f), 'ENDPOINT_INSECURE', 'pushed_authorization_request_endpoint');
  });
});

describe('an https issuer whose document names plain-http endpoints', () => {
  let tls: ReturnType<typeof selfSignedCert>;
  let provider: Awaited<ReturnType<typeof recordingProvider>>;
  /** The https provider's document with one field pointed at the plain-http recorder. */
  const pointing = (field: string, path: string) =>
    provider.setDocument((origin) => ({
      ...documentFor(origin),
      [field]: `${attacker.server.origin}${path}`,
    }));

  beforeAll(async () => {
    tls = selfSignedCert();
    provider = await recordingProvider(tls);
  });
  afterAll(async () => {
    await provider.server.close();
    tls.cleanup();
  });

  const https = () => ['--issuer', provider.server.origin, '--ca', tls.certFile];

  it('introspect: the secret is never sent in clear text to an http introspection_endpoint', async () => {
    pointing('introspection_endpoint', '/introspect');
    const r = await run(['introspect', ...https(), '--client-id', 'app', '--token', ACCESS]);
    expectRefused(r, 'ENDPOINT_INSECURE', 'introspection_endpoint', 'plain http');
  });

  it('revoke and userinfo: the same for their endpoints', async () => {
    pointing('revocation_endpoint', '/revoke');
    expectRefused(
      await run(['revoke', ...https(), '--client-id', 'app', '--token', ACCESS]),
      'ENDPOINT_INSECURE',
      'revocation_endpoint',
    );
    pointing('userinfo_endpoint', '/userinfo');
    expectRefused(
      await run(['userinfo', ...https(), '--token', ACCESS]),
      'ENDPOINT_INSECURE',
      'userinfo_endpoint',
    );
  });

  it('login --device: the device authorization request is not sent to an http endpoint', async () => {
    pointing('device_authorization_endpoint', '/device');
    const r = await run(['login', '--device', ...https(), '--client-id', 'app', '--wait', '5']);
    expectRefused(r, 'ENDPOINT_INSECURE', 'device_authorization_endpoint');
  });

  it('login: the code (with its verifier) and the secret are not redeemed at an http token_endpoint', async () => {
    pointing('token_endpoint', '/token');
    const r = await run([
      'login',
      ...https(),
      '--client-id',
      'app',
      '--redirect-uri',
      REDIRECT,
      '--response-type',
      'code',
      '--flavor',
      'standard',
      '--headless',
    ]);
    expectRefused(r, 'ENDPOINT_INSECURE', 'token_endpoint');
    // Said before anyone signs in.
    expect(provider.seen.some((s) => s.startsWith('GET /authorize?'))).toBe(false);
  });

  it('decode --verify: keys served over plain http are never fetched, and the verdict is not VALID', async () => {
    pointing('jwks_uri', '/jwks');
    const r = await run(['decode', ID_TOKEN, '--verify', ...https(), '--client-id', 'app']);
    expectRefused(r, 'ENDPOINT_INSECURE', 'jwks_uri');
    expect(r.stdout).not.toContain('VALID');
  });

  it("check: the client probe's pushed request is not sent to an http PAR endpoint", async () => {
    provider.setDocument((origin) => ({
      ...documentFor(origin),
      pushed_authorization_request_endpoint: `${attacker.server.origin}/par`,
      require_pushed_authorization_requests: true,
    }));
    const r = await run(['check', ...https(), '--client-id', 'app', '--redirect-uri', REDIRECT, '--json']);
    const probe = JSON.parse(r.stdout).checks.find((c: { id: string }) => c.id === 'probe.authorize');
    expect(probe.status).toBe('fail');
    expect(probe.message).toContain('ENDPOINT_INSECURE');
    expect(attacker.seen).toEqual([]);
  });

  it('check --id-token: keys served over plain http verify nothing', async () => {
    pointing('jwks_uri', '/jwks');
    const r = await run(['check', ...https(), '--id-token', ID_TOKEN, '--json']);
    const checks = JSON.parse(r.stdout).checks as { id: string; status: string; message: string }[];
    expect(checks.find((c) => c.id === 'id-token.keys')).toMatchObject({ status: 'fail' });
    expect(checks.some((c) => c.id.startsWith('id-token.') && c.status === 'pass')).toBe(false);
    expect(r.code).toBe(1);
  });

  it('the control: the same https provider with its own https endpoints is used', async () => {
    provider.setDocument(undefined);
    const r = await run(['introspect', ...https(), '--client-id', 'app', '--token', ACCESS]);
    expect(r.code, r.stderr).toBe(0);
    expect(provider.seen.some((s) => s.startsWith('POST /introspect Basic '))).toBe(true);
  });
});

describe('client assertions (private_key_jwt, client_secret_jwt) pass the same gate as the secret', () => {
  let tls: ReturnType<typeof selfSignedCert>;
  let provider: Awaited<ReturnType<typeof recordingProvider>>;
  let keyFile: string;
  let publicKey: CryptoKey;
  let repo: string;
  const pointing = (field: string, path: string) =>
    provider.setDocument((origin) => ({
      ...documentFor(origin),
      [field]: `${attacker.server.origin}${path}`,
    }));
  const https = () => ['--issuer', provider.server.origin, '--ca', tls.certFile];
  /** Each JWT method with what it needs: the key for one, the secret (always set here) for the other. */
  const METHODS: [string, () => string[]][] = [
    ['private_key_jwt', () => ['--client-auth', 'private_key_jwt', '--client-key', keyFile]],
    ['client_secret_jwt', () => ['--client-auth', 'client_secret_jwt']],
  ];

  beforeAll(async () => {
    tls = selfSignedCert();
    provider = await recordingProvider(tls);
    const pair = await generateKeyPair('ES256', { extractable: true });
    publicKey = pair.publicKey;
    keyFile = plant(await exportPKCS8(pair.privateKey), 0o600);
    // A cloned repository whose togo.config.json names the attacker's issuer.
    repo = mkdtempSync(join(dir, 'repo-'));
    writeFileSync(
      join(repo, 'togo.config.json'),
      JSON.stringify({
        defaultEnvironment: 'dev',
        environments: { dev: { issuer: attacker.server.origin, clientId: 'app', redirectUri: REDIRECT } },
      }),
    );
  });
  afterAll(async () => {
    await provider.server.close();
    tls.cleanup();
  });
  beforeEach(() => {
    provider.seen.length = 0;
  });

  for (const [method, flags] of METHODS) {
    it(`${method}: introspect and revoke with a session file of another issuer send nothing`, async () => {
      const f = plant(session(attacker.server.origin), 0o644);
      for (const cmd of ['introspect', 'revoke']) {
        expectRefused(
          await run([cmd, '--client-id', 'app', '--session', f, ...flags()]),
          'FILE_NOT_TRUSTED',
          f,
        );
      }
    });

    it(`${method}: no assertion goes to a plain-http endpoint of an https issuer`, async () => {
      pointing('introspection_endpoint', '/introspect');
      expectRefused(
        await run(['introspect', ...https(), '--client-id', 'app', '--token', ACCESS, ...flags()]),
        'ENDPOINT_INSECURE',
        'introspection_endpoint',
      );
      pointing('token_endpoint', '/token');
      expectRefused(
        await run(['token', ...https(), '--client-id', 'app', '--client-credentials', ...flags()], {
          XDG_STATE_HOME: dir,
        }),
        'ENDPOINT_INSECURE',
        'token_endpoint',
      );
      const l = await run([
        'login',
        ...https(),
        '--client-id',
        'app',
        '--redirect-uri',
        REDIRECT,
        '--response-type',
        'code',
        '--flavor',
        'standard',
        '--headless',
        '--no-store',
        ...flags(),
      ]);
      expectRefused(l, 'ENDPOINT_INSECURE', 'token_endpoint');
      expect(provider.seen.some((s) => s.startsWith('GET /authorize?'))).toBe(false);
      pointing('device_authorization_endpoint', '/device');
      expectRefused(
        await run(['login', '--device', ...https(), '--client-id', 'app', '--wait', '5', ...flags()]),
        'ENDPOINT_INSECURE',
        'device_authorization_endpoint',
      );
    });
  }

  it('a client key is not used with an issuer a config file in the working directory chose', async () => {
    const key = ['--client-key', keyFile, '--client-auth', 'private_key_jwt'];
    const inRepo = (args: string[]) =>
      runCli(args, { env: { XDG_STATE_HOME: dir }, cwd: repo }).then((r) => {
        expectRefused(r, 'SECRET_ISSUER_UNTRUSTED', '--client-key', 'togo.config.json');
      });
    await inRepo(['token', '--client-credentials', ...key]);
    await inRepo(['introspect', '--token', ACCESS, ...key]);
    await inRepo(['login', '--headless', '--response-type', 'code', '--flavor', 'standard', ...key]);
  });

  it("the control: the pinned issuer's own endpoints get the assertion, for its token endpoint, iss and sub the client", async () => {
    provider.setDocument(undefined);
    const r = await run([
      'introspect',
      ...https(),
      '--client-id',
      'app',
      '--token',
      ACCESS,
      ...METHODS[0]![1](),
    ]);
    expect(r.code, r.stderr).toBe(0);
    const sent = provider.seen.find((s) => s.startsWith('POST /introspect '));
    expect(sent).toBeDefined();
    const form = new URLSearchParams(sent!.slice(sent!.lastIndexOf(' ') + 1));
    expect(form.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    expect(sent).not.toContain(SECRET);
    // Dated by the run's clock (the test's: 2025-01-01).
    const clock = { currentDate: new Date(Date.UTC(2025, 0, 1)) };
    const { payload } = await jwtVerify(form.get('client_assertion')!, publicKey, clock);
    expect(payload).toMatchObject({ iss: 'app', sub: 'app', aud: `${provider.server.origin}/token` });

    // client_secret_jwt, through the pushed authorization request: signed with the secret, never the secret itself.
    const p = await run([
      'login-url',
      '--issuer',
      legit.server.origin,
      '--client-id',
      'app',
      '--redirect-uri',
      REDIRECT,
      '--flavor',
      'standard',
      '--par',
      ...METHODS[1]![1](),
    ]);
    expect(p.code, p.stderr).toBe(0);
    const pushed = legit.seen.find((s) => s.startsWith('POST /par '));
    expect(pushed).toBeDefined();
    expect(pushed).not.toContain(SECRET);
    const par = new URLSearchParams(pushed!.slice(pushed!.lastIndexOf(' ') + 1));
    const hmac = await jwtVerify(par.get('client_assertion')!, new TextEncoder().encode(SECRET), clock);
    expect(hmac.protectedHeader.alg).toBe('HS256');
    expect(hmac.payload).toMatchObject({ iss: 'app', sub: 'app', aud: `${legit.server.origin}/token` });
  });
});
