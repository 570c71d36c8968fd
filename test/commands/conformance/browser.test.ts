/**
 * `togo conformance` against relying parties this project did not write, each twice: configured
 * correctly (every fault it must reject is rejected) and deliberately weakened (the report names
 * exactly the faults the weakness lets through). One emulator per run, started by the command
 * itself on a port chosen free here, which the application is configured with beforehand.
 */
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactUrl } from '../../../src/commands/conformance/drive.js';
import { startApache } from '../../e2e/relying-parties/apache-rp.js';
import { CHROMIUM, useBrowserServer } from '../../helpers/browser.js';
import { runBin } from '../../helpers/run-cli.js';
import { startOpenIdClientApp } from './openid-client-app.js';

const JOE_PROFILE_ID = 'de7b350e-0ef2-450e-b2ae-24aca70d8a33';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface Case {
  fault: string;
  expected: string | null;
  app: string;
  ok: boolean;
  verdict: string;
  evidence: { url: string; status: number | null; line: string } | null;
  rule?: string;
  hint?: string;
  reason?: string;
}
interface Report {
  ok: boolean;
  issuer: string;
  flow: { responseType: string; nonce: boolean } | null;
  control: { app: string; evidence: { url: string; status: number | null; line: string } };
  cases: Case[];
}

/** One browser for the file's runs (TOGO_BROWSER_ENDPOINT); a run with `ownBrowser` starts its own. */
const shared = useBrowserServer();

function conformance(
  args: string[],
  env: Record<string, string> = {},
  options: { ownBrowser?: boolean } = {},
) {
  const browser: Record<string, string> = options.ownBrowser
    ? {}
    : { TOGO_BROWSER_ENDPOINT: shared.endpoint() };
  return runBin(['conformance', ...args], {
    env: { TOGO_CHROMIUM: CHROMIUM, NO_COLOR: '1', ...browser, ...env },
    timeoutMs: 200_000,
  });
}

const failed = (r: Report) =>
  r.cases
    .filter((c) => c.verdict === 'FAIL')
    .map((c) => c.fault)
    .sort();

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'togo-conformance-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('togo conformance against an openid-client application', () => {
  it('configured correctly: every fault it must reject is rejected, and the run passes', async () => {
    const port = await freePort();
    const app = await startOpenIdClientApp(`http://127.0.0.1:${port}/identity`, 'correct');
    try {
      const junit = join(dir, 'correct.xml');
      const run = await conformance(
        [
          '--start-url',
          app.startUrl,
          '--success-text',
          'Signed in as joe@m.test',
          '--port',
          String(port),
          '--json',
          '--junit',
          junit,
          // This run starts Chromium itself, as a user's run does; the others share the file's.
        ],
        {},
        { ownBrowser: true },
      );
      expect(run.code, run.stderr).toBe(0);
      const report = JSON.parse(run.stdout) as Report;
      expect(report.ok).toBe(true);
      expect(report.control.app).toBe('accepted');
      expect(report.flow).toEqual({ responseType: 'code', nonce: true });
      const byFault = Object.fromEntries(report.cases.map((c) => [c.fault, c]));
      for (const fault of ['expired-id-token', 'wrong-audience', 'wrong-issuer', 'wrong-nonce', 'alg-none']) {
        expect(byFault[fault], fault).toMatchObject({ expected: 'reject', app: 'rejected', verdict: 'ok' });
        expect(byFault[fault]?.evidence?.status).toBe(401);
      }
      // Non-repudiation checks: the token endpoint's ID token signature is verified too.
      for (const fault of ['bad-signature', 'unknown-kid']) {
        expect(byFault[fault], fault).toMatchObject({
          expected: 'reject-or-accept',
          app: 'rejected',
          verdict: 'ok',
        });
      }
      expect(byFault['missing-at-hash']).toMatchObject({
        expected: 'accept',
        app: 'accepted',
        verdict: 'ok',
      });
      // openid-client does not compare at_hash at the token endpoint: a MAY there (Core 3.1.3.8).
      expect(byFault['bad-at-hash']).toMatchObject({
        expected: 'reject-or-accept',
        app: 'accepted',
        verdict: 'allowed',
      });
      // openid-client fetches the JWKS again for an unknown kid only once its copy is 60 s old:
      // within a short run it may reject the rotated key, which the rule allows.
      expect(byFault['rotate-keys']).toMatchObject({ expected: 'accept-or-reject', ok: true });
      expect(byFault['error-access-denied']).toMatchObject({ app: 'rejected', verdict: 'ok' });
      expect(byFault['slow-discovery']).toMatchObject({ app: 'not run', verdict: 'not run' });
      expect(byFault['slow-discovery']?.reason).toMatch(/discovery document/);
      const xml = await readFile(junit, 'utf8');
      expect(xml).toContain('name="conformance.wrong-audience"');
      expect(xml).not.toContain('<failure');
    } finally {
      await app.stop();
    }
  }, 240_000);

  it('weakened (audience and nonce not checked): the report names exactly those faults, exit 1', async () => {
    const port = await freePort();
    const app = await startOpenIdClientApp(`http://127.0.0.1:${port}/identity`, 'weakened');
    try {
      const faults = 'wrong-audience,wrong-nonce,wrong-issuer';
      const args = ['--start-url', app.startUrl, '--success-text', 'Signed in as', '--port', String(port)];
      const run = await conformance([...args, '--faults', faults, '--json'], { GITHUB_ACTIONS: 'true' });
      expect(run.code, run.stderr).toBe(1);
      const report = JSON.parse(run.stdout) as Report;
      expect(report.ok).toBe(false);
      expect(failed(report)).toEqual(['wrong-audience', 'wrong-nonce']);
      const audience = report.cases.find((c) => c.fault === 'wrong-audience');
      expect(audience?.rule).toMatch(/3\.1\.3\.7 #3/);
      expect(audience?.hint).toMatch(/audience not checked/);
      expect(audience?.evidence?.line).toMatch(/Signed in as joe@m.test/);
      // With --json the annotations go to stderr, one per failure.
      expect(run.stderr).toMatch(/^::error title=togo check conformance\.wrong-audience::/m);
      expect(run.stderr).toMatch(/^::error title=togo check conformance\.wrong-nonce::/m);
    } finally {
      await app.stop();
    }
  }, 240_000);
});

describe('togo conformance against mod_auth_openidc behind Apache', () => {
  const success = `"id":"${JOE_PROFILE_ID}"`;

  it('configured correctly, implicit with form_post: rejects every fault, at_hash required beside the access token', async () => {
    const port = await freePort();
    const apache = await startApache(`http://127.0.0.1:${port}/identity/.well-known/openid-configuration`);
    try {
      const run = await conformance([
        '--start-url',
        apache.pages.implicit,
        '--success-text',
        success,
        '--port',
        String(port),
        '--faults',
        'wrong-audience,bad-signature,missing-at-hash',
        '--json',
      ]);
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
      const report = JSON.parse(run.stdout) as Report;
      expect(report.flow).toEqual({ responseType: 'id_token token', nonce: true });
      expect(report.cases.map((c) => `${c.fault} ${c.expected} ${c.app} ${c.verdict}`)).toEqual([
        'wrong-audience reject rejected ok',
        'bad-signature reject rejected ok',
        'missing-at-hash reject rejected ok',
      ]);
    } finally {
      await apache.stop();
    }
  }, 240_000);

  it('weakened (OIDCValidateIssuer Off): the report names wrong-issuer and nothing else', async () => {
    const port = await freePort();
    const apache = await startApache(`http://127.0.0.1:${port}/identity/.well-known/openid-configuration`, [
      'OIDCValidateIssuer Off',
    ]);
    try {
      const run = await conformance([
        '--start-url',
        apache.pages.code,
        '--success-text',
        success,
        '--port',
        String(port),
        '--faults',
        'wrong-issuer,wrong-audience',
      ]);
      expect(run.code, run.stderr).toBe(1);
      expect(run.stdout).toMatch(/^wrong-issuer: accepted a login it must reject$/m);
      expect(run.stdout).toMatch(/Result: FAIL .*: wrong-issuer$/m);
      expect(run.stdout).not.toMatch(/^wrong-audience:/m);
    } finally {
      await apache.stop();
    }
  }, 240_000);
});

describe('togo conformance refuses to prove nothing', () => {
  it('a control login that never reaches the emulator ends the run with exit 4 and what the browser saw', async () => {
    // An application not pointed at the emulator: its page says "Signed in" without any login.
    const app = createHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<p>Signed in as someone from another provider</p>');
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    const { port: appPort } = app.address() as { port: number };
    try {
      const args = [
        '--start-url',
        `http://127.0.0.1:${appPort}/`,
        '--success-text',
        'Signed in',
        '--port',
        '0',
      ];
      const run = await conformance([...args, '--faults', 'wrong-audience']);
      expect(run.code, run.stderr).toBe(4);
      expect(run.stdout).toMatch(
        /^ {2}control +rejected +200 http:\/\/127\.0\.0\.1:\d+\/: "the success page showed, but the browser never reached http:\/\/127\.0\.0\.1:\d+\/identity\/connect\/authorize/m,
      );
      expect(run.stdout).toMatch(/^The control login without a fault failed: the run proves nothing\.$/m);
      expect(run.stdout).not.toMatch(/wrong-audience/);
      expect(run.stderr).toMatch(/^control \(no fault\): rejected$/m);
    } finally {
      await new Promise((resolve) => app.close(resolve));
    }
  }, 120_000);

  it('an application that stops accepting good logins after a rejection: inconclusive, the run stops, exit 4', async () => {
    const port = await freePort();
    const app = await startOpenIdClientApp(`http://127.0.0.1:${port}/identity`, 'locks-out');
    try {
      const args = ['--start-url', app.startUrl, '--success-text', 'Signed in as', '--port', String(port)];
      const run = await conformance([...args, '--faults', 'wrong-audience,wrong-issuer', '--json']);
      expect(run.code, run.stderr).toBe(4);
      const report = JSON.parse(run.stdout) as Report & { brokeAfter?: string };
      expect(report).toMatchObject({ ok: false, control: { app: 'accepted' }, brokeAfter: 'wrong-audience' });
      expect(report.cases.map((c) => `${c.fault} ${c.verdict}`)).toEqual([
        'wrong-audience inconclusive',
        'wrong-issuer not run',
      ]);
      expect(report.cases[1]?.reason).toMatch(/after wrong-audience a good login failed too/);
    } finally {
      await app.stop();
    }
  }, 120_000);

  it('a start URL that is not an http(s) URL, or no success rule, is a usage error before anything starts', async () => {
    const bad = await conformance(['--start-url', 'ftp://x', '--success-text', 'ok']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error \[USAGE\] --start-url takes an http\(s\) URL/m);
    const none = await conformance(['--start-url', 'http://127.0.0.1:1/login']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--success-text or --success-url/);
    const fault = await conformance([
      '--start-url',
      'http://127.0.0.1:1/',
      '--success-text',
      'x',
      '--faults',
      'nope',
    ]);
    expect(fault.code).toBe(2);
    expect(fault.stderr).toMatch(/MOCK_FAULT_UNKNOWN/);
  });

  it('a missing Chromium is a set-up error with the way to install it', async () => {
    const run = await conformance(
      ['--start-url', 'http://127.0.0.1:1/', '--success-text', 'x'],
      { TOGO_CHROMIUM: join(dir, 'no-chromium') },
      { ownBrowser: true },
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/BROWSER_UNAVAILABLE/);
    expect(run.stderr).toMatch(/apt-get install chromium/);
  });

  it('a TOGO_BROWSER_ENDPOINT where no browser answers is the same set-up error, naming the variable', async () => {
    const closed = await freePort();
    const run = await conformance(['--start-url', 'http://127.0.0.1:1/', '--success-text', 'x'], {
      TOGO_BROWSER_ENDPOINT: `ws://127.0.0.1:${closed}/`,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^error \[BROWSER_UNAVAILABLE\] no browser answered at TOGO_BROWSER_ENDPOINT/m,
    );
    expect(run.stderr).not.toMatch(/^ {4}at /m);
  });

  it('--junit never writes through a symbolic link', async () => {
    const target = join(dir, 'victim.txt');
    await writeFile(target, 'keep me');
    const link = join(dir, 'report.xml');
    await symlink(target, link);
    const run = await conformance([
      '--start-url',
      'http://127.0.0.1:1/login',
      '--success-text',
      'Signed in as',
      '--junit',
      link,
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/OUTPUT_REFUSED/);
    expect(await readFile(target, 'utf8')).toBe('keep me');
  });
});

describe('conformance evidence', () => {
  it('keeps codes and tokens out of the evidence URL, and the rest of it as it was', () => {
    const url = redactUrl(
      'http://127.0.0.1:5055/callback?code=SECRETCODE&state=abc#id_token=eyJ.x.y&token_type=Bearer',
    );
    expect(url).not.toMatch(/SECRETCODE|eyJ/);
    expect(url).toBe('http://127.0.0.1:5055/callback?code=…&state=abc#id_token=…&token_type=Bearer');
    expect(redactUrl('http://127.0.0.1:5055/home')).toBe('http://127.0.0.1:5055/home');
  });
});
