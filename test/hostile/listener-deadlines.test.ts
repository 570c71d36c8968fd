/**
 * The loopback listeners accept only what togo generated, and --wait is the deadline of every
 * path: a redirect that came before the logout URL existed signs nobody out, a failing headless
 * run puts no ID token on stdout, and a provider whose every hop is slow cannot stretch the wait.
 */
import { mkdtempSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLogoutListener } from '../../src/http/logout-listener.js';
import { startMockProvider } from '../../src/index.js';
import type { MockProvider } from '../../src/mock/types.js';
import { judgeCallback } from '../../src/oidc/callback.js';
import { runCli } from '../helpers/run-cli.js';
import { freePort, sendJson, startServer, type TestServer } from '../helpers/servers.js';
import { implicitTokens, type Tokens, writeSession } from '../helpers/session.js';

/** A GET with a status back (no keep-alive). */
function get(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

function discovery(origin: string) {
  return {
    issuer: origin,
    authorization_endpoint: `${origin}/authorize`,
    token_endpoint: `${origin}/token`,
    jwks_uri: `${origin}/jwks`,
    end_session_endpoint: `${origin}/endsession`,
    device_authorization_endpoint: `${origin}/device`,
    response_types_supported: ['code'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    code_challenge_methods_supported: ['S256'],
  };
}

describe('the logout listener accepts only the state of the logout it sent', () => {
  let provider: TestServer;
  let listenerPort: number;
  const knocks: number[] = [];

  beforeAll(async () => {
    listenerPort = await freePort();
    // The provider's discovery answers only after a stranger has sent `?state=` (empty) to the
    // listener: the window between listening and composing the logout URL.
    provider = await startServer(async (req, res, self) => {
      if (req.url === '/.well-known/openid-configuration') {
        try {
          knocks.push(await get(`http://127.0.0.1:${listenerPort}/logged-out?state=`));
          knocks.push(await get(`http://127.0.0.1:${listenerPort}/logged-out`));
        } catch {
          knocks.push(-1);
        }
        sendJson(res, discovery(self.origin));
        return;
      }
      res.writeHead(404).end();
    });
  });
  afterAll(() => provider.close());

  it('a redirect with an empty or no state, sent before the URL existed, signs nobody out', async () => {
    const r = await runCli([
      'logout',
      '--issuer',
      provider.origin,
      '--client-id',
      'app',
      '--post-logout-redirect-uri',
      `http://127.0.0.1:${listenerPort}/logged-out`,
      '--wait',
      '2',
      '--json',
    ]);
    expect(knocks).toEqual([400, 400]);
    expect(r.stdout).not.toContain('"ok": true');
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { code: 'STATE_MISMATCH' } });
    expect(r.code).toBe(1);
  });

  it('the listener cannot be started without the state it is to expect', async () => {
    await expect(
      startLogoutListener({ redirectUri: 'http://127.0.0.1/logged-out', expectedState: '' }),
    ).rejects.toMatchObject({ code: 'INTERNAL' });
    const listener = await startLogoutListener({
      redirectUri: 'http://127.0.0.1/logged-out',
      expectedState: 'S'.repeat(32),
    });
    try {
      expect(await get(`${listener.redirectUri}?state=`)).toBe(400);
      expect(await get(listener.redirectUri)).toBe(400);
      expect(await get(`${listener.redirectUri}?state=${'S'.repeat(31)}`)).toBe(400);
      expect(listener.refused).toBe(3);
      expect(await get(`${listener.redirectUri}?state=${'S'.repeat(32)}`)).toBe(200);
      await listener.arrived;
    } finally {
      await listener.close();
    }
  });

  it('an empty --state is a usage error, not a state anyone can send', async () => {
    const r = await runCli([
      'logout',
      '--issuer',
      provider.origin,
      '--client-id',
      'app',
      '--state',
      '',
      '--wait',
      '2',
    ]);
    expect(r.stderr).toContain('[USAGE]');
    expect(r.code).toBe(2);
  });
});

describe('the login listener accepts no empty state either', () => {
  it('a response with state= is ignored, even when the expected state is empty', () => {
    expect(judgeCallback({ code: 'c', state: '' }, '').kind).toBe('ignored');
    expect(judgeCallback({ error: 'access_denied', state: '' }, '').kind).toBe('ignored');
    expect(judgeCallback({ code: 'c' }, '').kind).toBe('ignored');
    expect(judgeCallback({ code: 'c', state: 'S'.repeat(20) }, 'S'.repeat(20)).kind).toBe('success');
  });
});

describe('a failing logout --headless --json', () => {
  let mock: MockProvider;
  let tokens: Tokens;
  let session: string;
  beforeAll(async () => {
    mock = await startMockProvider({ port: 0, autoLogin: 'joe@m.test' });
    tokens = await implicitTokens(mock);
    session = writeSession(mkdtempSync(join(tmpdir(), 'togo-logout-redact-')), mock, tokens);
  });
  afterAll(() => mock.close());

  it('puts neither the ID token nor id_token_hint in the error document on stdout', async () => {
    const r = await runCli([
      'logout',
      '--session',
      session,
      '--post-logout-redirect-uri',
      'http://127.0.0.1/not-registered',
      '--headless',
      '--wait',
      '20',
      '--json',
    ]);
    expect(r.code).not.toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.ok).toBe(false);
    expect(r.stdout).not.toContain(tokens.id_token);
    // The trail is still there as evidence, with the hint redacted.
    const trail: string[] = doc.error.details?.trail ?? [];
    expect(trail.length).toBeGreaterThan(0);
    expect(trail.some((u) => u.includes('id_token_hint=(redacted)'))).toBe(true);
  });

  it('--debug (requests and the stack) puts no ID token on stderr either', async () => {
    const r = await runCli([
      'logout',
      '--session',
      session,
      '--post-logout-redirect-uri',
      'http://127.0.0.1/not-registered',
      '--headless',
      '--wait',
      '20',
      '--debug',
    ]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('id_token_hint=(redacted)');
    expect(r.stderr).not.toContain(tokens.id_token);
  });
});

describe.concurrent('--wait is the deadline of the whole headless chain', () => {
  let slow: TestServer;
  beforeAll(async () => {
    // Every hop answers after 1.5 s with a redirect to the next hop, forever.
    slow = await startServer((req, res, self) => {
      const url = new URL(req.url ?? '/', self.origin);
      if (url.pathname === '/.well-known/openid-configuration') return sendJson(res, discovery(self.origin));
      if (url.pathname === '/jwks') return sendJson(res, { keys: [] });
      if (url.pathname === '/device') {
        req.resume();
        return sendJson(res, {
          device_code: 'dc',
          user_code: 'ABCD-EFGH',
          verification_uri: `${self.origin}/activate`,
          expires_in: 600,
          interval: 1,
        });
      }
      if (url.pathname === '/token') return; // never answers: the poll under way must end at --wait
      const hop = Number(url.searchParams.get('hop') ?? '0') + 1;
      const timer = setTimeout(() => {
        res.writeHead(302, { location: `${self.origin}/hop?hop=${hop}` }).end();
      }, 1500);
      res.on('close', () => clearTimeout(timer));
    });
  });
  afterAll(() => slow.close());

  it('login --headless --wait 2 gives up with LOGIN_TIMEOUT, not after twenty slow hops', async () => {
    const r = await runCli(
      [
        'login',
        '--issuer',
        slow.origin,
        '--client-id',
        'app',
        '--redirect-uri',
        'http://127.0.0.1/callback',
        '--headless',
        '--wait',
        '2',
        '--json',
      ],
      { now: Date.now() },
    );
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { code: 'LOGIN_TIMEOUT' } });
    expect(r.stderr).toContain('within 2 s');
    expect(r.code).toBe(4);
  });

  it('login --device --wait 2 gives up at the wait even while a poll is under way', async () => {
    const r = await runCli([
      'login',
      '--issuer',
      slow.origin,
      '--client-id',
      'app',
      '--device',
      '--wait',
      '2',
      '--timeout',
      '60',
      '--json',
    ]);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { code: 'LOGIN_TIMEOUT' } });
    expect(r.stderr).toContain('within 2 s');
    expect(r.code).toBe(4);
  });

  it('logout --headless --wait 2 gives up with LOGOUT_TIMEOUT, not after twenty slow hops', async () => {
    const r = await runCli([
      'logout',
      '--issuer',
      slow.origin,
      '--client-id',
      'app',
      '--post-logout-redirect-uri',
      'http://127.0.0.1/logged-out',
      '--headless',
      '--wait',
      '2',
      '--json',
    ]);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { code: 'LOGOUT_TIMEOUT' } });
    expect(r.code).toBe(4);
  });
});
