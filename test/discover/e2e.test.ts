import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeProvider, startProvider } from '../helpers/providers.js';

const exec = promisify(execFile);

/** The built CLI, as a user runs it (npm test builds first). */
async function togo(args: string[], opts: { noFallbackExit?: boolean } = {}) {
  // Without bin/togo.js's fallback exit: the run must end by itself, so a keep-alive socket left open
  // would hang this test.
  const argv = opts.noFallbackExit
    ? [
        '--input-type=module',
        '-e',
        `import { run } from './dist/cli.js'; process.exitCode = await run(${JSON.stringify(args)});`,
      ]
    : ['bin/togo.js', ...args];
  try {
    const { stdout, stderr } = await exec(process.execPath, argv, { timeout: 15_000 });
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
    const started = Date.now();
    const r = await togo(['discover', p.issuer, '--json'], { noFallbackExit: true });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).ok).toBe(true);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('exits 3 with a one-line error and a hint when nothing listens', async () => {
    const r = await togo(['discover', 'http://127.0.0.1:9/identity', '--timeout', '1']);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error \[NET_REFUSED\] connection to 127\.0\.0\.1:9 refused\nhint: /m);
    expect(r.stderr).not.toContain('    at ');
  });
});
