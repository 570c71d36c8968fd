/**
 * togo against OpenID providers it did not write, started here from nothing on loopback ports:
 * npm's oauth2-mock-server, and panva's oidc-provider configured unlike togo's emulator (see the
 * helpers). Every provider gets the same togo commands; only the provider's own values (issuer,
 * client id, the tokens it issued) differ. A command the provider does not offer is recorded as
 * such, after checking its discovery document really does not offer it.
 *
 * The outcomes make the table in docs/interop.md; the last test fails when that file is stale
 * (`TOGO_WRITE_INTEROP=1 npx vitest run test/e2e/interop` rewrites it).
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, useBrowserServer } from '../../helpers/browser.js';
import { startOauth2MockServer } from '../../helpers/oauth2-mock-server.js';
import {
  OP_CLIENTS,
  OP_LOGIN_SELECTORS,
  OP_MACHINE_CLIENTS,
  OP_RESOURCE,
  OP_SECRETS,
  startOidcProviderOp,
} from '../../helpers/oidc-provider-op.js';
import { runCli } from '../../helpers/run-cli.js';
import { CELLS, type Cell, type Outcome, type ProviderName, renderInteropTable } from './table.js';

const RECIPE = fileURLToPath(new URL('../../../examples/playwright-login.mjs', import.meta.url));
const BROWSER = `node ${RECIPE}`;
const DOCS = fileURLToPath(new URL('../../../docs/interop.md', import.meta.url));
const REDIRECT = 'http://127.0.0.1/callback';
const POST_LOGOUT = 'http://127.0.0.1/logout-callback';

/** Plain http on a loopback host: accepted for local providers, and said. */
const HTTP_WARNINGS = ['disc.url-https', 'disc.issuer-syntax', 'disc.endpoints-https'];
const TRUE_WARNINGS: Record<ProviderName, string[]> = {
  // No claims_supported (RECOMMENDED, Discovery §3); "plain" beside S256 (RFC 9700 §2.1.1).
  'oauth2-mock-server': ['disc.claims-supported', 'disc.pkce-plain'],
  // ES256 only, while Discovery §3 says RS256 MUST be listed.
  'oidc-provider': ['disc.rs256'],
};

const outcomes = new Map<string, Outcome>();
const dir = mkdtempSync(join(tmpdir(), 'togo-interop-'));

interface Target {
  name: ProviderName;
  issuer: string;
  env: Record<string, string>;
  /** Client ids for the cells that need a particular client. */
  clients: { par: string; dpop: string; device: string };
  /** Confidential clients for the client credentials grant: with a secret, and per JWT method. */
  machine: {
    secret: { clientId: string; secret: string };
    hmac?: { clientId: string; secret: string };
    key?: { clientId: string; keyFile: string };
  };
  resource?: string;
  discovery: Record<string, unknown>;
  close(): Promise<void>;
}

const targets = new Map<ProviderName, Target>();
/** One Chromium for every login of the file: the recipe connects to it and takes a fresh context. */
const shared = useBrowserServer();

async function discovery(issuer: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${issuer}/.well-known/openid-configuration`);
  return (await res.json()) as Record<string, unknown>;
}

/** What the recipe reads from this process's environment, put back after the file. */
const RECIPE_ENV = [
  'TOGO_CHROMIUM',
  'TOGO_BROWSER_ENDPOINT',
  'TOGO_TEST_EMAIL',
  'TOGO_TEST_PASSWORD',
  'TOGO_TEST_EMAIL_SELECTOR',
  'TOGO_TEST_TIMEOUT_MS',
] as const;
const savedEnv = Object.fromEntries(RECIPE_ENV.map((k) => [k, process.env[k]]));
afterAll(() => {
  for (const k of RECIPE_ENV) {
    if (savedEnv[k] === undefined) delete process.env[k];
    else process.env[k] = savedEnv[k];
  }
});

beforeAll(async () => {
  // The recipe runs as a child of togo, so it reads the test user from this process's environment.
  process.env.TOGO_CHROMIUM = CHROMIUM;
  process.env.TOGO_BROWSER_ENDPOINT = shared.endpoint();
  process.env.TOGO_TEST_EMAIL = 'alice';
  process.env.TOGO_TEST_PASSWORD = 'any-password';
  process.env.TOGO_TEST_EMAIL_SELECTOR = `${OP_LOGIN_SELECTORS.login}, input[type=email]`;
  process.env.TOGO_TEST_TIMEOUT_MS = '20000';
  const [mock, op] = await Promise.all([startOauth2MockServer(), startOidcProviderOp()]);
  targets.set('oauth2-mock-server', {
    name: 'oauth2-mock-server',
    issuer: mock.issuer,
    env: { TOGO_ISSUER: mock.issuer, TOGO_CLIENT_ID: 'interop-client' },
    clients: { par: 'interop-client', dpop: 'interop-client', device: 'interop-client' },
    // It authenticates no client: any id and secret are taken.
    machine: { secret: { clientId: 'interop-client', secret: 'any-secret' } },
    discovery: await discovery(mock.issuer),
    close: mock.close,
  });
  targets.set('oidc-provider', {
    name: 'oidc-provider',
    issuer: op.issuer,
    env: { TOGO_ISSUER: op.issuer, TOGO_CLIENT_ID: OP_CLIENTS.public },
    clients: { par: OP_CLIENTS.par, dpop: OP_CLIENTS.dpop, device: OP_CLIENTS.device },
    machine: {
      secret: { clientId: OP_MACHINE_CLIENTS.post, secret: OP_SECRETS.post },
      hmac: { clientId: OP_MACHINE_CLIENTS.hmac, secret: OP_SECRETS.hmac },
      key: { clientId: OP_MACHINE_CLIENTS.key, keyFile: join(dir, 'op-client-key.pem') },
    },
    resource: OP_RESOURCE,
    discovery: await discovery(op.issuer),
    close: op.close,
  });
  writeFileSync(join(dir, 'op-client-key.pem'), op.clientKeyPem, { mode: 0o600 });
}, 30_000);

afterAll(async () => {
  await Promise.all([...targets.values()].map((t) => t.close()));
});

function run(t: Target, argv: string[], env: Record<string, string> = {}) {
  return runCli(argv, {
    env: {
      TOGO_FLAVOR: 'standard',
      TOGO_REDIRECT_URI: REDIRECT,
      TOGO_SCOPE: 'openid email profile',
      ...t.env,
      ...env,
    },
    now: Date.now(),
    cwd: dir,
  });
}

/** A command's --json document, read loosely: each test asserts the fields it relies on. */
// biome-ignore lint/suspicious/noExplicitAny: the documents differ per command; assertions check them
const json = (stdout: string) => JSON.parse(stdout) as Record<string, any>;
const session = (t: Target, name: string) => join(dir, `${t.name}-${name}.json`);
/** A session store of a test's own. */
const freshState = () => mkdtempSync(join(dir, 'state-'));
/** The refresh token of the one session kept in a store. */
function storedRefreshToken(state: string): string | undefined {
  const files = readdirSync(join(state, 'togo')).filter((f) => f.endsWith('.json'));
  expect(files).toHaveLength(1);
  return JSON.parse(readFileSync(join(state, 'togo', files[0]!), 'utf8')).tokens.refresh_token;
}
const tokensOf = (t: Target, name: string) =>
  JSON.parse(readFileSync(session(t, name), 'utf8')).tokens as Record<string, string>;

/** What the provider's discovery document says about a cell it does not offer, or undefined when it offers it. */
function notOffered(t: Target, cell: Cell): string | undefined {
  const d = t.discovery;
  const list = (k: string) => (Array.isArray(d[k]) ? (d[k] as string[]) : []);
  const type = (rt: string) => !list('response_types_supported').includes(rt);
  switch (cell) {
    case 'login: id_token (implicit)':
      return type('id_token') ? 'response_types_supported lacks id_token' : undefined;
    case 'login: id_token token (implicit)':
      return type('id_token token') ? 'response_types_supported lacks "id_token token"' : undefined;
    case 'login: code id_token (hybrid, form_post)':
      return type('code id_token') ? 'response_types_supported lacks "code id_token"' : undefined;
    case 'login: device authorization grant (--device)':
      return d.device_authorization_endpoint ? undefined : 'no device_authorization_endpoint';
    case 'login: PAR (--par)':
    case 'login-url: the request_uri form of a pushed request':
    case 'login: PAR required by the client':
    case 'check: client probe through PAR':
      return d.pushed_authorization_request_endpoint ? undefined : 'no pushed_authorization_request_endpoint';
    case 'login: DPoP (--dpop)':
    case 'userinfo: DPoP-bound token':
    case 'api: DPoP-bound token':
      return d.dpop_signing_alg_values_supported ? undefined : 'no dpop_signing_alg_values_supported';
    case 'decode --verify: RFC 9068 access token':
      return t.resource ? undefined : 'issues no RFC 9068 (at+jwt) access tokens';
    case 'token: client credentials':
      return list('grant_types_supported').includes('client_credentials')
        ? undefined
        : 'grant_types_supported lacks client_credentials';
    case 'token: refresh, with the rotated refresh token kept':
      return list('grant_types_supported').includes('refresh_token')
        ? undefined
        : 'grant_types_supported lacks refresh_token';
    case 'token: private_key_jwt':
    case 'token: client_secret_jwt': {
      const method = cell.slice('token: '.length);
      return list('token_endpoint_auth_methods_supported').includes(method)
        ? undefined
        : `token_endpoint_auth_methods_supported lacks ${method}`;
    }
    case 'userinfo: signed (application/jwt), verified':
      return d.userinfo_signing_alg_values_supported ? undefined : 'no userinfo_signing_alg_values_supported';
    case 'decode --verify: JWT access token':
      // oidc-provider's access tokens are opaque, or RFC 9068 JWTs for a resource (the row above).
      return t.resource ? 'its JWT access tokens are all RFC 9068 (at+jwt)' : undefined;
    default:
      return undefined;
  }
}

/**
 * What each provider does not offer, as its discovery document (or, for the access token rows,
 * its configuration) says. Decided here, not at run time: a cell expected to work fails when the
 * provider turns out not to offer it (configure the provider with the feature), and a cell listed
 * here fails when the provider starts offering it (then test it).
 */
const NOT_OFFERED: Record<ProviderName, readonly Cell[]> = {
  'oauth2-mock-server': [
    'check: client probe through PAR',
    'login: id_token (implicit)',
    'login: id_token token (implicit)',
    'login: code id_token (hybrid, form_post)',
    'login: device authorization grant (--device)',
    'login: PAR (--par)',
    'login-url: the request_uri form of a pushed request',
    'login: PAR required by the client',
    'login: DPoP (--dpop)',
    'decode --verify: RFC 9068 access token',
    'userinfo: signed (application/jwt), verified',
    'userinfo: DPoP-bound token',
    'api: DPoP-bound token',
    'token: refresh, with the rotated refresh token kept',
    'token: private_key_jwt',
    'token: client_secret_jwt',
  ],
  'oidc-provider': ['decode --verify: JWT access token'],
};

/** Runs a cell: recorded as working only when every assertion in `body` held. */
function cell(providerName: ProviderName, c: Cell, body: (t: Target) => Promise<void>, timeout = 60_000) {
  const key = `${providerName}|${c}`;
  if (NOT_OFFERED[providerName].includes(c)) {
    it(`${providerName}: ${c}: not offered, as its discovery document says`, () => {
      outcomes.set(key, 'failing');
      const reason = notOffered(targets.get(providerName)!, c);
      expect(reason, `${providerName} now offers "${c}": move it out of NOT_OFFERED`).toBeDefined();
      outcomes.set(key, 'not offered by the provider');
    });
    return;
  }
  it(
    `${providerName}: ${c}`,
    async () => {
      const t = targets.get(providerName)!;
      outcomes.set(key, 'failing');
      expect(notOffered(t, c), `${providerName} is expected to offer "${c}"`).toBeUndefined();
      await body(t);
      outcomes.set(key, 'working');
    },
    timeout,
  );
}

const loginArgs = (responseType: string, extra: string[] = []) => [
  'login',
  '--response-type',
  responseType,
  ...extra,
  '--browser',
  BROWSER,
  '--timeout',
  '40',
  '--json',
];

async function expectLogin(t: Target, argv: string[], env: Record<string, string> = {}) {
  const r = await run(t, argv, env);
  expect(r.code, r.stderr + r.stdout).toBe(0);
  const doc = json(r.stdout);
  expect(doc.ok).toBe(true);
  expect(doc.idTokens.length).toBeGreaterThan(0);
  for (const idt of doc.idTokens) expect(idt.verification.ok).toBe(true);
  return { doc, stderr: r.stderr };
}

for (const name of ['oauth2-mock-server', 'oidc-provider'] as const) {
  describe(name, () => {
    cell(name, 'discover', async (t) => {
      const r = await run(t, ['discover', '--json']);
      expect(r.code, r.stderr).toBe(0);
      const findings = json(r.stdout).findings as { id: string; status: string }[];
      expect(findings.filter((f) => f.status === 'fail')).toEqual([]);
      // Every warning is a true finding (no false positives): plain http on loopback, and per provider
      // what its document really lacks or offers (see TRUE_WARNINGS).
      const warned = findings.filter((f) => f.status === 'warn').map((f) => f.id);
      expect(warned.sort()).toEqual([...HTTP_WARNINGS, ...TRUE_WARNINGS[t.name]].sort());
    });

    cell(name, 'check (with the client probe)', async (t) => {
      const r = await run(t, ['check', '--json']);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      const probe = (json(r.stdout).checks as { id: string; status: string }[]).find(
        (c) => c.id === 'probe.authorize',
      );
      expect(probe?.status).toBe('pass');
    });

    cell(name, 'check: client probe through PAR', async (t) => {
      const r = await run(t, ['check', '--json'], {
        TOGO_CLIENT_ID: t.clients.par,
        TOGO_RESPONSE_TYPE: 'code',
      });
      expect(r.code, r.stdout + r.stderr).toBe(0);
      const probe = (json(r.stdout).checks as { id: string; status: string; message: string }[]).find(
        (c) => c.id === 'probe.authorize',
      );
      expect(probe).toMatchObject({ status: 'pass', message: expect.stringContaining('PAR') });
    });

    cell(name, 'login: code + PKCE', async (t) => {
      const { doc } = await expectLogin(t, [...loginArgs('code'), '--save', session(t, 'code')]);
      expect(doc.checks.find((c: { id: string }) => c.id === 'F3').status).toBe('pass');
    });

    if (name === 'oauth2-mock-server') {
      it('oauth2-mock-server: the client probe says the provider approved at once, not that a session existed', async () => {
        const r = await run(targets.get(name)!, ['check', '--json']);
        const probe = (json(r.stdout).checks as { id: string; message: string }[]).find(
          (c) => c.id === 'probe.authorize',
        );
        expect(probe?.message).toContain('auto-approval');
        expect(probe?.message).not.toContain('a session already existed');
      });

      it('oauth2-mock-server: a form_post request answered in the query is noted (F6)', async () => {
        const t = targets.get(name)!;
        const { doc } = await expectLogin(t, loginArgs('code', ['--response-mode', 'form_post']));
        expect(doc.checks).toContainEqual(expect.objectContaining({ id: 'F6', status: 'info' }));
      }, 60_000);
    }

    if (name === 'oidc-provider') {
      it('oidc-provider: a PAR-only client refused a plain request: the hint says to use --par', async () => {
        const t = targets.get(name)!;
        const pending = join(dir, 'par-pending.json');
        // --offline: nothing is pushed or probed, so the provider sees the plain request.
        const composed = await run(
          t,
          [
            'login-url',
            '--offline',
            '--authorization-endpoint',
            t.discovery.authorization_endpoint as string,
            '--response-type',
            'code',
            '--save',
            pending,
          ],
          { TOGO_CLIENT_ID: t.clients.par },
        );
        expect(composed.code, composed.stderr).toBe(0);
        const refused = await fetch(composed.stdout.split('\n')[0]!, { redirect: 'manual' });
        const back = refused.headers.get('location')!;
        expect(back).toContain('error=invalid_request');
        const r = await run(t, ['callback', back, '--pending', pending]);
        expect(r.code).toBe(4);
        expect(r.stderr).toContain('Pushed Authorization Request must be used');
        expect(r.stderr).toContain('log in again with --par');
      });

      it('oidc-provider: a login nobody completes times out with a hint that does not speak of Togo ID', async () => {
        const r = await run(targets.get(name)!, ['login', '--response-type', 'code', '--wait', '1']);
        expect(r.code).toBe(4);
        expect(r.stderr).toContain('[LOGIN_TIMEOUT]');
        expect(r.stderr).toContain('Providers show errors they cannot send back');
        expect(r.stderr).not.toContain('Togo ID');
      });
    }

    cell(name, 'login: id_token (implicit)', async (t) => {
      await expectLogin(t, loginArgs('id_token'));
    });

    cell(name, 'login: id_token token (implicit)', async (t) => {
      await expectLogin(t, loginArgs('id_token token'));
    });

    cell(name, 'login: code id_token (hybrid, form_post)', async (t) => {
      await expectLogin(t, loginArgs('code id_token', ['--response-mode', 'form_post']));
    });

    cell(name, 'login: PAR (--par)', async (t) => {
      const { stderr } = await expectLogin(t, [...loginArgs('code'), '--par']);
      expect(stderr).toContain('Pushed the authorization request (requested');
      expect(stderr).toMatch(/Login URL: \S+request_uri=/);
    });

    cell(name, 'login: device authorization grant (--device)', async (t) => {
      const { doc } = await expectLogin(
        t,
        ['login', '--device', '--browser', BROWSER, '--timeout', '40', '--json'],
        { TOGO_CLIENT_ID: t.clients.device },
      );
      expect(doc.flow).toContain('device');
    });

    cell(name, 'login-url: the request_uri form of a pushed request', async (t) => {
      const r = await run(t, ['login-url', '--response-type', 'code', '--json'], {
        TOGO_CLIENT_ID: t.clients.par,
      });
      expect(r.code, r.stderr).toBe(0);
      const doc = json(r.stdout);
      expect(doc.par).toMatchObject({ reason: 'required for the client', expiresIn: expect.any(Number) });
      const url = new URL(doc.url);
      expect([...url.searchParams.keys()].sort()).toEqual(['client_id', 'request_uri']);
      expect(url.searchParams.get('request_uri')).toBe(doc.par.requestUri);
    });

    cell(name, 'login: PAR required by the client', async (t) => {
      const { stderr } = await expectLogin(t, loginArgs('code'), { TOGO_CLIENT_ID: t.clients.par });
      expect(stderr).toContain('Pushed the authorization request (required for the client');
    });

    cell(name, 'login: DPoP (--dpop)', async (t) => {
      const { doc } = await expectLogin(t, [...loginArgs('code'), '--dpop', '--save', session(t, 'dpop')], {
        TOGO_CLIENT_ID: t.clients.dpop,
      });
      expect(doc.tokens.token_type).toBe('DPoP');
      const saved = JSON.parse(readFileSync(session(t, 'dpop'), 'utf8'));
      expect(saved.dpop.privateJwk).toMatchObject({ kty: 'EC', crv: 'P-256' });
    });

    cell(name, 'userinfo: DPoP-bound token', async (t) => {
      const r = await run(t, ['userinfo', '--session', session(t, 'dpop'), '--json'], {
        TOGO_CLIENT_ID: t.clients.dpop,
      });
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(json(r.stdout).subject.match).toBe(true);
    });

    cell(name, 'api: DPoP-bound token', async (t) => {
      const endpoint = t.discovery.userinfo_endpoint as string;
      const r = await run(t, [
        'api',
        endpoint,
        '--session',
        session(t, 'dpop'),
        '--use',
        'access_token',
        '--json',
      ]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.stderr).toContain('with a DPoP proof');
    });

    cell(name, 'decode --verify: ID token', async (t) => {
      const { id_token } = tokensOf(t, 'code');
      const r = await run(t, [
        'decode',
        id_token!,
        '--verify',
        '--issuer',
        t.issuer,
        '--audience',
        t.env.TOGO_CLIENT_ID!,
        '--json',
      ]);
      expect(r.code, r.stdout).toBe(0);
      expect(json(r.stdout).verification.ok).toBe(true);
    });

    cell(name, 'decode --verify: JWT access token', async (t) => {
      const { access_token } = tokensOf(t, 'code');
      // The API that receives the token knows its own identifier: the expected audience.
      const aud = decodeJwt(access_token!).aud;
      const args = ['decode', access_token!, '--verify', '--issuer', t.issuer];
      if (aud === undefined) {
        // Nothing says which API the token is for: the one policy never calls it VALID.
        const r = await run(t, [...args, '--audience', 'https://api.example', '--json']);
        expect(r.code, r.stdout).toBe(1);
        const checks = json(r.stdout).verification.checks;
        expect(checks.find((c: { id: string }) => c.id === 'at.signature').status).toBe('pass');
        expect(checks.find((c: { id: string }) => c.id === 'at.aud')).toMatchObject({
          status: 'fail',
          code: 'TOKEN_CLAIM_MISSING',
        });
        return;
      }
      const r = await run(t, [...args, '--audience', Array.isArray(aud) ? aud[0]! : aud, '--json']);
      expect(r.code, r.stdout).toBe(0);
      const unchecked = await run(t, [...args, '--json']);
      expect(json(unchecked.stdout).verification.verdict).toBe('audience-not-checked');
      expect(unchecked.code).toBe(1);
      const v = json(r.stdout).verification;
      expect(v.profile).toMatch(/JWT access token without a standard profile/);
      expect(v.checks.map((c: { id: string }) => c.id)).toContain('at.signature');
    });

    cell(name, 'decode --verify: RFC 9068 access token', async (t) => {
      await expectLogin(
        t,
        [
          ...loginArgs('code', ['--resource', t.resource!, '--scope', 'openid api:read']),
          '--dpop',
          '--save',
          session(t, 'resource'),
        ],
        { TOGO_CLIENT_ID: t.clients.dpop },
      );
      const { access_token } = tokensOf(t, 'resource');
      const r = await run(t, [
        'decode',
        access_token!,
        '--verify',
        '--issuer',
        t.issuer,
        '--audience',
        t.resource!,
        '--dpop-key',
        session(t, 'resource'),
        '--json',
      ]);
      expect(r.code, r.stdout).toBe(0);
      const v = json(r.stdout).verification;
      expect(v.profile).toMatch(/RFC 9068/);
      const ids = v.checks
        .filter((c: { status: string }) => c.status === 'pass')
        .map((c: { id: string }) => c.id);
      expect(ids).toEqual(
        expect.arrayContaining(['at.signature', 'at.aud', 'at.client_id', 'at.jti', 'dpop.jkt']),
      );
    });

    cell(name, 'userinfo', async (t) => {
      const r = await run(t, ['userinfo', '--session', session(t, 'code'), '--json']);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(json(r.stdout).subject.match).toBe(true);
    });

    cell(name, 'userinfo: signed (application/jwt), verified', async (t) => {
      const r = await run(t, ['userinfo', '--session', session(t, 'code'), '--json']);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      const doc = json(r.stdout);
      expect(doc.format).toBe('jwt');
      expect(doc.verification.ok).toBe(true);
      const passed = doc.verification.checks.filter((c: { status: string }) => c.status === 'pass');
      expect(passed.map((c: { id: string }) => c.id)).toEqual(
        expect.arrayContaining(['ui.header', 'ui.signature', 'ui.iss', 'ui.aud']),
      );
    });

    cell(name, 'api (access token)', async (t) => {
      const endpoint = t.discovery.userinfo_endpoint as string;
      const r = await run(t, [
        'api',
        endpoint,
        '--session',
        session(t, 'code'),
        '--use',
        'access_token',
        '--json',
      ]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(json(r.stdout).status).toBe(200);
    });

    cell(name, 'introspect', async (t) => {
      const r = await run(t, ['introspect', '--session', session(t, 'code'), '--json']);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(json(r.stdout).response.active).toBe(true);
    });

    cell(name, 'logout', async (t) => {
      const r = await run(t, [
        'logout',
        '--session',
        session(t, 'code'),
        '--post-logout-redirect-uri',
        POST_LOGOUT,
        '--browser',
        BROWSER,
        '--wait-timeout',
        '40',
        '--json',
      ]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
    });

    cell(name, 'revoke', async (t) => {
      const r = await run(t, ['revoke', '--session', session(t, 'code'), '--json']);
      expect(r.code, r.stdout + r.stderr).toBe(0);
    });

    cell(name, 'token: client credentials', async (t) => {
      const { clientId, secret } = t.machine.secret;
      const env = { TOGO_CLIENT_SECRET: secret, XDG_STATE_HOME: freshState() };
      const r = await run(t, ['token', '--client-id', clientId, '--client-credentials', '--json'], env);
      expect(r.code, r.stderr).toBe(0);
      const doc = json(r.stdout);
      expect(doc).toMatchObject({ source: 'client_credentials', client_id: clientId });
      // The first method the provider lists for which togo has the credential: oidc-provider lists
      // client_secret_post (and holds the client to it); oauth2-mock-server lists only none, so
      // the secret is tried with client_secret_basic, and said.
      expect(doc.client_auth).toBe(t.name === 'oidc-provider' ? 'client_secret_post' : 'client_secret_basic');
      const i = await run(t, ['introspect', '--client-id', clientId, '--token', doc.token, '--json'], env);
      expect(i.code, i.stderr).toBe(0);
      expect(json(i.stdout).response.active).toBe(true);
    });

    cell(name, 'token: refresh, with the rotated refresh token kept', async (t) => {
      const state = freshState();
      await expectLogin(
        t,
        loginArgs('code', ['--scope', 'openid email offline_access', '--prompt', 'consent']),
        { XDG_STATE_HOME: state },
      );
      const first = storedRefreshToken(state);
      expect(first).toBeDefined();
      const refresh = async () => {
        const r = await run(t, ['token', '--refresh', '--json'], { XDG_STATE_HOME: state });
        expect(r.code, r.stderr).toBe(0);
        expect(json(r.stdout)).toMatchObject({ source: 'refresh', client_auth: 'none' });
        return storedRefreshToken(state);
      };
      const second = await refresh();
      expect(second, 'the provider rotated the refresh token, and togo kept the new one').not.toBe(first);
      // The rotated one is spent: a second refresh works only with the one togo kept.
      const third = await refresh();
      expect(third).not.toBe(second);
      const replay = await fetch(t.discovery.token_endpoint as string, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: first!,
          client_id: t.env.TOGO_CLIENT_ID!,
        }),
      });
      expect(((await replay.json()) as { error?: string }).error).toBe('invalid_grant');
    });

    cell(name, 'token: private_key_jwt', async (t) => {
      const { clientId, keyFile } = t.machine.key!;
      const r = await run(
        t,
        ['token', '--client-id', clientId, '--client-credentials', '--client-key', keyFile, '--json'],
        { XDG_STATE_HOME: freshState() },
      );
      expect(r.code, r.stderr).toBe(0);
      expect(json(r.stdout)).toMatchObject({ source: 'client_credentials', client_auth: 'private_key_jwt' });
      // An RSA key, and the provider lists PS256 (not RS256) for assertions.
      expect(r.stderr).toContain('private_key_jwt, PS256');
    });

    cell(name, 'token: client_secret_jwt', async (t) => {
      const { clientId, secret } = t.machine.hmac!;
      const r = await run(
        t,
        [
          'token',
          '--client-id',
          clientId,
          '--client-credentials',
          '--client-auth',
          'client_secret_jwt',
          '--json',
        ],
        { TOGO_CLIENT_SECRET: secret, XDG_STATE_HOME: freshState() },
      );
      expect(r.code, r.stderr).toBe(0);
      expect(json(r.stdout)).toMatchObject({
        source: 'client_credentials',
        client_auth: 'client_secret_jwt',
      });
      expect(r.stderr).toContain('client_secret_jwt, HS512');
      expect(r.stdout + r.stderr).not.toContain(secret);
    });
  });
}

describe('docs/interop.md', () => {
  it('shows every cell working or not offered by the provider, as this run found', () => {
    const table = renderInteropTable(outcomes);
    if (process.env.TOGO_WRITE_INTEROP === '1') writeFileSync(DOCS, table);
    expect([...outcomes.entries()].filter(([, o]) => o === 'failing')).toEqual([]);
    expect(outcomes.size).toBe(CELLS.length * 2);
    expect(readFileSync(DOCS, 'utf8')).toBe(table);
  });
});
