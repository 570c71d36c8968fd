/**
 * The loopback listener of `togo login` under attack: real HTTP requests to `startCallbackListener`
 * from "other local pages", and real `togo login` runs side by side against the emulator.
 */
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TogoError } from '../../src/errors.js';
import { createHttpClient } from '../../src/http/client.js';
import { type CallbackListener, type Outcome, startCallbackListener } from '../../src/http/listener.js';
import { startMockProvider } from '../../src/index.js';
import type { MockProvider } from '../../src/mock/types.js';
import type { AuthorizationResponse } from '../../src/oidc/callback.js';
import { runHeadless } from '../../src/provider/headless.js';
import { startBin } from '../helpers/run-cli.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request, so the test controls every header (Origin, Host, Content-Type, length). */
function send(
  url: string,
  options: {
    method?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    chunked?: boolean;
  } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

const STATE = 'GoodState0123456789';
let listener: CallbackListener;
let received: AuthorizationResponse[];

async function listen(maxBody?: number): Promise<CallbackListener> {
  received = [];
  listener = await startCallbackListener({
    redirectUri: 'http://127.0.0.1/callback',
    anyPort: true,
    ...(maxBody ? { maxBody } : {}),
    onResponse: async (response): Promise<Outcome> => {
      received.push(response);
      return response.state === STATE
        ? { final: true, ok: true, title: 'Login verified', message: 'ok' }
        : { final: false, ok: false, title: 'Ignored', message: 'another state' };
    },
  });
  // The wait's result is observed by the test where it matters; never an unhandled rejection.
  listener.result.catch(() => undefined);
  return listener;
}
afterEach(async () => {
  await listener?.close();
});

/** The page served for a fragment response embeds this login's secret. */
async function secretOf(l: CallbackListener): Promise<string> {
  const page = await send(`${l.origin}/callback`);
  expect(page.status).toBe(200);
  const m = /secret: "([^"]+)"/.exec(page.body);
  if (!m) throw new Error('no secret in the capture page');
  return m[1]!;
}

const capture = (l: CallbackListener, body: unknown, headers: Record<string, string> = {}) =>
  send(`${l.origin}/togo-capture`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: l.origin, ...headers },
    body: JSON.stringify(body),
  });

describe('the loopback listener refuses what is not this login’s response', () => {
  it('a cross-origin POST (another local page) is refused with 403, before the body is read', async () => {
    const l = await listen();
    const secret = await secretOf(l);
    const port = new URL(l.origin).port;
    for (const origin of [
      'http://127.0.0.1:1',
      `http://localhost:${port}`,
      `http://evil.example:${port}`, // DNS rebinding: a page of another name resolving to 127.0.0.1
      'null',
    ]) {
      const r = await capture(l, { secret, fragment: `state=${STATE}&id_token=x` }, { origin });
      expect(r.status, origin).toBe(403);
    }
    expect(received).toEqual([]);
  });

  it('a POST without the page’s secret, or with another one, is refused with 403', async () => {
    const l = await listen();
    const secret = await secretOf(l);
    for (const body of [
      { fragment: `state=${STATE}&id_token=x` },
      { secret: 'guessed', fragment: `state=${STATE}&id_token=x` },
      { secret: `${secret}x`, fragment: `state=${STATE}&id_token=x` },
      { secret: [secret], fragment: `state=${STATE}&id_token=x` },
    ]) {
      expect((await capture(l, body)).status).toBe(403);
    }
    expect(received).toEqual([]);
  });

  it('a capture that is not JSON (a CORS "simple request") is refused with 415', async () => {
    const l = await listen();
    const secret = await secretOf(l);
    const r = await send(`${l.origin}/togo-capture`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: l.origin },
      body: JSON.stringify({ secret, fragment: `state=${STATE}&id_token=x` }),
    });
    expect(r.status).toBe(415);
    expect(received).toEqual([]);
  });

  it('never answers a CORS preflight, so no other page may post JSON', async () => {
    const l = await listen();
    const r = await send(`${l.origin}/togo-capture`, {
      method: 'OPTIONS',
      headers: { origin: 'http://127.0.0.1:1', 'access-control-request-method': 'POST' },
    });
    expect(r.status).toBe(404);
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('a second response after success is refused with 409', async () => {
    const l = await listen();
    const secret = await secretOf(l);
    const first = await capture(l, { secret, fragment: `state=${STATE}&id_token=first` });
    expect(first.status).toBe(200);
    expect(JSON.parse(first.body)).toMatchObject({ ok: true });
    await expect(l.result).resolves.toMatchObject({ final: true, ok: true });
    const again = await capture(l, { secret, fragment: `state=${STATE}&id_token=second` });
    expect(again.status).toBe(409);
    const query = await send(`${l.origin}/callback?state=${STATE}&code=second`);
    expect(query.status).toBe(409);
    const form = await send(`${l.origin}/callback`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `state=${STATE}&code=third`,
    });
    expect(form.status).toBe(409);
    expect(received.map((r) => r.id_token ?? r.code)).toEqual(['first']);
  });

  it('an oversized body gets 413, declared or streamed', async () => {
    const l = await listen(1024);
    const secret = await secretOf(l);
    const big = JSON.stringify({ secret, fragment: `state=${STATE}&id_token=${'x'.repeat(4096)}` });
    expect((await capture(l, JSON.parse(big))).status).toBe(413);
    const streamed = await send(`${l.origin}/togo-capture`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: l.origin, 'transfer-encoding': 'chunked' },
      body: big,
    });
    expect(streamed.status).toBe(413);
    const form = await send(`${l.origin}/callback`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `state=${STATE}&code=${'c'.repeat(4096)}`,
    });
    expect(form.status).toBe(413);
    expect(received).toEqual([]);
  });

  it('the default limit is 64 KiB', async () => {
    const l = await listen();
    const r = await send(`${l.origin}/callback`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `state=${STATE}&code=${'c'.repeat(64 * 1024)}`,
    });
    expect(r.status).toBe(413);
  });

  it('other paths and methods get 404, and every answer closes the connection', async () => {
    const l = await listen();
    for (const [method, path] of [
      ['GET', '/'],
      ['GET', '/favicon.ico'],
      ['GET', '/callback/../etc/passwd'],
      ['GET', '/CALLBACK'],
      ['PUT', '/callback'],
      ['DELETE', '/togo-capture'],
      ['GET', '/togo-capture'],
    ] as const) {
      const r = await send(`${l.origin}${path}`, { method });
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(r.headers.connection).toBe('close');
    }
    expect(received).toEqual([]);
  });

  it('the pages it serves carry a strict Content-Security-Policy and no caching', async () => {
    const l = await listen();
    const page = await send(`${l.origin}/callback`);
    expect(page.headers['content-security-policy']).toMatch(/default-src 'none'; script-src 'nonce-[\w-]+'/);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
  });
});

describe('the listener binds loopback only', () => {
  it('listens on 127.0.0.1 (or ::1) and is not reachable on any other address of this machine', async () => {
    const l = await listen();
    expect(new URL(l.origin).hostname).toBe('127.0.0.1');
    const port = new URL(l.origin).port;
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a && !a.internal)
      .map((a) => (a!.family === 'IPv6' ? `[${a!.address.split('%')[0]}]` : a!.address));
    for (const address of others) {
      await expect(send(`http://${address}:${port}/callback`), address).rejects.toThrow();
    }
    const v6 = await startCallbackListener({
      redirectUri: 'http://[::1]/callback',
      anyPort: true,
      onResponse: async () => ({ final: true, ok: true, title: '', message: '' }),
    }).catch((error: unknown) => error as Error);
    if (!(v6 instanceof Error)) {
      expect(new URL(v6.origin).hostname).toBe('[::1]');
      await v6.close();
    }
  });

  it.each([
    'http://0.0.0.0/callback',
    'http://192.168.1.10/callback',
    'http://[::]/callback',
    'https://127.0.0.1/callback',
    'http://127.0.0.1.nip.io/callback',
    'http://app.example/callback',
  ])('refuses to listen for %s (usage error)', async (redirectUri) => {
    const error = await startCallbackListener({
      redirectUri,
      anyPort: true,
      onResponse: async () => ({ final: true, ok: true, title: '', message: '' }),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TogoError);
    expect((error as TogoError).code).toBe('USAGE');
    expect((error as TogoError).exitCode).toBe(2);
  });
});

describe('togo login runs side by side', () => {
  let mock: MockProvider;
  const dirs: string[] = [];
  beforeAll(async () => {
    mock = await startMockProvider({ port: 0, autoLogin: 'joe@m.test' });
  });
  afterAll(async () => {
    await mock.close();
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });
  const fresh = async (name: string) => {
    const d = await mkdtemp(join(tmpdir(), `togo-${name}-`));
    dirs.push(d);
    return d;
  };

  it('two concurrent logins on free ports do not interfere, and with --no-store write nothing but the file asked for', async () => {
    // Each run gets its own empty working directory, HOME and TMPDIR, listed before and after.
    const runs = await Promise.all(
      ['a', 'b'].map(async (name) => {
        const cwd = await fresh(`${name}-cwd`);
        const home = await fresh(`${name}-home`);
        const tmp = await fresh(`${name}-tmp`);
        const save = name === 'b' ? ['--save', 'session.json'] : [];
        const bin = startBin(
          [
            'login',
            '--env',
            'mock',
            '--response-type',
            'code',
            '--timeout',
            '30',
            '--json',
            '--no-store',
            ...save,
          ],
          { TOGO_MOCK_ISSUER: mock.issuer, HOME: home, TMPDIR: tmp, XDG_CONFIG_HOME: join(home, '.config') },
          { cwd },
        );
        const [, loginUrl] = await bin.waitForStderr(/Login URL: (\S+)/);
        const [, redirectUri] = await bin.waitForStderr(/Redirect URI: (\S+)/);
        return { name, cwd, home, tmp, bin, loginUrl: loginUrl!, redirectUri: redirectUri! };
      }),
    );
    const [a, b] = runs as [(typeof runs)[0], (typeof runs)[0]];
    expect(new URL(a.redirectUri).port).not.toBe(new URL(b.redirectUri).port);

    // The test plays the browser: sign in (the emulator signs in at once), stop at the redirect.
    const http = createHttpClient({ timeoutMs: 10_000 });
    try {
      const arrivals = await Promise.all(runs.map((r) => runHeadless(http, r.loginUrl, r.redirectUri)));
      const [toA, toB] = arrivals.map((x) => x.trail[x.trail.length - 1]!) as [string, string];
      // A's response delivered to B's listener: B refuses it and keeps waiting.
      const crossed = await send(
        `${new URL(b.redirectUri).origin}${new URL(toA).pathname}${new URL(toA).search}`,
      );
      expect(crossed.status).toBe(400);
      // Each run gets its own response.
      expect((await send(toA)).status).toBe(200);
      expect((await send(toB)).status).toBe(200);
    } finally {
      await http.close();
    }
    const [exitA, exitB] = await Promise.all([a.bin.exit, b.bin.exit]);
    expect(exitA, a.bin.stderr()).toBe(0);
    expect(exitB, b.bin.stderr()).toBe(0);
    expect(JSON.parse(a.bin.stdout())).toMatchObject({ ok: true });
    expect(JSON.parse(b.bin.stdout())).toMatchObject({ ok: true });
    expect(b.bin.stderr()).toMatch(/ignored a response with another state/);

    // Nothing on disk but the file asked for, with mode 0600, and togo's compiled-code cache, which
    // holds togo's own code and none of the tokens.
    for (const r of runs) {
      expect(await readdir(r.home), `${r.name} HOME`).toEqual(['.cache']);
      const cached = await readdir(join(r.home, '.cache', 'togo', 'compile-cache'), {
        recursive: true,
        withFileTypes: true,
      });
      const tokens = JSON.parse(r.bin.stdout()).tokens as Record<string, string>;
      for (const entry of cached.filter((e) => e.isFile())) {
        const bytes = await readFile(join(entry.parentPath, entry.name));
        const secrets = [tokens.id_token, tokens.access_token, tokens.refresh_token].filter(
          (v) => v !== undefined,
        );
        expect(secrets.length).toBeGreaterThan(0);
        for (const value of secrets) {
          expect(bytes.includes(value), `${entry.name} holds a token`).toBe(false);
        }
      }
      expect(await readdir(r.tmp), `${r.name} TMPDIR`).toEqual([]);
    }
    expect(await readdir(a.cwd)).toEqual([]);
    expect(await readdir(b.cwd)).toEqual(['session.json']);
    expect((await stat(join(b.cwd, 'session.json'))).mode & 0o777).toBe(0o600);
  });
});
