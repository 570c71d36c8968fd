import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from '../../helpers/parse.js';
import { type FakeProvider, startProvider } from '../../helpers/providers.js';
import { runCli } from '../../helpers/run-cli.js';
import { publicJwk } from '../../helpers/servers.js';
import { CLIENT, makeKey, NOW, NOW_S, signToken, type TestKey } from '../../helpers/tokens.js';

interface CheckDoc {
  ok: boolean;
  checks: { id: string; status: string; message: string; hint?: string }[];
}

const dir = mkdtempSync(join(tmpdir(), 'togo-check-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('togo check with the shared configuration', () => {
  let key: TestKey;
  let p: FakeProvider;
  beforeAll(async () => {
    key = await makeKey('RS256', 'live-1');
    p = await startProvider({ keys: [key.publicJwk as Record<string, unknown>] });
    // An emulator-like authorize endpoint: any loopback port for the native client (RFC 8252 §7.3).
    p.routes.set('/identity/connect/authorize', (res, url) => {
      const ok =
        url.searchParams.get('client_id') === 'togo-cli' &&
        url.searchParams.get('redirect_uri')?.startsWith('http://127.0.0.1');
      res.writeHead(302, { location: ok ? '/identity/interaction/abc' : '/identity/home/error?errorId=1' });
      res.end();
    });
  });
  afterAll(() => p.close());

  it('passes a conforming loopback provider used as the mock environment, client probe included', async () => {
    const r = await runCli(['check', '--env', 'mock', '--json'], { env: { TOGO_MOCK_ISSUER: p.issuer } });
    expect(r.code).toBe(0);
    const doc = parse<CheckDoc>(r);
    expect(doc.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(doc.checks.find((c) => c.id === 'probe.authorize')).toMatchObject({ status: 'pass' });
  });

  it('verifies an ID token against the live keys', async () => {
    const token = await signToken(key, { iss: p.issuer, aud: CLIENT });
    const r = await runCli(['check', p.issuer, '--json', '--id-token', token], {
      env: { TOGO_CLIENT_ID: CLIENT, TOGO_REDIRECT_URI: 'http://127.0.0.1/callback' },
      now: NOW,
    });
    const checks = parse<CheckDoc>(r).checks.filter((c) => c.id.startsWith('id-token.'));
    expect(checks.find((c) => c.id === 'id-token.D5')).toMatchObject({ status: 'pass' });
    expect(checks.find((c) => c.id === 'id-token.D2')).toMatchObject({ status: 'pass' });
    expect(checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(checks.length).toBeGreaterThanOrEqual(10);
  });

  it('fails a token signed with a key the provider does not publish, read from a file', async () => {
    const stranger = await makeKey('RS256', 'live-1');
    const file = join(dir, 'id_token.txt');
    writeFileSync(file, `${await signToken(stranger, { iss: p.issuer, exp: NOW_S + 300 })}\n`);
    const r = await runCli(['check', p.issuer, '--json', '--id-token', file], { now: NOW });
    expect(r.code).toBe(1);
    const d5 = parse<CheckDoc>(r).checks.find((c) => c.id === 'id-token.D5');
    expect(d5?.status).toBe('fail');
    expect(d5?.hint).toBeTruthy();
  });

  it('compares keys with an environment named in togo.config.json', async () => {
    const other = await startProvider({ keys: [key.publicJwk as Record<string, unknown>] });
    const fresh = await startProvider({ keys: [publicJwk('RSA', { kid: 'x-1', alg: 'RS256' }).publicJwk] });
    try {
      writeFileSync(
        join(dir, 'togo.config.json'),
        JSON.stringify({
          environments: {
            dev: { issuer: other.issuer, flavor: 'standard' },
            fresh: { issuer: fresh.issuer, flavor: 'standard' },
          },
        }),
      );
      const shared = await runCli(['check', p.issuer, '--json', '--distinct-keys-from', 'dev'], { cwd: dir });
      expect(shared.code).toBe(1);
      expect(parse<CheckDoc>(shared).checks.find((c) => c.id === 'keys.distinct')?.message).toContain(
        '"live-1" (same key material)',
      );
      // TOGO_ISSUER names the provider checked, never the environment compared with.
      const distinct = await runCli(['check', '--json', '--distinct-keys-from', 'fresh'], {
        cwd: dir,
        env: { TOGO_ISSUER: p.issuer },
      });
      expect(parse<CheckDoc>(distinct).checks.find((c) => c.id === 'keys.distinct')?.status).toBe('pass');
    } finally {
      await other.close();
      await fresh.close();
    }
  });
});
