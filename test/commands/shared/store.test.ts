import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  findStoredSession,
  isStoredSession,
  listStoredSessions,
  storedSessionPath,
  storeSession,
} from '../../../src/commands/shared/store.js';

let state: string;
let dir: string;
beforeAll(() => {
  state = mkdtempSync(join(tmpdir(), 'togo-store-'));
  dir = join(state, 'togo');
});
afterAll(() => rmSync(state, { recursive: true, force: true }));

const session = (issuer: string, clientId: string) => ({
  version: 1 as const,
  issuer,
  clientId,
  tokens: { access_token: `at-of-${clientId}` },
});

describe('the session store', () => {
  it('keeps one session per issuer and client, each found again by them alone', async () => {
    await storeSession(dir, session('https://id.example/identity', 'app'));
    await storeSession(dir, session('https://id.example/identity', 'other'));
    await storeSession(dir, session('https://id.example/identity', 'app'));
    expect(readdirSync(dir)).toHaveLength(2);
    expect(findStoredSession(dir, 'https://id.example/identity', 'app')?.file.tokens.access_token).toBe(
      'at-of-app',
    );
    expect(findStoredSession(dir, 'https://id.example/identity/', 'app')).toBeUndefined();
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('names a session for an issuer of any length with a file name the file system takes', async () => {
    const long = `https://id.example/${'tenant/'.repeat(60)}identity`;
    const path = await storeSession(dir, session(long, 'app'));
    expect(path.split('/').pop()).toMatch(/^session-h[0-9a-f]{64}\.json$/);
    expect(findStoredSession(dir, long, 'app')?.path).toBe(path);
    expect(listStoredSessions(dir).sessions.map((s) => s.file.issuer)).toContain(long);
    expect(isStoredSession(dir, path)).toBe(true);
  });

  it('gives issuers that differ only in letter case files that differ in more than case', () => {
    const a = storedSessionPath(dir, 'https://ID.example/x', 'app');
    const b = storedSessionPath(dir, 'https://id.example/x', 'app');
    expect(a.toLowerCase()).not.toBe(b.toLowerCase());
  });

  it('does not take a file beside the store for one of its sessions', () => {
    expect(isStoredSession(dir, join(state, 'session-00.json'))).toBe(false);
    expect(isStoredSession(dir, join(dir, 'notes.json'))).toBe(false);
  });
});
