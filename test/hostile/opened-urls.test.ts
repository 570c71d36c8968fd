/**
 * URLs togo opens in a browser: only https:, or http: to this machine; never a value beginning with
 * "-" (a browser option); handed to Chromium-family commands after "--". The same rule for the
 * device flow's verification URI (which comes from the provider) and for the login URL.
 */
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openableUrl } from '../../src/oidc/open-url.js';
import { HANG_MS } from '../helpers/hang.js';
import { runCli } from '../helpers/run-cli.js';
import { sendJson, startServer, type TestServer } from '../helpers/servers.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'togo-open-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface StandIn {
  /** The stand-in browser: named like Chromium, it records the arguments it was started with. */
  browser: string;
  /**
   * The arguments the browser got, waiting for it to write them (a busy machine may take seconds to
   * start it); undefined if never started.
   */
  opened(waitMs?: number): Promise<string[] | undefined>;
}

/** A stand-in browser of the test's own, so tests can run side by side. */
async function standIn(): Promise<StandIn> {
  const own = await mkdtemp(join(dir, 'browser-'));
  const record = join(own, 'argv.json');
  const browser = join(own, 'chromium');
  await writeFile(
    browser,
    `#!/usr/bin/env node\nrequire('node:fs').writeFileSync(${JSON.stringify(record)}, JSON.stringify(process.argv.slice(2)));\n`,
  );
  await chmod(browser, 0o755);
  return {
    browser,
    async opened(waitMs = HANG_MS) {
      const deadline = Date.now() + waitMs;
      for (;;) {
        try {
          return JSON.parse(await readFile(record, 'utf8'));
        } catch {
          if (Date.now() > deadline) return undefined;
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    },
  };
}

/** A hostile provider whose device endpoint answers with `complete` as verification_uri_complete. */
function deviceProvider(complete: string): Promise<TestServer> {
  return startServer((req, res, self) => {
    req.resume();
    req.on('end', () => {
      if (req.url === '/.well-known/openid-configuration') {
        return sendJson(res, {
          issuer: self.origin,
          authorization_endpoint: `${self.origin}/authorize`,
          token_endpoint: `${self.origin}/token`,
          device_authorization_endpoint: `${self.origin}/device`,
          jwks_uri: `${self.origin}/jwks`,
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
        });
      }
      if (req.url === '/jwks') return sendJson(res, { keys: [] });
      if (req.url === '/device') {
        return sendJson(res, {
          device_code: 'dc',
          user_code: 'ABCD-EFGH',
          verification_uri: 'https://id.example/device',
          verification_uri_complete: complete,
          expires_in: 30,
          interval: 1,
        });
      }
      // The user refuses: the device login ends with exit 4.
      sendJson(res, { error: 'access_denied' }, 400);
    });
  });
}

/** A device login whose provider sends `uri` to open, with a stand-in browser to open it. */
async function deviceLogin(uri: string) {
  const [provider, browser] = await Promise.all([deviceProvider(uri), standIn()]);
  try {
    const r = await runCli([
      'login',
      '--device',
      '--issuer',
      provider.origin,
      '--client-id',
      'cli',
      '--open',
      '--browser',
      browser.browser,
      '--timeout',
      '20',
    ]);
    return { ...r, opened: browser.opened };
  } finally {
    await provider.close();
  }
}

// Side by side: each test has its own provider and its own stand-in browser.
describe.concurrent('URLs togo opens', () => {
  it('a device verification URI beginning with "--" never reaches the browser as an option', async () => {
    const r = await deviceLogin('--user-data-dir=/tmp/evil');
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('togo does not open this URL');
    expect(await r.opened(500)).toBeUndefined();
  });

  it.each([
    ['file:///etc/passwd', 'file:'],
    ['javascript:alert(1)', 'javascript:'],
    ['x-custom-handler://run', 'x-custom-handler:'],
    ['http://evil.example/device', 'plain http'],
  ])('a device verification URI %s is refused (%s)', async (uri, why) => {
    const r = await deviceLogin(uri);
    expect(r.stderr).toContain('togo does not open this URL');
    expect(r.stderr).toContain(why);
    expect(await r.opened(500)).toBeUndefined();
  });

  it('an https verification URI is opened, after "--" for a Chromium-family browser', async () => {
    const r = await deviceLogin('https://id.example/device?user_code=ABCD-EFGH');
    expect(r.code).toBe(4);
    expect(await r.opened()).toEqual(['--', 'https://id.example/device?user_code=ABCD-EFGH']);
  });

  it('the login URL follows the same rule: plain http to another host is not opened', async () => {
    const refused = await standIn();
    const opened = await standIn();
    const base = [
      'login-url',
      '--flavor',
      'standard',
      '--client-id',
      'cli',
      '--redirect-uri',
      'http://127.0.0.1/callback',
      '--open',
      '--browser',
    ];
    const r = await runCli([
      ...base,
      refused.browser,
      '--issuer',
      'http://idp.example',
      '--authorization-endpoint',
      'http://idp.example/authorize',
    ]);
    expect(r.stderr).toContain('togo does not open this URL');
    expect(await refused.opened(500)).toBeUndefined();
    const ok = await runCli([
      ...base,
      opened.browser,
      '--issuer',
      'http://127.0.0.1:9/x',
      '--authorization-endpoint',
      'http://127.0.0.1:9/x/authorize',
    ]);
    expect(ok.code).toBe(0);
    const argv = await opened.opened();
    expect(argv?.[0]).toBe('--');
    expect(argv?.[1]).toMatch(/^http:\/\/127\.0\.0\.1:9\/x\/authorize\?/);
  });

  it('the rule itself: https anywhere, http only to loopback, nothing else', () => {
    for (const good of [
      'https://a.example/x',
      'http://127.0.0.1:8080/cb',
      'http://localhost/x',
      'http://[::1]:3000/',
    ]) {
      expect(openableUrl(good).ok, good).toBe(true);
    }
    for (const bad of [
      '-https://a.example',
      ' --new-window',
      'file:///etc/passwd',
      'data:text/html,x',
      'http://10.0.0.1/x',
      'http://127.0.0.1.evil.example/',
      'relative/path',
    ]) {
      expect(openableUrl(bad).ok, bad).toBe(false);
    }
  });
});
