import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inspectUrl } from '../../../src/oidc/inspect-url.js';
import { codeChallengeS256 } from '../../../src/oidc/pkce.js';
import { startProvider } from '../../helpers/providers.js';
import { runCli } from '../../helpers/run-cli.js';
import { freePort } from '../../helpers/servers.js';

const SEED_URL = readFileSync(new URL('../../fixtures/seed-login-url.txt', import.meta.url), 'utf8').trim();
const SEED_ARGS = [
  'login-url',
  // Chosen explicitly: with nothing configured, togo would say on stderr which environment it uses.
  '--env',
  'togo-production',
  '--client-id',
  'sample-production',
  '--redirect-uri',
  'https://sample.togogroup.com/togo-callback',
  '--nonce',
  'c7709929297c0f47645cd4e270049fd0',
  '--state',
  'ac65007cf9729c9168b475452439e9fa',
  // The public Togo ID host is out of reach here; these tests are about composing offline.
  '--offline',
];

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'togo-login-url-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const inner = (url: string) =>
  new URLSearchParams(new URL(new URL(url).searchParams.get('ReturnUrl')!).search);

describe('togo login-url', () => {
  it("prints the Togo ID guide's example URL exactly, alone on stdout when piped", async () => {
    const r = await runCli(SEED_ARGS);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${SEED_URL}\n`);
    // The table is narration when stdout is not a terminal.
    expect(r.stderr).toContain('ReturnUrl  redirect_uri      https://sample.togogroup.com/togo-callback');
  });

  it('prints the table on stdout after the URL when stdout is a terminal', async () => {
    const r = await runCli(SEED_ARGS, { tty: true, env: { NO_COLOR: '1' } });
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(SEED_URL);
    expect(r.stdout).toContain('login      behaviourProfile  togo');
    expect(r.stdout).toContain(
      'authorize URL: https://id2.runswithtogo.com/identity/connect/authorize?client_id=',
    );
    expect(r.stderr).toBe('');
  });

  it('prints only the URL with --url-only or -q', async () => {
    for (const flag of ['--url-only', '-q']) {
      const r = await runCli([...SEED_ARGS, flag], { tty: flag === '--url-only' });
      expect(r.stdout).toBe(`${SEED_URL}\n`);
      expect(r.stderr).toBe('');
    }
  });

  it('gives url, state, nonce, codeVerifier, redirectUri and params with --json', async () => {
    const r = await runCli(['--json', ...SEED_ARGS]);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({
      ok: true,
      url: SEED_URL,
      state: 'ac65007cf9729c9168b475452439e9fa',
      nonce: 'c7709929297c0f47645cd4e270049fd0',
      codeVerifier: null,
      redirectUri: 'https://sample.togogroup.com/togo-callback',
      warnings: [],
    });
    expect(doc.params).toContainEqual({ name: 'scope', value: 'openid email profile', in: 'authorize' });
    expect(r.stderr).toBe('');
  });

  it('makes a fresh 32-character state and nonce each time', async () => {
    const a = JSON.parse(
      (await runCli(['login-url', '--json', '--client-id', 'c', '--redirect-uri', 'https://a/cb'])).stdout,
    );
    const b = JSON.parse(
      (await runCli(['login-url', '--json', '--client-id', 'c', '--redirect-uri', 'https://a/cb'])).stdout,
    );
    expect(a.state).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(a.nonce).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(a.state).not.toBe(b.state);
    expect(a.nonce).not.toBe(b.nonce);
  });

  it('adds PKCE S256 for code response types and returns the verifier', async () => {
    const r = await runCli(['--json', ...SEED_ARGS, '--response-type', 'code id_token']);
    const doc = JSON.parse(r.stdout);
    expect(doc.codeVerifier).toMatch(/^[A-Za-z0-9._~-]{64}$/);
    const q = inner(doc.url);
    expect(q.get('response_type')).toBe('code id_token');
    expect(q.get('code_challenge')).toBe(codeChallengeS256(doc.codeVerifier));
    expect(q.get('code_challenge_method')).toBe('S256');
    const none = JSON.parse(
      (await runCli(['--json', ...SEED_ARGS, '--response-type', 'code', '--no-pkce'])).stdout,
    );
    expect(none.codeVerifier).toBeNull();
  });

  it('passes every optional parameter through', async () => {
    const r = await runCli([
      '--json',
      ...SEED_ARGS,
      '--response-type',
      'code',
      '--response-mode',
      'form_post',
      '--prompt',
      'login',
      '--login-hint',
      'joe@m.test',
      '--max-age',
      '600',
      '--acr-values',
      'mfa',
      '--ui-locales',
      'en-GB',
      '--audience',
      'https://api.example',
      '--resource',
      'https://r1.example',
      '--resource',
      'https://r2.example',
      '--param',
      'organization_id=org=1',
      '--param',
      'tenant=a b',
    ]);
    const q = inner(JSON.parse(r.stdout).url);
    expect(Object.fromEntries(q)).toMatchObject({
      response_mode: 'form_post',
      prompt: 'login',
      login_hint: 'joe@m.test',
      max_age: '600',
      acr_values: 'mfa',
      ui_locales: 'en-GB',
      audience: 'https://api.example',
      organization_id: 'org=1',
      tenant: 'a b',
    });
    expect(q.getAll('resource')).toEqual(['https://r1.example', 'https://r2.example']);
  });

  it('gives the relative ReturnUrl with --relative-return-url', async () => {
    const r = await runCli([...SEED_ARGS, '--relative-return-url', '-q']);
    expect(new URL(r.stdout.trim()).searchParams.get('ReturnUrl')).toMatch(
      /^\/identity\/connect\/authorize\?client_id=/,
    );
  });

  it('uses the staging environment and the Togo profile flags', async () => {
    const r = await runCli([
      ...SEED_ARGS,
      '--env',
      'togo-staging',
      '--profile',
      'brand',
      '--behaviour-profile',
      'b2b',
      '-q',
    ]);
    const url = new URL(r.stdout.trim());
    expect(url.origin + url.pathname).toBe('https://id2-staging.runswithtogo.com/login');
    expect(url.searchParams.get('profile')).toBe('brand');
    expect(url.searchParams.get('behaviourProfile')).toBe('b2b');
    expect(url.searchParams.get('ReturnUrl')).toMatch(
      /^https:\/\/id2-staging\.runswithtogo\.com\/connect\/authorize\?/,
    );
  });

  it('reads settings from the environment and a config file', async () => {
    writeFileSync(
      join(dir, 'togo.config.json'),
      JSON.stringify({
        defaultEnvironment: 'app',
        environments: {
          app: {
            extends: 'togo-production',
            clientId: 'file-client',
            redirectUri: 'https://file.example/cb',
          },
        },
      }),
    );
    const r = await runCli(['login-url', '--json'], {
      cwd: dir,
      env: { TOGO_REDIRECT_URI: 'https://env.example/cb' },
    });
    const doc = JSON.parse(r.stdout);
    expect(doc.redirectUri).toBe('https://env.example/cb');
    expect(inner(doc.url).get('client_id')).toBe('file-client');
  });

  it('composes a standard authorize URL for any provider', async () => {
    const r = await runCli([
      'login-url',
      '-q',
      '--flavor',
      'standard',
      '--authorization-endpoint',
      'https://tenant.logto.app/oidc/auth',
      '--client-id',
      'app',
      '--redirect-uri',
      'http://127.0.0.1:8765/callback',
      '--response-type',
      'code',
      '--scope',
      'openid urn:logto:scope:organizations',
    ]);
    expect(r.code).toBe(0);
    const url = new URL(r.stdout.trim());
    expect(url.origin + url.pathname).toBe('https://tenant.logto.app/oidc/auth');
    expect(url.searchParams.get('scope')).toBe('openid urn:logto:scope:organizations');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(inspectUrl(url.href).ok).toBe(true);
  });

  it('works with the mock environment, shaped like Togo ID', async () => {
    const r = await runCli(['login-url', '-q', '--env', 'mock'], {
      env: { TOGO_MOCK_ISSUER: 'http://127.0.0.1:5000/identity' },
    });
    const url = new URL(r.stdout.trim());
    expect(url.origin + url.pathname).toBe('http://127.0.0.1:5000/identity/login');
    expect(url.searchParams.get('client_id')).toBe('togo-cli');
    const authorize = new URL(url.searchParams.get('ReturnUrl')!);
    expect(authorize.origin + authorize.pathname).toBe('http://127.0.0.1:5000/identity/connect/authorize');
    expect(authorize.searchParams.get('redirect_uri')).toBe('http://127.0.0.1/callback');
    expect(authorize.searchParams.get('response_type')).toBe('id_token');
  });

  describe('with a discovery file', () => {
    const discovery = (doc: Record<string, unknown>) => {
      const path = join(dir, 'discovery.json');
      writeFileSync(path, JSON.stringify(doc));
      return path;
    };

    it('takes the authorization endpoint from it and warns about what it does not advertise', async () => {
      const path = discovery({
        issuer: 'https://idp.example',
        authorization_endpoint: 'https://idp.example/oauth/authorize',
        response_types_supported: ['code'],
        scopes_supported: ['openid', 'profile', 'email'],
      });
      const r = await runCli([
        'login-url',
        '--issuer',
        'https://idp.example',
        '--client-id',
        'c',
        '--redirect-uri',
        'https://a.example/cb',
        '--scope',
        'openid tenant',
        '--response-type',
        'code',
        '--discovery-file',
        path,
        '--offline',
        '--url-only',
      ]);
      expect(r.code).toBe(0);
      expect(r.stdout.startsWith('https://idp.example/oauth/authorize?client_id=c&')).toBe(true);
      expect(r.stderr).toMatch(/warning: scope tenant not in the provider's scopes_supported/);
      expect(r.stderr).toMatch(/warning: the provider does not advertise PKCE/);
    });

    it('lists the warnings in --json', async () => {
      const path = discovery({
        response_types_supported: ['code'],
        code_challenge_methods_supported: ['S256'],
      });
      const doc = JSON.parse((await runCli(['--json', ...SEED_ARGS, '--discovery-file', path])).stdout);
      expect(doc.warnings.map((w: { id: string }) => w.id)).toEqual(['advertised.response-type']);
    });

    it('refuses a file that is not JSON', async () => {
      writeFileSync(join(dir, 'bad.json'), '<html>');
      const r = await runCli([...SEED_ARGS, '--discovery-file', join(dir, 'bad.json')]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/bad\.json is not JSON/);
    });
  });

  it('warns about a request the provider will refuse, as inspect-url would', async () => {
    const r = await runCli([
      '--json',
      ...SEED_ARGS,
      '--response-mode',
      'query',
      '--redirect-uri',
      'http://localhost:8080/cb',
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).warnings.map((w: { id: string }) => w.id)).toEqual([
      'authorize.redirect-uri-localhost',
      'authorize.response-mode-query-with-token',
    ]);
    expect(r.stderr).toMatch(/warning: response_mode=query with response_type "id_token"/);
  });

  it('saves the pending request with mode 0600', async () => {
    const r = await runCli([...SEED_ARGS, '--response-type', 'code', '--save', 'pending.json', '--json'], {
      cwd: dir,
      now: Date.UTC(2025, 0, 2, 3, 4, 5),
    });
    const doc = JSON.parse(r.stdout);
    const path = join(dir, 'pending.json');
    expect(doc.saved).toBe(path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({
      kind: 'togo-pending-login',
      version: 1,
      createdAt: '2025-01-02T03:04:05.000Z',
      issuer: 'https://id2.runswithtogo.com/identity',
      clientId: 'sample-production',
      redirectUri: 'https://sample.togogroup.com/togo-callback',
      responseType: 'code',
      scope: 'openid email profile',
      state: 'ac65007cf9729c9168b475452439e9fa',
      nonce: 'c7709929297c0f47645cd4e270049fd0',
      codeVerifier: doc.codeVerifier,
      url: doc.url,
    });
  });

  it('refuses to save where it cannot write', async () => {
    const r = await runCli([...SEED_ARGS, '--save', join(dir, 'no', 'such', 'dir.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/OUTPUT_UNWRITABLE/);
  });

  it('opens the URL with the browser command, which receives it as its argument', async () => {
    const script = join(dir, 'browser.mjs');
    const out = join(dir, 'opened.txt');
    writeFileSync(
      script,
      `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(out)}, process.argv.at(-1));\n`,
    );
    const r = await runCli([...SEED_ARGS, '--open', '-q'], {
      env: { TOGO_BROWSER: `"${process.execPath}" ${script}` },
    });
    expect(r.code).toBe(0);
    await waitFor(() => readFileSync(out, 'utf8') === SEED_URL);
  });

  it('warns, and still succeeds, when the browser cannot start', async () => {
    const r = await runCli([...SEED_ARGS, '--open', '--browser', join(dir, 'no-such-browser')]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(SEED_URL);
    expect(r.stderr).toMatch(/warning: could not open the browser/);
  });

  describe('refuses bad input with exit 2', () => {
    it.each([
      ['a short state', ['--state', 'abc'], 'STATE_INVALID'],
      ['a state with symbols', ['--state', 'abcdefghijklmnop-qr'], 'STATE_INVALID'],
      ['a malformed --param', ['--param', 'novalue'], 'USAGE'],
      ['a --param for a parameter togo sets', ['--param', 'state=x'], 'USAGE'],
      ['an unknown response type', ['--response-type', 'code banana'], 'USAGE'],
      ['an unknown response mode', ['--response-mode', 'post'], 'USAGE'],
      ['an unknown flavor', ['--flavor', 'auth0'], 'USAGE'],
      ['a non-numeric max age', ['--max-age', 'soon'], 'USAGE'],
      ['an unknown environment', ['--env', 'prod'], 'USAGE'],
    ])('%s', async (_name, extra, code) => {
      const r = await runCli(['--json', ...SEED_ARGS, ...extra]);
      expect(r.code).toBe(2);
      expect(JSON.parse(r.stdout).error.code).toBe(code);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    });

    it('without a client id or redirect URI, naming how to set them', async () => {
      const r = await runCli(['login-url', '--redirect-uri', 'https://a/cb']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/\[SETTING_MISSING\] no client id/);
      expect(r.stderr).toMatch(/--client-id.*TOGO_CLIENT_ID/);
      expect((await runCli(['login-url', '--client-id', 'c'])).stderr).toMatch(/no redirect URI/);
    });

    it('for the standard flavor without an authorization endpoint', async () => {
      const r = await runCli([
        'login-url',
        '--issuer',
        'https://idp.example',
        '--client-id',
        'c',
        '--redirect-uri',
        'https://a/cb',
      ]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/no authorization endpoint/);
      expect(r.stderr).toMatch(/--discovery-file/);
    });

    it('for a malformed config file, naming it', async () => {
      writeFileSync(join(dir, 'togo.config.json'), '{"environments": {"dev": {"clientId": }}}');
      const r = await runCli(SEED_ARGS, { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`[CONFIG_INVALID] ${join(dir, 'togo.config.json')}: not valid JSON`);
    });
  });
});

async function waitFor(check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (check()) return;
    } catch {
      // not there yet
    }
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('togo login-url with live discovery', () => {
  it('takes the authorization endpoint from discovery and warns about what the provider does not advertise', async () => {
    const provider = await startProvider({ path: '/oidc' });
    provider.doc = {
      ...provider.doc,
      authorization_endpoint: `${provider.issuer}/auth`,
      response_types_supported: ['code'],
    };
    try {
      const r = await runCli([
        'login-url',
        '--flavor',
        'standard',
        '--issuer',
        provider.issuer,
        '--client-id',
        'app',
        '--redirect-uri',
        'http://127.0.0.1/cb',
        '--response-type',
        'id_token',
      ]);
      expect(r.code).toBe(0);
      expect(r.stdout.split('\n')[0]).toMatch(new RegExp(`^${provider.issuer}/auth\\?client_id=app&`));
      expect(r.stderr).toContain(
        'response type "id_token" is not in the provider\'s response_types_supported',
      );
      expect(provider.requests).toHaveLength(1);
    } finally {
      await provider.close();
    }
  });

  it('composes the URL anyway when discovery does not answer, and says so', async () => {
    const port = await freePort();
    const issuer = `http://127.0.0.1:${port}/identity`;
    const r = await runCli([
      'login-url',
      '--issuer',
      issuer,
      '--flavor',
      'togo',
      '--client-id',
      'app',
      '--redirect-uri',
      'http://127.0.0.1/cb',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith(`${issuer}/login?profile=togo`)).toBe(true);
    expect(r.stderr).toContain(`Discovery for ${issuer} did not answer (NET_REFUSED); composed without it.`);
  });
});
