import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/run-cli.js';

const SEED_URL = readFileSync(new URL('../fixtures/seed-login-url.txt', import.meta.url), 'utf8').trim();

/** The built binary with a clean environment and no config directory of the developer's. */
const togo = (args: string[], env: Record<string, string> = {}) =>
  runBin(args, { env: { XDG_CONFIG_HOME: '/nonexistent-togo-e2e', ...env } });

describe('the built togo binary', () => {
  it('prints the seed login URL alone on stdout, ready for $(togo login-url)', async () => {
    const r = await togo([
      'login-url',
      '--client-id',
      'sample-production',
      '--redirect-uri',
      'https://sample.togogroup.com/togo-callback',
      '--nonce',
      'c7709929297c0f47645cd4e270049fd0',
      '--state',
      'ac65007cf9729c9168b475452439e9fa',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${SEED_URL}\n`);
    expect(r.stderr).toContain('ReturnUrl  state');
  });

  it('inspects the seed URL with exit 0 and a broken one with exit 1', async () => {
    expect((await togo(['inspect-url', SEED_URL])).code).toBe(0);
    const broken = SEED_URL.replace(
      /ReturnUrl=(.*)$/,
      (_m, v: string) => `ReturnUrl=${encodeURIComponent(v)}`,
    );
    const r = await togo(['inspect-url', '--json', broken]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).findings[0].id).toBe('url.return-url-double-encoded');
  });

  it('exits 2 for a URL it cannot parse', async () => {
    const r = await togo(['inspect-url', 'not a url']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/URL_MALFORMED/);
  });

  it('shows the configuration from environment variables', async () => {
    const r = await togo(['config', '--json'], { TOGO_ENV: 'togo-staging', TOGO_CLIENT_ID: 'ci-client' });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.settings).toMatchObject({ environment: 'togo-staging', clientId: 'ci-client' });
    expect(doc.sources.clientId).toEqual({ kind: 'env', label: 'TOGO_CLIENT_ID' });
  });
});
