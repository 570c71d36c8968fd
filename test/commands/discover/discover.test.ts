import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from '../../helpers/parse.js';
import { type FakeProvider, logtoDocument, startProvider } from '../../helpers/providers.js';
import { runCli } from '../../helpers/run-cli.js';
import { freePort, publicJwk, selfSignedCert, sendJson } from '../../helpers/servers.js';

describe('togo discover', () => {
  let togo: FakeProvider;
  beforeAll(async () => {
    togo = await startProvider();
  });
  afterAll(() => togo.close());

  it('shows a Togo ID-shaped provider readably and passes it', async () => {
    const r = await runCli(['discover', togo.issuer, '--timeout', '1']);
    expect(r.stderr).not.toContain('error');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Issuer    ${togo.issuer}`);
    expect(r.stdout).toContain('OpenID Connect location');
    expect(r.stdout).toMatch(/authorization\s+http:\/\/127\.0\.0\.1:\d+\/identity\/connect\/authorize/);
    expect(r.stdout).toMatch(/scopes\s+openid, email, profile, cosmos, offline_access/);
    expect(r.stdout).toMatch(/PKCE methods\s+plain, S256/);
    expect(r.stdout).toMatch(/front-channel\s+yes \(session: yes\)/);
    expect(r.stdout).toMatch(/togo-1\s+RSA\s+2048 bits\s+RS256\s+sig/);
    expect(r.stdout).toMatch(/WARN\s+disc\.url-https/);
    expect(r.stdout).toMatch(/\d+ warnings?, 0 failed/);
  });

  it('takes the issuer from TOGO_ISSUER', async () => {
    const r = await runCli(['discover', '--json'], { env: { TOGO_ISSUER: togo.issuer } });
    expect(r.code).toBe(0);
    expect(parse(r).url).toBe(`${togo.issuer}/.well-known/openid-configuration`);
  });

  it('prints one JSON document with the metadata, keys and findings', async () => {
    const r = await runCli(['discover', `${togo.issuer}/.well-known/openid-configuration`, '--json']);
    expect(r.code).toBe(0);
    const doc = parse<{
      ok: boolean;
      location: string;
      metadata: Record<string, unknown>;
      jwks: { keys: { kid: string }[] };
      findings: { id: string; status: string; message: string; hint: string }[];
    }>(r);
    expect(doc.ok).toBe(true);
    expect(doc.location).toBe('given');
    expect(doc.metadata.issuer).toBe(togo.issuer);
    expect(doc.jwks.keys.map((k) => k.kid)).toEqual(['togo-1']);
    expect(doc.findings.every((f) => f.status !== 'fail' && f.hint.length > 0)).toBe(true);
  });

  it('prints the document as served with --raw', async () => {
    const r = await runCli(['discover', togo.issuer, '--raw']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${JSON.stringify(togo.doc)}\n`);
  });

  it('takes the provider from an environment in togo.config.json', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'togo-discover-'));
    try {
      writeFileSync(
        join(cwd, 'togo.config.json'),
        JSON.stringify({ environments: { local: { issuer: togo.issuer, flavor: 'standard' } } }),
      );
      const r = await runCli(['discover', '--env', 'local', '--json'], { cwd });
      expect(r.code).toBe(0);
      expect(parse(r).url).toBe(`${togo.issuer}/.well-known/openid-configuration`);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it('says so when the environment does not exist', async () => {
    const r = await runCli(['discover', '--env', 'nowhere']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nowhere');
  });
});

describe('togo discover on broken providers', () => {
  let p: FakeProvider;
  beforeAll(async () => {
    p = await startProvider();
  });
  afterAll(() => p.close());

  async function discover(
    change: (doc: Record<string, unknown>, issuer: string) => void,
    ...flags: string[]
  ) {
    const fresh = await startProvider();
    change(fresh.doc, fresh.issuer);
    try {
      const r = await runCli(['discover', fresh.issuer, '--json', '--timeout', '1', ...flags]);
      return {
        ...r,
        findings: (parse(r).findings ?? []) as { id: string; status: string; hint: string }[],
      };
    } finally {
      await fresh.close();
    }
  }

  it('fails an issuer mismatch', async () => {
    const r = await discover((d) => (d.issuer = 'https://id2.runswithtogo.com/identity'));
    expect(r.code).toBe(1);
    expect(r.findings).toContainEqual(expect.objectContaining({ id: 'disc.issuer-match', status: 'fail' }));
  });

  it('fails an issuer with a trailing slash, and says so', async () => {
    const r = await discover((d, issuer) => (d.issuer = `${issuer}/`));
    expect(r.code).toBe(1);
    const f = r.findings.find((x) => x.id === 'disc.issuer-match');
    expect(f?.hint).toContain('Configure exactly');
    expect(JSON.stringify(f)).toContain('trailing slash');
  });

  it('fails missing required fields and empty arrays', async () => {
    const r = await discover((d) => {
      delete d.authorization_endpoint;
      d.scopes_supported = [];
    });
    expect(r.code).toBe(1);
    expect(r.findings.map((f) => f.id)).toEqual(
      expect.arrayContaining(['disc.required-fields', 'disc.empty-arrays']),
    );
  });

  it('fails http endpoints on a public host', async () => {
    const r = await discover((d) => (d.userinfo_endpoint = 'http://id.example/connect/userinfo'));
    expect(r.code).toBe(1);
    expect(r.findings).toContainEqual(
      expect.objectContaining({ id: 'disc.endpoints-https', status: 'fail' }),
    );
  });

  it('fails private keys in the JWKS', async () => {
    const fresh = await startProvider({ keys: [publicJwk('RSA', { kid: 'k1' }).privateJwk] });
    try {
      const r = await runCli(['discover', fresh.issuer, '--json']);
      expect(r.code).toBe(1);
      expect(parse(r).findings).toContainEqual(
        expect.objectContaining({ id: 'jwks.no-private', status: 'fail' }),
      );
    } finally {
      await fresh.close();
    }
  });

  it('warns about duplicate kids', async () => {
    const k = publicJwk('RSA', { kid: 'same', alg: 'RS256' }).publicJwk;
    const fresh = await startProvider({
      keys: [k, { ...publicJwk('RSA').publicJwk, kid: 'same', alg: 'RS256' }],
    });
    try {
      const r = await runCli(['discover', fresh.issuer, '--json']);
      expect(r.code).toBe(0);
      expect(parse(r).findings).toContainEqual(
        expect.objectContaining({ id: 'jwks.kid-unique', status: 'warn' }),
      );
    } finally {
      await fresh.close();
    }
  });

  it('reports a JWKS that cannot be fetched as a failed check', async () => {
    const port = await freePort();
    const r = await discover((d) => (d.jwks_uri = `http://127.0.0.1:${port}/jwks`));
    expect(r.code).toBe(1);
    expect(r.findings).toContainEqual(expect.objectContaining({ id: 'jwks.fetch', status: 'fail' }));
  });

  it('passes a Logto-shaped provider with a warning about ES384', async () => {
    const ec = publicJwk('EC', { kid: 'logto', alg: 'ES384' }).publicJwk;
    const fresh = await startProvider({ path: '/oidc', shape: logtoDocument, keys: [ec] });
    try {
      const r = await runCli(['discover', fresh.issuer, '--json']);
      expect(r.code).toBe(0);
      expect(parse(r).findings).toContainEqual(expect.objectContaining({ id: 'disc.rs256', status: 'warn' }));
      expect((await runCli(['discover', fresh.issuer, '--strict'])).code).toBe(1);
    } finally {
      await fresh.close();
    }
  });

  it('exits 3 with the start of the page when HTML comes instead of JSON', async () => {
    p.routes.set('/html/.well-known/openid-configuration', (res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!DOCTYPE html><html><body>Sign in</body></html>');
    });
    const r = await runCli(['discover', `${p.origin}/html`]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('[HTTP_CONTENT_TYPE]');
    expect(r.stderr).toContain('text/html: an HTML page: "Sign in"');
    expect(r.stderr).not.toContain('<!DOCTYPE');
    expect(r.stderr).toContain('hint:');
    expect(r.stderr).not.toContain('    at ');
  });

  it('exits 3 with a JSON error document under --json', async () => {
    p.routes.set('/slow/.well-known/openid-configuration', () => {});
    const r = await runCli(['discover', `${p.origin}/slow`, '--json', '--timeout', '1']);
    expect(r.code).toBe(3);
    expect(parse(r)).toMatchObject({ ok: false, error: { code: 'NET_TIMEOUT' } });
  });

  it('exits 3 on a redirect loop', async () => {
    p.routes.set('/loop/.well-known/openid-configuration', (res) => {
      res.writeHead(302, { location: '/loop/.well-known/openid-configuration' });
      res.end();
    });
    const r = await runCli(['discover', `${p.origin}/loop`]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('[HTTP_REDIRECTS]');
  });

  it('exits 3 on a 10 MiB document', async () => {
    p.routes.set('/big/.well-known/openid-configuration', (res) =>
      sendJson(res, JSON.stringify({ issuer: 'x'.repeat(10 * 1024 * 1024) })),
    );
    const r = await runCli(['discover', `${p.origin}/big`]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('[HTTP_BODY_TOO_LARGE]');
  });
});

describe('togo discover over https', () => {
  const cert = selfSignedCert();
  let secure: FakeProvider;
  beforeAll(async () => {
    secure = await startProvider({ tls: cert });
  });
  afterAll(async () => {
    await secure.close();
    cert.cleanup();
  });

  it('refuses a self-signed certificate, naming the problem', async () => {
    const r = await runCli(['discover', secure.issuer]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('[NET_TLS]');
    expect(r.stderr).toContain('self-signed');
  });

  it('trusts it with --ca, and finds no https problem', async () => {
    const r = await runCli(['discover', secure.issuer, '--ca', cert.certFile, '--json']);
    expect(r.code).toBe(0);
    const findings = parse(r).findings as { id: string; status: string }[];
    // Togo ID's document offers PKCE "plain" (RFC 9700 wants S256 only); nothing about https.
    expect(findings.filter((f) => f.status !== 'info').map((f) => f.id)).toEqual(['disc.pkce-plain']);
  });
});
