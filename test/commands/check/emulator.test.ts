import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockProvider } from '../../../src/index.js';
import { parse } from '../../helpers/parse.js';
import { runCli } from '../../helpers/run-cli.js';

interface CheckDoc {
  ok: boolean;
  checks: { id: string; status: string; message: string }[];
}

describe('togo check against the emulator (togo mock)', () => {
  let mock: Awaited<ReturnType<typeof startMockProvider>>;
  beforeAll(async () => {
    mock = await startMockProvider({ port: 0 });
  });
  afterAll(() => mock.close());

  it('passes the mock environment: lint, client probe and CORS, no failure', async () => {
    const r = await runCli(['check', '--env', 'mock', '--json', '--origin', 'http://localhost:3000'], {
      env: { TOGO_MOCK_ISSUER: mock.issuer },
    });
    const doc = parse<CheckDoc>(r);
    expect(doc.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(r.code).toBe(0);
    expect(doc.checks.find((c) => c.id === 'probe.authorize')?.status).toBe('pass');
  });

  it('fails the probe for a redirect URI the emulator does not know, with the reason', async () => {
    const r = await runCli(['check', '--env', 'mock', '--json', '--redirect-uri', 'https://app.example/cb'], {
      env: { TOGO_MOCK_ISSUER: mock.issuer },
    });
    expect(r.code).toBe(1);
    const probe = parse<CheckDoc>(r).checks.find((c) => c.id === 'probe.authorize');
    expect(probe?.status).toBe('fail');
    expect(probe?.message).toContain('invalid_redirect_uri');
  });

  it('gives up on a slow discovery document within --timeout', async () => {
    const slow = await startMockProvider({ port: 0, faults: ['slow-discovery'], slowDiscoveryMs: 600_000 });
    try {
      const r = await runCli(['check', slow.issuer, '--json', '--timeout', '1']);
      expect(r.code).toBe(3);
      expect(parse(r)).toMatchObject({ ok: false, error: { code: 'NET_TIMEOUT' } });
    } finally {
      await slow.close();
    }
  });
});
