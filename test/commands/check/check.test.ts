import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse } from '../../helpers/parse.js';
import { type FakeProvider, startProvider } from '../../helpers/providers.js';
import { runCli } from '../../helpers/run-cli.js';
import { publicJwk, sendJson } from '../../helpers/servers.js';
import { elements, parseXmlStrict } from '../../helpers/xml.js';

interface CheckDoc {
  ok: boolean;
  issuer: string;
  summary: { pass: number; warn: number; fail: number };
  checks: { id: string; status: string; message: string; hint?: string }[];
}

const dir = mkdtempSync(join(tmpdir(), 'togo-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An IdentityServer-like authorize endpoint: one client, one redirect URI, errors on its own page. */
function addAuthorize(p: FakeProvider) {
  p.routes.set('/identity/connect/authorize', (res, url) => {
    const q = url.searchParams;
    if (q.get('client_id') !== 'my-app' || q.get('redirect_uri') !== 'https://app.example/callback') {
      res.writeHead(302, { location: '/identity/home/error?errorId=CfDJ8abc' });
      return res.end();
    }
    if (!['code', 'id_token token'].includes(q.get('response_type') ?? '')) {
      res.writeHead(302, {
        location: `${q.get('redirect_uri')}#error=unsupported_response_type&state=${q.get('state')}`,
      });
      return res.end();
    }
    res.writeHead(302, {
      location: `/identity/Account/Login?ReturnUrl=${encodeURIComponent(url.pathname + url.search)}`,
    });
    res.end();
  });
  p.routes.set('/identity/home/error', (res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(
      '<html><body><h1>Error</h1><div class="alert">Sorry, there was an error : <strong><em>unauthorized_client</em></strong><div>Invalid redirect_uri</div></div><div>Request Id: 0HM</div></body></html>',
    );
  });
}

describe('togo check', () => {
  let p: FakeProvider;
  beforeAll(async () => {
    p = await startProvider();
    addAuthorize(p);
  });
  afterAll(() => p.close());

  it('passes a conforming local provider, reporting each check by name', async () => {
    const r = await runCli(['check', p.issuer, '--timeout', '1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/PASS {2}disc\.issuer-match/);
    expect(r.stdout).toMatch(/PASS {2}jwks\.no-private/);
    expect(r.stdout).toMatch(/WARN {2}disc\.url-https/);
    expect(r.stdout).not.toContain('FAIL');
    expect(r.stdout).toMatch(/\d+ passed, \d+ warnings, 0 failed/);
  });

  it('prints one JSON document with every check', async () => {
    const r = await runCli(['check', p.issuer, '--json']);
    expect(r.code).toBe(0);
    const doc = parse<CheckDoc>(r);
    expect(doc.ok).toBe(true);
    expect(doc.summary.fail).toBe(0);
    expect(doc.checks.map((c) => c.id)).toEqual(expect.arrayContaining(['disc.http-200', 'jwks.kid-unique']));
  });

  it('checks expectations, and fails on one the provider does not meet', async () => {
    const r = await runCli([
      'check',
      p.issuer,
      '--json',
      '--expect-scope',
      'cosmos',
      '--expect-scope',
      'urn:logto:scope:organizations',
      '--expect-response-type',
      'token id_token',
      '--expect-claim',
      'user',
      '--expect-grant',
      'implicit',
      '--expect-alg',
      'RS256',
    ]);
    expect(r.code).toBe(1);
    const checks = parse<CheckDoc>(r).checks.filter((c) => c.id.startsWith('expect.'));
    expect(checks.map((c) => `${c.status} ${c.id}`)).toEqual([
      'pass expect.response-type:token id_token',
      'pass expect.scope:cosmos',
      'fail expect.scope:urn:logto:scope:organizations',
      'pass expect.claim:user',
      'pass expect.grant:implicit',
      'pass expect.alg:RS256',
    ]);
  });

  describe('the client probe', () => {
    const probe = async (...args: string[]) => {
      const r = await runCli(['check', p.issuer, '--json', ...args]);
      return { code: r.code, check: parse<CheckDoc>(r).checks.find((c) => c.id === 'probe.authorize') };
    };

    it('passes when the provider sends the browser to its login page', async () => {
      const before = p.requests.length;
      const r = await probe('--client-id', 'my-app', '--redirect-uri', 'https://app.example/callback');
      expect(r.code).toBe(0);
      expect(r.check).toMatchObject({ status: 'pass' });
      expect(r.check?.message).toContain('/identity/Account/Login');
      const sent = p.requests.slice(before).find((q) => q.url.startsWith('/identity/connect/authorize'));
      const q = new URL(sent?.url ?? '/', p.origin).searchParams;
      expect(q.get('state')).toMatch(/^[A-Za-z0-9]{32}$/);
      expect(q.get('nonce')).toMatch(/^[A-Za-z0-9]{32}$/);
      expect(q.get('code_challenge_method')).toBe('S256');
    });

    it('reads the reason off the provider’s error page', async () => {
      const r = await probe('--client-id', 'my-app', '--redirect-uri', 'https://app.example/other');
      expect(r.code).toBe(1);
      expect(r.check?.status).toBe('fail');
      expect(r.check?.message).toContain('unauthorized_client: Invalid redirect_uri');
      expect(r.check?.hint).toContain('redirect URI');
    });

    it('fails on an error sent to the redirect URI', async () => {
      const r = await probe(
        '--client-id',
        'my-app',
        '--redirect-uri',
        'https://app.example/callback',
        '--response-type',
        'token',
      );
      expect(r.check).toMatchObject({ status: 'fail' });
      expect(r.check?.message).toContain('unsupported_response_type');
    });

    it('takes the client from TOGO_CLIENT_ID and TOGO_REDIRECT_URI', async () => {
      const r = await runCli(['check', p.issuer, '--json'], {
        env: { TOGO_CLIENT_ID: 'someone-else', TOGO_REDIRECT_URI: 'https://app.example/callback' },
      });
      expect(r.code).toBe(1);
      expect(parse<CheckDoc>(r).checks.find((c) => c.id === 'probe.authorize')?.status).toBe('fail');
    });

    it('asks for the redirect URI when only the client id is known', async () => {
      const r = await runCli(['check', p.issuer, '--client-id', 'my-app']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('--redirect-uri');
    });

    it('fails on an error status with the reason from a JSON body', async () => {
      const q = await startProvider();
      q.routes.set('/identity/connect/authorize', (res) =>
        sendJson(res, { error: 'invalid_client', error_description: 'client is disabled' }, 400),
      );
      try {
        const r = await runCli([
          'check',
          q.issuer,
          '--json',
          '--client-id',
          'x',
          '--redirect-uri',
          'https://a.example/cb',
        ]);
        const check = parse<CheckDoc>(r).checks.find((c) => c.id === 'probe.authorize');
        expect(check?.message).toBe(
          'the authorize endpoint answered HTTP 400: invalid_client (the provider\'s own words: "client is disabled")',
        );
      } finally {
        await q.close();
      }
    });
  });

  describe('CORS', () => {
    beforeEach(() => {
      p.corsOrigins = [];
    });

    it('passes when discovery, JWKS, token and userinfo answer the origin', async () => {
      p.corsOrigins = ['https://spa.example'];
      const r = await runCli(['check', p.issuer, '--json', '--origin', 'https://spa.example']);
      expect(r.code).toBe(0);
      const cors = parse<CheckDoc>(r).checks.filter((c) => c.id.startsWith('cors.'));
      expect(cors.map((c) => `${c.status} ${c.id}`)).toEqual([
        'pass cors.discovery',
        'pass cors.jwks',
        'pass cors.token',
        'pass cors.userinfo',
      ]);
    });

    it('fails each endpoint that does not answer the origin', async () => {
      p.corsOrigins = ['https://other.example'];
      const r = await runCli(['check', p.issuer, '--json', '--origin', 'https://spa.example']);
      expect(r.code).toBe(1);
      const cors = parse<CheckDoc>(r).checks.filter((c) => c.id.startsWith('cors.'));
      expect(cors.every((c) => c.status === 'fail')).toBe(true);
      expect(cors[0]?.message).toContain('no Access-Control-Allow-Origin');
    });

    it('refuses an origin with a path', async () => {
      const r = await runCli(['check', p.issuer, '--origin', 'https://spa.example/app']);
      expect(r.code).toBe(2);
    });
  });

  describe('baseline', () => {
    it('passes against its own snapshot, and reports what was removed and added since', async () => {
      const snap = await runCli(['discover', p.issuer, '--json']);
      const file = join(dir, 'baseline.json');
      writeFileSync(file, snap.stdout);
      const same = await runCli(['check', p.issuer, '--json', '--baseline', file]);
      expect(same.code).toBe(0);
      expect(
        parse<CheckDoc>(same)
          .checks.filter((c) => c.id.startsWith('baseline.'))
          .every((c) => c.status === 'pass'),
      ).toBe(true);

      const saved = structuredClone(p.doc);
      try {
        p.doc.scopes_supported = ['openid', 'email', 'profile', 'offline_access', 'fleet'];
        p.doc.token_endpoint = `${p.issuer}/connect/token2`;
        const r = await runCli(['check', p.issuer, '--json', '--baseline', file]);
        expect(r.code).toBe(1);
        const checks = parse<CheckDoc>(r).checks;
        expect(checks.find((c) => c.id === 'baseline.scopes')).toMatchObject({
          status: 'fail',
          message: 'scopes_supported: removed cosmos; added fleet',
        });
        expect(checks.find((c) => c.id === 'baseline.endpoints')?.message).toContain(
          'token_endpoint changed',
        );
      } finally {
        p.doc = saved;
      }
    });

    it('says how to make a baseline when the file is missing', async () => {
      const r = await runCli(['check', p.issuer, '--baseline', join(dir, 'nope.json')]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('togo discover <issuer> --json > baseline.json');
    });
  });

  describe('distinct keys', () => {
    it('fails when another environment publishes the same signing key', async () => {
      const shared = publicJwk('RSA', { kid: 'dev-key', alg: 'RS256' }).publicJwk;
      const prod = await startProvider({ keys: [shared] });
      const dev = await startProvider({ keys: [{ ...shared, kid: 'renamed' }] });
      try {
        const r = await runCli(['check', prod.issuer, '--json', '--distinct-keys-from', dev.issuer]);
        expect(r.code).toBe(1);
        const c = parse<CheckDoc>(r).checks.find((x) => x.id === 'keys.distinct');
        expect(c?.status).toBe('fail');
        expect(c?.message).toContain('"dev-key" (same key material)');
      } finally {
        await prod.close();
        await dev.close();
      }
    });

    it('fails on the same kid alone', async () => {
      const other = await startProvider(); // another key, but the same kid "togo-1"
      try {
        const r = await runCli(['check', p.issuer, '--json', '--distinct-keys-from', other.issuer]);
        expect(parse<CheckDoc>(r).checks.find((x) => x.id === 'keys.distinct')?.message).toContain(
          '"togo-1" (same kid)',
        );
      } finally {
        await other.close();
      }
    });

    it('passes when the keys differ', async () => {
      const other = await startProvider({
        keys: [publicJwk('RSA', { kid: 'prod-1', alg: 'RS256' }).publicJwk],
      });
      try {
        const r = await runCli(['check', p.issuer, '--json', '--distinct-keys-from', other.issuer]);
        expect(r.code).toBe(0);
        expect(parse<CheckDoc>(r).checks.find((x) => x.id === 'keys.distinct')?.status).toBe('pass');
      } finally {
        await other.close();
      }
    });
  });

  describe('CI output', () => {
    it('writes JUnit XML with one testcase per check', async () => {
      const file = join(dir, 'junit.xml');
      const r = await runCli(['check', p.issuer, '--junit', file, '--expect-scope', 'nope']);
      expect(r.code).toBe(1);
      const xml = readFileSync(file, 'utf8');
      expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>/);
      const doc = parseXmlStrict(xml);
      expect(doc.attributes).toMatchObject({ name: 'togo check', failures: '1' });
      const cases = elements(doc, 'testcase');
      expect(cases.find((c) => c.attributes.name === 'disc.issuer-match')).toMatchObject({
        attributes: { classname: 'togo.check.disc', time: '0' },
        children: [],
      });
      const scope = cases.find((c) => c.attributes.name === 'expect.scope:nope');
      expect(scope?.attributes.classname).toBe('togo.check.expect');
      expect(scope?.children[0]?.attributes.message).toMatch(/^scopes_supported does not include "nope"/);
    });

    it('annotates GitHub Actions runs', async () => {
      const r = await runCli(['check', p.issuer, '--expect-scope', 'nope'], {
        env: { GITHUB_ACTIONS: 'true' },
      });
      expect(r.stdout).toContain(
        '::error title=togo check expect.scope%3Anope::scopes_supported does not include "nope"',
      );
      expect(r.stdout).toMatch(/::warning title=togo check disc.url-https::/);
    });

    it('keeps stdout to the JSON document under --json', async () => {
      const r = await runCli(['check', p.issuer, '--json', '--expect-scope', 'nope'], {
        env: { GITHUB_ACTIONS: 'true' },
      });
      expect(parse<CheckDoc>(r).ok).toBe(false);
      expect(r.stderr).toContain('::error title=');
    });
  });

  it('exits 3 when the provider cannot be reached', async () => {
    const r = await runCli(['check', 'http://127.0.0.1:9/identity', '--json']);
    expect(r.code).toBe(3);
    expect(parse(r)).toMatchObject({ ok: false, error: { code: 'NET_REFUSED' } });
  });
});
