/**
 * What a person reads after `togo login`: a summary at a glance by default (who signed in, their
 * organizations and roles, the tokens, the failed and warned checks, the verdict, where the
 * session went), the whole report with --verbose or --json, and no narration said twice.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FaultName } from '../../../src/mock/types.js';
import { useEmulators } from '../../helpers/emulator.js';
import { runCli } from '../../helpers/run-cli.js';

const emulators = useEmulators();
const dir = mkdtempSync(join(tmpdir(), 'togo-summary-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function login(args: string[], faults?: FaultName[]) {
  const mock = faults ? await emulators.withFaults(faults) : await emulators.shared();
  const r = await runCli(['login', '--env', 'mock', '--headless', ...args], {
    env: { TOGO_MOCK_ISSUER: mock.issuer, XDG_STATE_HOME: join(dir, 'state') },
    now: Date.now(),
  });
  return { ...r, issuer: mock.issuer };
}

describe('togo login prints a short summary by default', () => {
  it('says who signed in, their organizations and roles, the tokens, the verdict and where the session went', async () => {
    const file = join(dir, 'session.json');
    const r = await login(['--response-type', 'code', '--save', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {2}signed in as +Joe Marsh <joe@m\.test>$/m);
    expect(r.stdout).toMatch(/^ {2}subject +7368ed68-b84c-422c-9aa6-e0575b1308a3$/m);
    expect(r.stdout).toContain(`issuer        ${r.issuer}`);
    expect(r.stdout).toMatch(
      /^ {2}tokens +ID token \(expires in \d+ min\), access token \(Bearer, expires in 1 hour\)$/m,
    );
    expect(r.stdout).toMatch(/^ {2}Joe Marsh +yes +-$/m);
    expect(r.stdout).toMatch(/^ {2}Airstream +no +Campervan Owner$/m);
    expect(r.stdout).toMatch(/^Checks +\d+ passed, 0 warnings, 0 failed/m);
    expect(r.stdout).toContain('Result: VALID');
    expect(r.stdout).toContain(`saved to ${file} (mode 0600)`);
    expect(r.stdout).toContain(
      `kept in the store, ${join(dir, 'state', 'togo')} (\`togo sessions\` lists it)`,
    );
    // Short: no claims table, no header, no list of every passed check.
    expect(r.stdout).not.toContain('Claims');
    expect(r.stdout).not.toContain('PASS');
    expect(r.stdout.split('\n').length).toBeLessThan(25);
  });

  it('says nothing twice: no login URL or redirect narration for a headless login, the session only in the summary', async () => {
    const r = await login(['--save', join(dir, 'again.json')]);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('Login URL');
    expect(r.stderr).not.toContain('The provider sent the response');
    expect(r.stderr).not.toContain('Saved the tokens');
    expect(r.stderr).not.toContain('Kept the session');
    expect(r.stdout).toContain('saved to');
  });

  it('lists each failed check with its hint, and the verdict INVALID', async () => {
    const r = await login(['--no-store'], ['expired-id-token']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^ {2}FAIL +D7 +exp +.*\[TOKEN_EXPIRED\]$/m);
    expect(r.stdout).toMatch(/^ {2}tokens +ID token \(expired \d+ min ago\)$/m);
    expect(r.stdout).toMatch(/^hint: Log in again/m);
    expect(r.stdout).toMatch(/^Checks +\d+ passed, 0 warnings, 1 failed/m);
    expect(r.stdout).toMatch(/^Result: INVALID: 1 check failed \(D7 exp\)$/m);
    // A login that failed keeps no session.
    expect(r.stdout).not.toContain('Session');
  });

  it('--verbose and --json give the whole report', async () => {
    const verbose = await login(['--no-store', '--verbose']);
    expect(verbose.code).toBe(0);
    expect(verbose.stdout).toContain('Claims');
    expect(verbose.stdout).toMatch(/PASS +D16 +typ/);
    const json = await login(['--no-store', '--json']);
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.stdout);
    expect(doc.idTokens[0].verification.checks.length).toBeGreaterThan(10);
    expect(doc.idTokens[0].payload.sub).toBe('7368ed68-b84c-422c-9aa6-e0575b1308a3');
  });
});
