/**
 * The session store as `togo login` leaves it, for the tests of the commands that read it: a
 * state directory per test (removed after the file), a login of togo-offline (with a refresh
 * token) into it, and what it then holds.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import type { MockProvider } from '../../src/mock/types.js';
import { type CliResult, runCli } from './run-cli.js';

export interface OfflineStore {
  /** togo with this store (XDG_STATE_HOME) and togo-offline at the emulator. */
  run(argv: string[], state: string): Promise<CliResult>;
  /** A new state directory holding one session of togo-offline, with a refresh token. */
  loggedIn(): Promise<string>;
  /** The path of the one session file in the store. */
  sessionFile(state: string): string;
  /** The tokens of that session. */
  storedTokens(state: string): Record<string, string>;
}

/** Registers the cleanup of the state directories; call once at the top of a test file. */
export function useOfflineStore(mock: () => MockProvider): OfflineStore {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const run = (argv: string[], state: string) =>
    runCli(argv, {
      env: { XDG_STATE_HOME: state, TOGO_ISSUER: mock().issuer, TOGO_CLIENT_ID: 'togo-offline' },
      now: Date.now(),
    });
  const sessionFile = (state: string) => {
    const dir = join(state, 'togo');
    const [name] = readdirSync(dir).filter((f) => f.endsWith('.json'));
    return join(dir, name ?? '');
  };
  return {
    run,
    sessionFile,
    storedTokens: (state) => JSON.parse(readFileSync(sessionFile(state), 'utf8')).tokens,
    async loggedIn() {
      const state = mkdtempSync(join(tmpdir(), 'togo-store-'));
      dirs.push(state);
      const r = await run(
        [
          'login',
          '--redirect-uri',
          'http://127.0.0.1/callback',
          '--flavor',
          'standard',
          '--response-type',
          'code',
          '--scope',
          'openid offline_access',
          '--prompt',
          'consent',
          '--headless',
        ],
        state,
      );
      expect(r.code, r.stderr).toBe(0);
      return state;
    },
  };
}
