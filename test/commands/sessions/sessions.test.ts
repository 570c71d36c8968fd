import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../../src/errors.js';
import { sessionFileText } from '../../../src/oidc/session-file.js';
import { runCli } from '../../helpers/run-cli.js';

const NOW = Date.UTC(2026, 0, 1, 12);
const SECRET = 'at-must-never-be-printed';

describe('togo sessions', () => {
  let state = '';
  let store = '';
  beforeEach(() => {
    state = mkdtempSync(join(tmpdir(), 'togo-sessions-'));
    store = join(state, 'togo');
    mkdirSync(store, { mode: 0o700 });
  });
  afterEach(() => rmSync(state, { recursive: true, force: true }));

  const keep = (name: string, expiresAt: string, refreshable: boolean) =>
    writeFileSync(
      join(store, name),
      sessionFileText({
        version: 1,
        issuer: 'https://id.example/identity',
        clientId: 'app',
        sub: 'joe',
        expiresAt,
        tokens: {
          access_token: SECRET,
          scope: 'openid email',
          ...(refreshable ? { refresh_token: `${SECRET}-refresh` } : {}),
        },
      }),
      { mode: 0o600 },
    );

  it('says the store is empty, and where it is', async () => {
    const r = await runCli(['sessions'], { env: { XDG_STATE_HOME: state }, now: NOW });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`No stored sessions in ${store}`);
  });

  it('lists each session with its issuer, client, user, scopes and expiry, never a token', async () => {
    keep('session-a.json', '2026-01-01T11:00:00.000Z', true);
    const r = await runCli(['sessions'], { env: { XDG_STATE_HOME: state }, now: NOW, columns: 200 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /https:\/\/id\.example\/identity\s+app\s+joe\s+openid email\s+2026-01-01T11:00:00Z \(expired 1 hour ago\), refreshable/,
    );
    expect(r.stdout + r.stderr).not.toContain(SECRET);
  });

  it('describes the store as one JSON document with --json, naming the tokens it holds', async () => {
    keep('session-a.json', '2026-01-01T13:00:00.000Z', false);
    const r = await runCli(['sessions', '--json'], { env: { XDG_STATE_HOME: state }, now: NOW });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({
      store,
      sessions: [{ clientId: 'app', sub: 'joe', tokens: ['access_token'] }],
    });
    expect(r.stdout).not.toContain(SECRET);
  });

  it('skips a file it cannot read, with a warning, and lists the rest', async () => {
    keep('session-a.json', '2026-01-01T13:00:00.000Z', false);
    writeFileSync(join(store, 'session-b.json'), '{ not json', { mode: 0o600 });
    const r = await runCli(['sessions', '--json'], { env: { XDG_STATE_HOME: state }, now: NOW });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).sessions).toHaveLength(1);
    expect(r.stderr).toMatch(/skipped .*session-b\.json/);
  });

  it('without XDG_STATE_HOME or HOME, has no store: a setting error with its exit code', async () => {
    const r = await runCli(['sessions'], { env: {}, now: NOW });
    expect(r.code).toBe(ERROR_CODES.SETTING_MISSING.exit);
    expect(r.stderr).toMatch(/SETTING_MISSING.*no session store/);
  });
});
