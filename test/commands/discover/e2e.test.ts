import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeProvider, startProvider } from '../../helpers/providers.js';
import { publicJwk } from '../../helpers/servers.js';

const exec = promisify(execFile);

/** The built CLI, as a user runs it (npm test builds first). */
async function togo(args: string[], opts: { noFallbackExit?: boolean } = {}) {
  // Without bin/togo.cjs's fallback exit: the run must end by itself, so a keep-alive socket left open
  // would hang this test.
  const argv = opts.noFallbackExit
    ? [
        '-e',
        `require('./dist/cli.cjs').run(${JSON.stringify(args)}).then((code) => { process.exitCode = code; });`,
      ]
    : ['bin/togo.cjs', ...args];
  try {
    const { stdout, stderr } = await exec(process.execPath, argv, { timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string; killed?: boolean };
    if (e.killed) throw new Error('togo did not exit');
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('the built togo discover', () => {
  let p: FakeProvider;
  beforeAll(async () => {
    p = await startProvider();
  });
  afterAll(() => p.close());

  it('lints a local provider and exits by itself once done', async () => {
    const r = await togo(['discover', p.issuer, '--json'], { noFallbackExit: true });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).ok).toBe(true);
  });

  it('exits 3 with a one-line error and a hint when nothing listens', async () => {
    const r = await togo(['discover', 'http://127.0.0.1:9/identity', '--timeout', '1']);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error \[NET_REFUSED\] connection to 127\.0\.0\.1:9 refused\nhint: /m);
    expect(r.stderr).not.toContain('    at ');
  });
});

describe('the built togo check', () => {
  let p: FakeProvider;
  let other: FakeProvider;
  beforeAll(async () => {
    p = await startProvider();
    p.corsOrigins = ['https://spa.example'];
    other = await startProvider({ keys: [publicJwk('RSA', { kid: 'prod-1', alg: 'RS256' }).publicJwk] });
  });
  afterAll(async () => {
    await p.close();
    await other.close();
  });

  it('runs every probe and exits by itself once done', async () => {
    const r = await togo(
      ['check', p.issuer, '--json', '--origin', 'https://spa.example', '--distinct-keys-from', other.issuer],
      { noFallbackExit: true },
    );
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { checks: { id: string; status: string }[] };
    expect(doc.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(doc.checks.map((c) => c.id)).toEqual(expect.arrayContaining(['cors.userinfo', 'keys.distinct']));
  });

  it('refuses to compare a provider with itself', async () => {
    const r = await togo(['check', p.issuer, '--distinct-keys-from', `${p.issuer}/`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[USAGE]');
  });
});
