/**
 * The emulator's storage for oidc-provider: sessions, grants, codes, tokens and interactions, in
 * memory, belonging to one emulator and dropped with it. (oidc-provider's own quick-start adapter
 * prints a "development-only" warning into togo's output and shares one store across every
 * provider in the process.)
 *
 * An emulator may serve a test suite for days, so what it keeps is bounded:
 * - every entry has a lifetime (oidc-provider passes it with each save); a timer sweeps out the
 *   expired ones, which would otherwise stay until read again, and most never are;
 * - a cap on sessions: past it, the session unused longest goes, with its grants and every code
 *   and token issued under them; a cap on entries (many per session) backs it for what no session
 *   owns (device codes, client credentials tokens), the entry saved longest ago going first.
 *
 * Each entry is kept in insertion order and moved to the end when saved again, so "oldest" is
 * "least recently saved": oidc-provider saves a session each time a request uses it.
 */

type Payload = Record<string, unknown> & {
  grantId?: string;
  userCode?: string;
  uid?: string;
  consumed?: number;
  authorizations?: Record<string, { grantId?: unknown } | undefined>;
};

interface Entry {
  model: string;
  id: string;
  payload: Payload;
  /** Milliseconds on the store's clock; Infinity for no expiry. */
  expiresAt: number;
}

export interface StoreOptions {
  /** Sessions kept at most; past it the one unused longest goes, with its grants and tokens. */
  maxSessions: number;
  /** Entries of any kind kept at most; default 20 per session. */
  maxEntries?: number;
  /** Milliseconds since the epoch; injected by tests. */
  now?: () => number;
  /** A line for --debug: what was swept or evicted. */
  debug?: (message: string) => void;
}

export interface StoreCounts {
  sessions: number;
  entries: number;
}

/** Entries a session owns at most in ordinary use (session, grant, code, access and refresh tokens, …). */
export const ENTRIES_PER_SESSION = 20;

export class MemoryStore {
  private readonly entries = new Map<string, Entry>();
  /** Session keys, least recently saved first. */
  private readonly sessions = new Set<string>();
  private readonly byGrant = new Map<string, Set<string>>();
  private readonly byUid = new Map<string, string>();
  private readonly byUserCode = new Map<string, string>();
  private readonly maxSessions: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  private readonly debug: (message: string) => void;
  private timer: NodeJS.Timeout | undefined;

  constructor(options: StoreOptions) {
    this.maxSessions = Math.max(1, options.maxSessions);
    this.maxEntries = Math.max(
      this.maxSessions,
      options.maxEntries ?? this.maxSessions * ENTRIES_PER_SESSION,
    );
    this.now = options.now ?? Date.now;
    this.debug = options.debug ?? (() => {});
  }

  counts(): StoreCounts {
    return { sessions: this.sessions.size, entries: this.entries.size };
  }

  /** How many entries of each kind are kept. */
  models(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const entry of this.entries.values()) out[entry.model] = (out[entry.model] ?? 0) + 1;
    return out;
  }

  /** Removes every expired entry; returns how many went. */
  sweep(): number {
    const now = this.now();
    let removed = 0;
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt <= now) {
        this.remove(key);
        removed += 1;
      }
    }
    if (removed > 0) {
      const { sessions, entries } = this.counts();
      this.debug(`swept ${removed} expired entries; ${sessions} sessions, ${entries} entries kept`);
    }
    return removed;
  }

  /** Sweeps every intervalMs until stop(); the timer never keeps the process alive. */
  startSweeping(intervalMs: number): void {
    this.stop();
    this.timer = setInterval(() => this.sweep(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  save(model: string, id: string, payload: Payload, expiresIn?: number): void {
    const key = `${model}:${id}`;
    const expiresAt =
      typeof expiresIn === 'number' ? this.now() + expiresIn * 1000 : Number.POSITIVE_INFINITY;
    // Saved again: moved to the end, the most recently saved.
    if (this.entries.has(key)) this.remove(key);
    this.entries.set(key, { model, id, payload, expiresAt });
    if (payload.grantId) {
      const members = this.byGrant.get(payload.grantId) ?? new Set<string>();
      members.add(key);
      this.byGrant.set(payload.grantId, members);
    }
    if (model === 'Session') {
      this.sessions.add(key);
      if (payload.uid) this.byUid.set(payload.uid, id);
    }
    if (payload.userCode) this.byUserCode.set(payload.userCode, id);
    this.enforceCaps(key);
  }

  find(model: string, id: string): Payload | undefined {
    const key = `${model}:${id}`;
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.remove(key);
      return undefined;
    }
    return entry.payload;
  }

  findByUid(uid: string): Payload | undefined {
    const id = this.byUid.get(uid);
    return id === undefined ? undefined : this.find('Session', id);
  }

  findByUserCode(model: string, userCode: string): Payload | undefined {
    const id = this.byUserCode.get(userCode);
    return id === undefined ? undefined : this.find(model, id);
  }

  destroy(model: string, id: string): void {
    this.remove(`${model}:${id}`);
  }

  /** Removes everything issued under a grant, and the grant itself. */
  revokeGrant(grantId: string): number {
    let removed = 0;
    for (const key of [...(this.byGrant.get(grantId) ?? [])]) {
      if (this.remove(key)) removed += 1;
    }
    this.byGrant.delete(grantId);
    if (this.remove(`Grant:${grantId}`)) removed += 1;
    return removed;
  }

  /** An oidc-provider adapter class over this store. */
  adapterClass() {
    const store = this;
    return class MockAdapter {
      readonly model: string;

      constructor(model: string) {
        this.model = model;
      }

      async upsert(id: string, payload: Payload, expiresIn?: number): Promise<void> {
        store.save(this.model, id, payload, expiresIn);
      }

      async find(id: string): Promise<Payload | undefined> {
        return store.find(this.model, id);
      }

      async findByUid(uid: string): Promise<Payload | undefined> {
        return store.findByUid(uid);
      }

      async findByUserCode(userCode: string): Promise<Payload | undefined> {
        return store.findByUserCode(this.model, userCode);
      }

      async consume(id: string): Promise<void> {
        const payload = store.find(this.model, id);
        if (payload) payload.consumed = Math.floor(store.now() / 1000);
      }

      async destroy(id: string): Promise<void> {
        store.destroy(this.model, id);
      }

      async revokeByGrantId(grantId: string): Promise<void> {
        store.revokeGrant(grantId);
      }
    };
  }

  private remove(key: string): boolean {
    const entry = this.entries.get(key);
    if (!entry) return false;
    this.entries.delete(key);
    const { payload, model, id } = entry;
    if (payload.grantId) {
      const members = this.byGrant.get(payload.grantId);
      members?.delete(key);
      if (members?.size === 0) this.byGrant.delete(payload.grantId);
    }
    if (model === 'Session') {
      this.sessions.delete(key);
      if (payload.uid && this.byUid.get(payload.uid) === id) this.byUid.delete(payload.uid);
    }
    if (payload.userCode && this.byUserCode.get(payload.userCode) === id)
      this.byUserCode.delete(payload.userCode);
    return true;
  }

  /** The caps, after a save of `saved` (never evicted by its own save). */
  private enforceCaps(saved: string): void {
    while (this.sessions.size > this.maxSessions) {
      const oldest = this.sessions.values().next().value;
      if (oldest === undefined || oldest === saved) break;
      this.evictSession(oldest);
    }
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined || oldest === saved) break;
      if (this.sessions.has(oldest)) this.evictSession(oldest);
      else {
        const entry = this.entries.get(oldest);
        this.remove(oldest);
        this.debug(`store full (${this.maxEntries} entries): removed the oldest entry, a ${entry?.model}`);
      }
    }
  }

  private evictSession(key: string): void {
    const entry = this.entries.get(key);
    this.remove(key);
    let tokens = 0;
    for (const authorization of Object.values(entry?.payload.authorizations ?? {})) {
      if (typeof authorization?.grantId === 'string') tokens += this.revokeGrant(authorization.grantId);
    }
    const account = typeof entry?.payload.accountId === 'string' ? ` of ${entry.payload.accountId}` : '';
    this.debug(
      `session cap (${this.maxSessions}) reached: removed the session unused longest${account}, with ${tokens} grants, codes and tokens issued under it`,
    );
  }
}
