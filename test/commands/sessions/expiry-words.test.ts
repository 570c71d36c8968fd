import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/run-cli.js';

const NOW = Date.UTC(2025, 0, 1, 12, 0, 0);
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A store holding one session whose access token expires at `expiresAt`. */
function storeWith(
  expiresAt: string,
  tokens: Record<string, string> = { access_token: 'opaque-at' },
): string {
  const state = mkdtempSync(join(tmpdir(), 'togo-sessions-'));
  dirs.push(state);
  mkdirSync(join(state, 'togo'), { mode: 0o700 });
  const session = { version: 1, issuer: 'https://id.example.test', clientId: 'app', expiresAt, tokens };
  writeFileSync(join(state, 'togo', 'session-0a.json'), JSON.stringify(session), { mode: 0o600 });
  return state;
}

describe('togo sessions', () => {
  it('says how long the access token has left, and how long ago an expired one expired', async () => {
    const live = await runCli(['sessions'], {
      env: { XDG_STATE_HOME: storeWith('2025-01-01T12:04:00.000Z') },
      now: NOW,
      columns: 200,
    });
    expect(live.code).toBe(0);
    expect(live.stdout).toContain('2025-01-01T12:04:00Z (in 4 min)');

    const gone = await runCli(['sessions'], {
      env: {
        XDG_STATE_HOME: storeWith('2025-01-01T10:00:00.000Z', { access_token: 'a', refresh_token: 'r' }),
      },
      now: NOW,
      columns: 200,
    });
    expect(gone.stdout).toContain('2025-01-01T10:00:00Z (expired 2 hours ago), refreshable');
  });

  it('calls a token expired from the second its expiry names', async () => {
    const r = await runCli(['sessions'], {
      env: { XDG_STATE_HOME: storeWith('2025-01-01T12:00:00.000Z') },
      now: NOW,
      columns: 200,
    });
    expect(r.stdout).toContain('2025-01-01T12:00:00Z (expired just now)');
  });
});
