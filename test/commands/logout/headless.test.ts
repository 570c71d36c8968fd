import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockProvider } from '../../../src/index.js';
import type { MockProvider } from '../../../src/mock/types.js';
import { orHang } from '../../helpers/hang.js';
import { runCli } from '../../helpers/run-cli.js';
import { implicitTokens, type Tokens, writeSession } from '../../helpers/session.js';

let mock: MockProvider;
let tokens: Tokens;
let session: string;

beforeAll(async () => {
  mock = await startMockProvider({ port: 0, autoLogin: 'joe@m.test' });
  tokens = await implicitTokens(mock);
  session = writeSession(mkdtempSync(join(tmpdir(), 'togo-logout-headless-')), mock, tokens);
});
afterAll(() => mock.close());

const base = () => [
  'logout',
  '--session',
  session,
  '--post-logout-redirect-uri',
  'http://127.0.0.1/logged-out',
];

describe('togo logout --headless, like login --headless', () => {
  it('signs out at the emulator without a browser and exits 0 once the redirect comes back', async () => {
    const r = await runCli([...base(), '--headless', '--wait', '10']);
    expect(r.stderr).not.toContain('error');
    expect(r.stdout).toContain('signed out');
    expect(r.code).toBe(0);
  });

  it('puts no ID token on stdout, in text or JSON', async () => {
    const text = await runCli([...base(), '--headless', '--wait', '10']);
    expect(text.stdout).not.toContain(tokens.id_token);
    expect(text.stdout).not.toContain('id_token_hint=ey');
    const json = await runCli([...base(), '--headless', '--wait', '10', '--json']);
    expect(json.code).toBe(0);
    expect(json.stdout).not.toContain(tokens.id_token);
    const doc = JSON.parse(json.stdout);
    expect(doc).toMatchObject({ ok: true, redirected: true });
    expect(new URL(doc.url).searchParams.get('id_token_hint')).toMatch(/^\(JWT/);
  });

  it('reports the provider refusing the logout at once, without waiting', async () => {
    // Waiting the ten minutes of --wait would hit the hang bound; reporting at once does not.
    const r = await orHang(
      runCli([
        ...base().slice(0, 3),
        '--post-logout-redirect-uri',
        'http://127.0.0.1/not-registered',
        '--headless',
        '--wait',
        '600',
      ]),
      'logout refused by the provider',
    );
    expect(r.code).not.toBe(0);
    expect(r.stdout).not.toContain(tokens.id_token);
  });
});
