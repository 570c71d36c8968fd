/**
 * A small in-memory storage adapter for oidc-provider. Its own quick-start adapter works too, but
 * prints a "development-only" warning into togo's output, and shares one store across every
 * provider in the process; this one belongs to one emulator and is dropped with it.
 */

type Payload = Record<string, unknown> & {
  grantId?: string;
  userCode?: string;
  uid?: string;
  consumed?: number;
};

interface Entry {
  payload: Payload;
  /** Milliseconds since the epoch; Infinity for no expiry. */
  expiresAt: number;
}

export function makeAdapterClass() {
  const entries = new Map<string, Entry>();
  const byGrant = new Map<string, Set<string>>();
  const byUid = new Map<string, string>();
  const byUserCode = new Map<string, string>();

  function live(key: string): Payload | undefined {
    const entry = entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      entries.delete(key);
      return undefined;
    }
    return entry.payload;
  }

  return class MockAdapter {
    readonly model: string;

    constructor(model: string) {
      this.model = model;
    }

    key(id: string): string {
      return `${this.model}:${id}`;
    }

    async upsert(id: string, payload: Payload, expiresIn?: number): Promise<void> {
      const key = this.key(id);
      const expiresAt =
        typeof expiresIn === 'number' ? Date.now() + expiresIn * 1000 : Number.POSITIVE_INFINITY;
      entries.set(key, { payload, expiresAt });
      if (payload.grantId) {
        const members = byGrant.get(payload.grantId) ?? new Set<string>();
        members.add(key);
        byGrant.set(payload.grantId, members);
      }
      if (this.model === 'Session' && payload.uid) byUid.set(payload.uid, id);
      if (payload.userCode) byUserCode.set(payload.userCode, id);
    }

    async find(id: string): Promise<Payload | undefined> {
      return live(this.key(id));
    }

    async findByUid(uid: string): Promise<Payload | undefined> {
      const id = byUid.get(uid);
      return id === undefined ? undefined : live(this.key(id));
    }

    async findByUserCode(userCode: string): Promise<Payload | undefined> {
      const id = byUserCode.get(userCode);
      return id === undefined ? undefined : live(this.key(id));
    }

    async consume(id: string): Promise<void> {
      const payload = live(this.key(id));
      if (payload) payload.consumed = Math.floor(Date.now() / 1000);
    }

    async destroy(id: string): Promise<void> {
      entries.delete(this.key(id));
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      for (const key of byGrant.get(grantId) ?? []) entries.delete(key);
      byGrant.delete(grantId);
    }
  };
}
