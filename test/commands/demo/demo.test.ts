/** togo demo: the whole login against the built-in emulator, in-process, with no setting at all. */
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/run-cli.js';

describe('togo demo', () => {
  it('signs Ada in with the code flow, verifies her ID token and shows her organizations', async () => {
    const r = await runCli(['demo', '--user', 'ada@m.test', '--response-type', 'code'], { now: Date.now() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Result: VALID');
    expect(r.stdout).toContain('ada@m.test');
  });

  it('refuses a user the emulator does not have, with a usage error', async () => {
    const r = await runCli(['demo', '--user', 'nobody@m.test'], { now: Date.now() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error \[[A-Z_]+\] /m);
    expect(r.stderr).not.toMatch(/^ {4}at /m);
  });
});
