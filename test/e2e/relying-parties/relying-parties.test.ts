/**
 * Relying parties this project did not write, against `togo mock`: panva's openid-client and
 * Apache's mod_auth_openidc. Each logs in unchanged to the built binary and gets Togo's `user`
 * claim, and each fault is tried on each of them (against the same emulator in this process,
 * switching faults at run time). What they did is compared with what docs/mock.md says they do: the
 * table there is generated from this suite (TOGO_UPDATE_DOCS=1 rewrites it), so the two cannot
 * drift apart.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockProvider, startMockProvider } from '../../../src/index.js';
import { LOGIN_FAULT_NAMES } from '../../../src/mock/faults.js';
import type { FaultName } from '../../../src/mock/types.js';
import { type ApacheVariant, type RunningApache, startApache } from './apache-rp.js';
import { type OpenIdClientVariant, openIdClientApp, POST_LOGOUT_URI } from './openid-client-rp.js';
import { type Observations, type Outcome, PARTIES, type Party, renderTable, replaceTable } from './table.js';
import { type RunningMock, startTogoMock } from './togo-mock.js';

const DOCS = join(import.meta.dirname, '../../../docs/mock.md');
const JOE_PROFILE_ID = 'de7b350e-0ef2-450e-b2ae-24aca70d8a33';

/** What a party that makes every check it should makes of each fault. */
function wanted(fault: FaultName | 'none'): Outcome {
  return fault === 'none' || fault === 'rotate-keys' || fault === 'slow-discovery' ? 'logs in' : 'refuses';
}

/**
 * Where a party logs in despite a fault, and is right to, or does so by design. Every other
 * fault must be refused. The reasons are printed under the table in docs/mock.md.
 */
const ACCEPTED: Partial<Record<Party, Partial<Record<FaultName, string>>>> = {
  'openid-client, code + PKCE': {
    'bad-signature':
      'does not verify the signature of token endpoint ID tokens (OIDC Core 3.1.3.7 #6 lets it rely on TLS); enableNonRepudiationChecks makes it',
    'unknown-kid': 'the same: no signature check on token endpoint ID tokens by default',
    'missing-at-hash': 'at_hash is optional at the token endpoint (Core 3.1.3.6)',
    'bad-at-hash': 'does not check at_hash at the token endpoint (Core 3.1.3.8: MAY)',
  },
  'openid-client, code + PKCE, non-repudiation': {
    'missing-at-hash': 'at_hash is optional at the token endpoint',
    'bad-at-hash': 'does not check at_hash at the token endpoint (Core 3.1.3.8: MAY)',
  },
  'openid-client, hybrid': {
    'missing-at-hash':
      '"code id_token" returns no access token with the front-channel ID token; at the token endpoint at_hash is optional',
    'bad-at-hash':
      'the same: at_hash is only checked where an access token comes with the ID token in the authorize response',
  },
  'openid-client, implicit': {
    'missing-at-hash': 'openid-client 6 has no "id_token token": no access token, so no at_hash to check',
    'bad-at-hash': 'the same: no access token in its implicit flow',
  },
  'mod_auth_openidc, code': {
    'missing-at-hash': 'at_hash is optional at the token endpoint',
  },
};

/**
 * Where a party refuses a login a fault should let through, for a reason the specification allows.
 * The reasons are printed under the table in docs/mock.md.
 */
const COOLDOWN =
  'fetched the key set when it verified the first token (before the new key signed any) and does not fetch it again within its refetch cooldown, so the second token names a key it does not know (OIDC Core 10.1.1 lets a client limit refetches)';
const REFUSED: Partial<Record<Party, Partial<Record<FaultName, string>>>> = {
  'openid-client, code + PKCE, non-repudiation': { 'rotate-keys': COOLDOWN },
  'openid-client, hybrid': { 'rotate-keys': 'the same' },
  'openid-client, implicit': { 'rotate-keys': 'the same' },
};

async function openIdClientOutcome(issuer: string, variant: OpenIdClientVariant, fault: FaultName | 'none') {
  try {
    const app = await openIdClientApp(issuer, variant);
    let session = await app.login();
    if (fault === 'rotate-keys') session = await app.login();
    const user = JSON.parse(String(session.claims.user ?? '{}')) as { id?: string };
    expect(user.id).toBe(JOE_PROFILE_ID);
    return { outcome: 'logs in' as const, detail: '' };
  } catch (err) {
    return { outcome: 'refuses' as const, detail: err instanceof Error ? `${err.message}` : String(err) };
  }
}

async function apacheOutcome(apache: RunningApache, variant: ApacheVariant, fault: FaultName | 'none') {
  let page = await apache.login(variant);
  if (fault === 'rotate-keys' && page.status === 200) page = await apache.login(variant);
  const loggedIn = page.status === 200 && page.body.includes(`"id":"${JOE_PROFILE_ID}"`);
  return { outcome: loggedIn ? ('logs in' as const) : ('refuses' as const), detail: `HTTP ${page.status}` };
}

const observed: Observations = {};
const details: string[] = [];

function record(party: Party, fault: FaultName | 'none', result: { outcome: Outcome; detail: string }) {
  observed[fault] ??= {};
  (observed[fault] as Record<string, Outcome>)[party] = result.outcome;
  details.push(`${fault} × ${party}: ${result.outcome} ${result.detail}`);
}

const OPENID_CLIENT: Array<[Party, OpenIdClientVariant]> = [
  ['openid-client, code + PKCE', 'code'],
  ['openid-client, code + PKCE, non-repudiation', 'code, non-repudiation'],
  ['openid-client, hybrid', 'hybrid'],
  ['openid-client, implicit', 'implicit'],
];
const APACHE_VARIANTS: Array<[Party, ApacheVariant]> = [
  ['mod_auth_openidc, code', 'code'],
  ['mod_auth_openidc, implicit', 'implicit'],
];

describe('relying parties log in to togo mock unchanged', () => {
  let mock: RunningMock;
  beforeAll(async () => {
    mock = await startTogoMock([]);
  });
  afterAll(async () => {
    await mock.stop();
  });

  it('openid-client: code + PKCE, userinfo, refresh and end-session', async () => {
    const app = await openIdClientApp(mock.issuer, 'code');
    const session = await app.login();
    expect(session.claims).toMatchObject({ email: 'joe@m.test', usage: 'id_token', azp: 'togo-offline' });
    expect(session.refreshToken).toEqual(expect.any(String));
    const info = await app.userinfo(session.accessToken ?? '', String(session.claims.sub));
    expect(JSON.parse(String(info.user)).id).toBe(JOE_PROFILE_ID);
    const refreshed = await app.refresh(session.refreshToken ?? '');
    expect(refreshed.claims()?.sub).toBe(session.claims.sub);
    expect(await app.logout(session)).toBe(POST_LOGOUT_URI);
  });

  for (const variant of ['hybrid', 'implicit', 'code, non-repudiation'] as const) {
    it(`openid-client: ${variant}`, async () => {
      const session = await (await openIdClientApp(mock.issuer, variant)).login();
      expect(JSON.parse(String(session.claims.user)).id).toBe(JOE_PROFILE_ID);
    });
  }

  it('mod_auth_openidc: the protected page shows OIDC_CLAIM_user after a code flow and an implicit flow', async () => {
    const apache = await startApache(mock.discoveryUrl);
    try {
      for (const variant of ['code', 'implicit'] as const) {
        const page = await apache.login(variant);
        expect(page.status, `${page.body}\n${await apache.errorLog()}`).toBe(200);
        expect(page.body).toContain(`user={"id":"${JOE_PROFILE_ID}"`);
      }
    } finally {
      await apache.stop();
    }
  });
});

/**
 * What every party does with one fault, observed once per run and shared: each fault's test and the
 * docs table ask for it, so either can run alone (`-t`) and sets up what it needs.
 */
const observing = new Map<FaultName | 'none', Promise<void>>();
function observe(fault: FaultName | 'none'): Promise<void> {
  let done = observing.get(fault);
  if (!done) {
    done = observeParties(fault);
    observing.set(fault, done);
  }
  return done;
}

/**
 * The emulator the fault cases share: the same server `togo mock` runs (the tests above start the
 * binary), in this process, so each case switches its fault at run time (`setFaults`) instead of
 * starting an emulator of its own. Each case still gets fresh relying parties: a new openid-client
 * configuration (its own JWKS cache) and a new Apache.
 */
let sharedMock: Promise<MockProvider> | undefined;
afterAll(async () => {
  await (await sharedMock)?.close();
});

async function observeParties(fault: FaultName | 'none'): Promise<void> {
  // rotate-keys acts from the emulator's second token on: each party gets an emulator of its own,
  // so its first login is signed with the first key and its second with the next one. They start
  // together, so their key generation and start-up overlap.
  const fresh = fault === 'rotate-keys';
  const count = OPENID_CLIENT.length + APACHE_VARIANTS.length;
  let mocks: MockProvider[];
  if (fresh) {
    mocks = await Promise.all(
      Array.from({ length: count }, () =>
        startMockProvider({ autoLogin: 'joe@m.test', faults: ['rotate-keys'] }),
      ),
    );
  } else {
    sharedMock ??= startMockProvider({ autoLogin: 'joe@m.test' });
    const shared = await sharedMock;
    await shared.setFaults(fault === 'none' ? [] : [fault]);
    mocks = Array.from({ length: count }, () => shared);
  }
  const emulator = (i: number) => mocks[i] as MockProvider;
  // openid-client's parties and the Apache ones log in side by side (each with its own cookies and
  // callback), so a fault that only delays, as slow-discovery does, is not waited out once per party.
  const openIdClients = OPENID_CLIENT.map(async ([party, variant], i) =>
    record(party, fault, await openIdClientOutcome(emulator(i).issuer, variant, fault)),
  );
  const apaches = (async () => {
    // One Apache serves both variants (a virtual host each) when the emulator is shared.
    const sharedApache = fresh ? undefined : await startApache(emulator(0).discoveryUrl);
    try {
      // The two variants one after the other: side by side on one Apache, the second waits.
      for (const [j, [party, variant]] of APACHE_VARIANTS.entries()) {
        const apache = sharedApache ?? (await startApache(emulator(OPENID_CLIENT.length + j).discoveryUrl));
        try {
          record(party, fault, await apacheOutcome(apache, variant, fault));
        } finally {
          if (!sharedApache) await apache.stop();
        }
      }
    } finally {
      await sharedApache?.stop();
    }
  })();
  try {
    const settled = await Promise.allSettled([...openIdClients, apaches]);
    for (const s of settled) if (s.status === 'rejected') throw s.reason;
  } finally {
    if (fresh) await Promise.all(mocks.map((mock) => mock.close()));
  }
}

const FAULTS = ['none', ...LOGIN_FAULT_NAMES] as const;

describe('relying parties against each fault', () => {
  for (const fault of FAULTS) {
    it(`${fault}`, async () => {
      await observe(fault);
      for (const party of PARTIES) {
        const expected = ACCEPTED[party]?.[fault as FaultName]
          ? 'logs in'
          : REFUSED[party]?.[fault as FaultName]
            ? 'refuses'
            : wanted(fault);
        expect(`${fault} × ${party}: ${observed[fault]?.[party]}`).toBe(`${fault} × ${party}: ${expected}`);
      }
    }, 180_000);
  }

  it('docs/mock.md shows the table this suite observed', async () => {
    // Alone (-t), this observes every fault itself; after the tests above, it reuses what they saw.
    for (const fault of FAULTS) await observe(fault);
    console.log(details.join('\n'));
    const table = renderTable(observed, ACCEPTED, REFUSED);
    const docs = await readFile(DOCS, 'utf8');
    if (process.env.TOGO_UPDATE_DOCS === '1') await writeFile(DOCS, replaceTable(docs, table));
    else expect(replaceTable(docs, table)).toBe(docs);
  }, 1_200_000);
});
