/**
 * The emulator's storage stays bounded: expired entries are swept out on a timer (here with an
 * injected clock, the sweep called as the timer would), and a cap on sessions removes the session
 * unused longest with every grant, code and token issued under it.
 */
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/mock/adapter.js';

function clock(start = 1_700_000_000_000) {
  let now = start;
  return { now: () => now, advance: (seconds: number) => (now += seconds * 1000) };
}

/** One login as oidc-provider stores it: a session, its grant, a code and an access token. */
function login(store: MemoryStore, n: number, ttl = 3600) {
  const grantId = `grant-${n}`;
  store.save('Grant', grantId, { accountId: `user-${n}` }, ttl);
  store.save('AuthorizationCode', `code-${n}`, { grantId }, 300);
  store.save('AccessToken', `at-${n}`, { grantId }, ttl);
  store.save(
    'Session',
    `session-${n}`,
    { uid: `uid-${n}`, accountId: `user-${n}`, authorizations: { 'togo-cli': { grantId } } },
    ttl,
  );
}

describe('the emulator store', () => {
  it('sweeps out expired entries nobody reads again, and keeps the live ones', () => {
    const c = clock();
    const swept: string[] = [];
    const store = new MemoryStore({ maxSessions: 100, now: c.now, debug: (m) => swept.push(m) });
    login(store, 1);
    expect(store.counts()).toEqual({ sessions: 1, entries: 4 });

    c.advance(301); // the code's 300 s are over, the rest lives an hour
    expect(store.sweep()).toBe(1);
    expect(store.find('AuthorizationCode', 'code-1')).toBeUndefined();
    expect(store.find('AccessToken', 'at-1')).toBeDefined();

    c.advance(3600);
    expect(store.sweep()).toBe(3);
    expect(store.counts()).toEqual({ sessions: 0, entries: 0 });
    expect(store.findByUid('uid-1')).toBeUndefined();
    expect(swept.at(-1)).toMatch(/swept 3 expired entries; 0 sessions, 0 entries kept/);
  });

  it('never returns an expired entry, swept or not', () => {
    const c = clock();
    const store = new MemoryStore({ maxSessions: 10, now: c.now });
    store.save('AccessToken', 'at', { grantId: 'g' }, 60);
    c.advance(60);
    expect(store.find('AccessToken', 'at')).toBeUndefined();
    expect(store.counts().entries).toBe(0);
  });

  it('sweeps on its timer until stopped', async () => {
    const c = clock();
    const store = new MemoryStore({ maxSessions: 10, now: c.now });
    store.save('AccessToken', 'at', {}, 1);
    c.advance(2);
    const swept = new Promise<void>((resolve) => {
      const original = store.sweep.bind(store);
      store.sweep = () => {
        const n = original();
        if (n > 0) resolve();
        return n;
      };
    });
    store.startSweeping(5);
    await swept;
    store.stop();
    expect(store.counts().entries).toBe(0);
  });

  it('past the cap, removes the session unused longest with its grant, code and token, and says so', () => {
    const debug: string[] = [];
    const store = new MemoryStore({ maxSessions: 2, debug: (m) => debug.push(m) });
    login(store, 1);
    login(store, 2);
    // Session 1 is used again (oidc-provider saves it on each request): session 2 is now the oldest.
    store.save('Session', 'session-1', {
      uid: 'uid-1',
      accountId: 'user-1',
      authorizations: { 'togo-cli': { grantId: 'grant-1' } },
    });
    login(store, 3);

    expect(store.counts()).toEqual({ sessions: 2, entries: 8 });
    expect(store.find('Session', 'session-2')).toBeUndefined();
    expect(store.find('Grant', 'grant-2')).toBeUndefined();
    expect(store.find('AccessToken', 'at-2')).toBeUndefined();
    expect(store.find('AuthorizationCode', 'code-2')).toBeUndefined();
    expect(store.findByUid('uid-2')).toBeUndefined();
    expect(store.find('AccessToken', 'at-1')).toBeDefined();
    expect(store.find('AccessToken', 'at-3')).toBeDefined();
    expect(debug).toEqual([
      'session cap (2) reached: removed the session unused longest of user-2, with 3 grants, codes and tokens issued under it',
    ]);
  });

  it('stays at the cap however many logins come', () => {
    const store = new MemoryStore({ maxSessions: 50 });
    for (let n = 0; n < 5000; n++) login(store, n);
    expect(store.counts()).toEqual({ sessions: 50, entries: 200 });
  });

  it('bounds entries no session owns, the oldest going first', () => {
    const debug: string[] = [];
    const store = new MemoryStore({ maxSessions: 1, maxEntries: 3, debug: (m) => debug.push(m) });
    for (let n = 0; n < 5; n++) store.save('ClientCredentials', `cc-${n}`, {}, 600);
    expect(store.counts().entries).toBe(3);
    expect(store.find('ClientCredentials', 'cc-1')).toBeUndefined();
    expect(store.find('ClientCredentials', 'cc-4')).toBeDefined();
    expect(debug[0]).toMatch(/store full \(3 entries\): removed the oldest entry, a ClientCredentials/);
  });

  it('forgets the user code index with the device code it points to', () => {
    const c = clock();
    const store = new MemoryStore({ maxSessions: 10, now: c.now });
    store.save('DeviceCode', 'dc', { userCode: 'ABCD-EFGH' }, 600);
    expect(store.findByUserCode('DeviceCode', 'ABCD-EFGH')).toBeDefined();
    c.advance(601);
    store.sweep();
    expect(store.findByUserCode('DeviceCode', 'ABCD-EFGH')).toBeUndefined();
  });
});
