import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockProvider } from '../../../src/index.js';
import type { MockProvider } from '../../../src/mock/types.js';
import { composeLogoutUrl } from '../../../src/oidc/logout-url.js';
import { runCli } from '../../helpers/run-cli.js';
import { implicitTokens, type Tokens, writeSession } from '../../helpers/session.js';

const ENDPOINT = 'https://id2.runswithtogo.com/identity/connect/endsession';

describe('composing a logout URL', () => {
  it('puts id_token_hint, post_logout_redirect_uri, state, client_id and ui_locales on the end-session endpoint', () => {
    const { url, state, params, warnings } = composeLogoutUrl({
      endSessionEndpoint: ENDPOINT,
      idTokenHint: 'eyJ.h.s',
      postLogoutRedirectUri: 'https://sample.togogroup.com/signed out?x=1',
      state: 'ac65007cf9729c9168b475452439e9fa',
      clientId: 'sample-production',
      uiLocales: 'en-GB fr',
    });
    expect(url).toBe(
      `${ENDPOINT}?id_token_hint=eyJ.h.s&post_logout_redirect_uri=https%3A%2F%2Fsample.togogroup.com%2Fsigned%20out%3Fx%3D1` +
        '&state=ac65007cf9729c9168b475452439e9fa&client_id=sample-production&ui_locales=en-GB%20fr',
    );
    expect(state).toBe('ac65007cf9729c9168b475452439e9fa');
    expect(params.map(([k]) => k)).toEqual([
      'id_token_hint',
      'post_logout_redirect_uri',
      'state',
      'client_id',
      'ui_locales',
    ]);
    expect(warnings).toEqual([]);
    // What a provider reads back is what was meant.
    expect(new URL(url).searchParams.get('post_logout_redirect_uri')).toBe(
      'https://sample.togogroup.com/signed out?x=1',
    );
  });

  it('makes a fresh 32-character state from the CSPRNG each time', () => {
    const a = composeLogoutUrl({ endSessionEndpoint: ENDPOINT, idTokenHint: 't' }).state;
    const b = composeLogoutUrl({ endSessionEndpoint: ENDPOINT, idTokenHint: 't' }).state;
    expect(a).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(a).not.toBe(b);
  });

  it("keeps a query the endpoint already has (Azure B2C's p=…)", () => {
    const { url } = composeLogoutUrl({
      endSessionEndpoint: 'https://b2c.example/logout?p=B2C_1_signin',
      idTokenHint: 't',
      state: 's',
    });
    expect(url).toBe('https://b2c.example/logout?p=B2C_1_signin&id_token_hint=t&state=s');
  });

  it('warns about a missing id_token_hint, a redirect without any client hint, and an http endpoint', () => {
    const { warnings } = composeLogoutUrl({
      endSessionEndpoint: 'http://id.example/logout',
      postLogoutRedirectUri: 'https://app.example/bye',
    });
    expect(warnings.map((w) => w.id)).toEqual([
      'logout.endpoint-not-https',
      'logout.redirect-without-hint',
      'logout.no-id-token-hint',
    ]);
    expect(
      composeLogoutUrl({
        endSessionEndpoint: 'http://127.0.0.1:4444/identity/connect/endsession',
        idTokenHint: 't',
      }).warnings,
    ).toEqual([]);
  });

  it('refuses an endpoint or redirect URI that is not an absolute URL (exit 2)', () => {
    expect(() => composeLogoutUrl({ endSessionEndpoint: '/connect/endsession' })).toThrow(
      expect.objectContaining({ code: 'URL_MALFORMED', exitCode: 2 }),
    );
    expect(() => composeLogoutUrl({ endSessionEndpoint: ENDPOINT, postLogoutRedirectUri: 'bye' })).toThrow(
      expect.objectContaining({ code: 'URL_MALFORMED' }),
    );
  });
});

const BROWSER = fileURLToPath(new URL('../../fixtures/session/logout-browser.mjs', import.meta.url));
const browser = (mode: string) => `"${process.execPath}" "${BROWSER}" ${mode}`;

let mock: MockProvider;
let tokens: Tokens;
let dir: string;
let session: string;

beforeAll(async () => {
  mock = await startMockProvider({ autoLogin: 'joe@m.test' });
  tokens = await implicitTokens(mock);
  dir = mkdtempSync(join(tmpdir(), 'togo-logout-'));
  session = writeSession(dir, mock, tokens);
});
afterAll(async () => {
  await mock.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('togo logout-url', () => {
  it("prints the emulator's end-session URL first, with the session's ID token and client id", async () => {
    const r = await runCli([
      'logout-url',
      '--session',
      session,
      '--post-logout-redirect-uri',
      'http://127.0.0.1:8765/logged-out',
      '--ui-locales',
      'en-GB',
    ]);
    expect(r.code).toBe(0);
    const [first, ...rest] = r.stdout.split('\n');
    expect(rest.join('')).toBe('');
    const url = new URL(first ?? '');
    expect(`${url.origin}${url.pathname}`).toBe(`${mock.issuer}/connect/endsession`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      id_token_hint: tokens.id_token,
      post_logout_redirect_uri: 'http://127.0.0.1:8765/logged-out',
      client_id: 'togo-cli',
      ui_locales: 'en-GB',
    });
    expect(url.searchParams.get('state')).toMatch(/^[A-Za-z0-9]{32}$/);
    // The narration describes the ID token; it never repeats it.
    expect(r.stderr).toContain('sub 7368ed68-b84c-422c-9aa6-e0575b1308a3');
    expect(r.stderr).not.toContain(tokens.id_token);
  });

  it('prints one JSON document with the state and a fingerprint of the ID token', async () => {
    const r = await runCli(['logout-url', '--session', session, '--state', 'fixedstate123456', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({
      ok: true,
      state: 'fixedstate123456',
      endSessionEndpoint: `${mock.issuer}/connect/endsession`,
      postLogoutRedirectUri: null,
    });
    expect(doc.idTokenHint).toMatch(/^sha256:/);
    expect(doc.params.id_token_hint).not.toContain(tokens.id_token);
  });

  it('composes offline with --end-session-endpoint, and warns without an ID token', async () => {
    const r = await runCli([
      'logout-url',
      '--end-session-endpoint',
      ENDPOINT,
      '--client-id',
      'sample-production',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(`^${ENDPOINT}\\?state=[A-Za-z0-9]{32}&client_id=sample-production\\n$`),
    );
    expect(r.stderr).toContain('no id_token_hint');
  });
});

// Side by side: each run has its own listener, port and wait, against the one emulator.
describe.concurrent('togo logout', () => {
  const base = () => [
    'logout',
    '--session',
    session,
    '--post-logout-redirect-uri',
    'http://127.0.0.1/logged-out',
  ];

  it('opens the logout URL, and exits 0 once the provider redirects back with the same state', async () => {
    const r = await runCli([...base(), '--browser', browser('confirm'), '--wait', '10']);
    expect(r.stderr).not.toContain('error');
    expect(r.code).toBe(0);
    const result = r.stdout;
    expect(r.stderr).toMatch(/post_logout_redirect_uri +http:\/\/127\.0\.0\.1:\d+\/logged-out$/m);
    // The ID token is not on stdout: only the result is.
    expect(r.stdout).not.toContain(tokens.id_token);
    expect(result).toContain('signed out');
    expect(r.stderr).toMatch(/Waiting for the post-logout redirect to http:\/\/127\.0\.0\.1:\d+\/logged-out/);
  });

  it('refuses a redirect with a wrong state and keeps waiting for the right one', async () => {
    const r = await runCli([...base(), '--browser', browser('wrong-then-confirm'), '--wait', '10', '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('refused a post-logout redirect with a wrong state; still waiting');
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, redirected: true, refused: 1 });
  });

  it('exits 1 when only a wrong state arrived before the wait ran out', async () => {
    // The wait must outlast the stand-in browser's start on a busy machine (a second did not):
    // the wrong state has to arrive before the deadline for this outcome to be the right one.
    const r = await runCli([...base(), '--browser', browser('wrong'), '--wait', '6']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[STATE_MISMATCH]');
  });

  it('exits 4 with the likely causes when no redirect arrives in time', async () => {
    const r = await runCli([...base(), '--browser', browser('nothing'), '--wait', '1']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('[LOGOUT_TIMEOUT]');
    expect(r.stderr).toContain('http://127.0.0.1/logged-out is not registered');
  });

  it('exits 4 when the post-logout redirect URI is not registered (the provider never redirects)', async () => {
    const r = await runCli([
      'logout',
      '--session',
      session,
      '--post-logout-redirect-uri',
      'http://127.0.0.1/not-registered',
      '--browser',
      browser('confirm'),
      '--wait',
      '1',
    ]);
    expect(r.code).toBe(4);
  });

  it('stops waiting on Ctrl-C with exit 130 and frees the port', async () => {
    const controller = new AbortController();
    let said = '';
    // Ctrl-C once the logout URL is shown and the listener waits (a busy machine may take seconds).
    const onStderr = (text: string) => {
      said += text;
      if (/^https?:\/\/\S+id_token_hint=\S+$/m.test(said)) controller.abort();
    };
    const r = await runCli([...base(), '--wait', '30'], { signal: controller.signal, onStderr });
    expect(r.code).toBe(130);
    // Without a browser the URL is shown on stderr, for a person to open.
    const url = /^https?:\/\/\S+id_token_hint=\S+$/m.exec(r.stderr)?.[0] ?? '';
    expect(r.stdout).toBe('');
    const port = new URL(new URL(url).searchParams.get('post_logout_redirect_uri') ?? '').port;
    await expect(fetch(`http://127.0.0.1:${port}/logged-out`)).rejects.toThrow();
  });

  it('refuses a redirect URI that is not on loopback (exit 2)', async () => {
    const r = await runCli([...base().slice(0, 3), '--post-logout-redirect-uri', 'https://app.example/bye']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('togo logout listens on a loopback post-logout redirect URI');
  });
});
