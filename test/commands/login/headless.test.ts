import { describe, expect, it } from 'vitest';
import type { FaultName, MockProvider } from '../../../src/mock/types.js';
import { useEmulators } from '../../helpers/emulator.js';
import { runCli } from '../../helpers/run-cli.js';

const emulators = useEmulators();
let mock: MockProvider | undefined;

async function login(args: string[], options: { faults?: FaultName[]; env?: Record<string, string> } = {}) {
  mock = options.faults ? await emulators.withFaults(options.faults) : await emulators.shared();
  return runCli(['login', '--env', 'mock', '--headless', ...args], {
    env: { TOGO_MOCK_ISSUER: mock.issuer, ...options.env },
    now: Date.now(),
  });
}

describe('togo login --headless against the emulator', () => {
  it.each([
    ['id_token', [], ['F1 pass', 'F2 skip']],
    ['id_token token', [], ['F1 pass', 'D10 pass']],
    ['code', [], ['F1 pass', 'F2 pass', 'F3 pass']],
    ['code id_token', [], ['F1 pass', 'D11 pass', 'F3 pass', 'F4 pass']],
    ['code id_token', ['--response-mode', 'form_post'], ['F1 pass', 'F3 pass', 'F4 pass']],
  ])('%s %s: the login completes and every check passes', async (responseType, extra, expected) => {
    const r = await login(['--response-type', responseType, ...extra, '--json']);
    expect(r.stderr).not.toContain('error');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.ok).toBe(true);
    const statuses = [
      ...doc.checks.map((c: { id: string; status: string }) => `${c.id} ${c.status}`),
      ...doc.idTokens.flatMap((t: { verification: { checks: { id: string; status: string }[] } }) =>
        t.verification.checks.map((c) => `${c.id} ${c.status}`),
      ),
    ];
    for (const e of expected) expect(statuses).toContain(e);
    expect(statuses.filter((s: string) => s.endsWith('fail'))).toEqual([]);
    const user = doc.idTokens[0].expanded.user;
    expect(user.organizations.map((o: { name: string }) => o.name)).toEqual(['Joe Marsh', 'Airstream']);
  });

  it('with --verbose, shows the verified token with the organizations, like togo decode', async () => {
    const r = await login(['--verbose']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {2}Airstream +22c981b2-3a31-4272-b7f4-f57d3c14ed88 +no +Campervan Owner$/m);
    expect(r.stdout).toContain('Claims');
    expect(r.stdout).toMatch(/PASS +D5 +signature/);
    expect(r.stdout).toContain('Result: VALID');
    expect(r.stderr).toMatch(
      /Login URL: http:\/\/127\.0\.0\.1:\d+\/identity\/login\?profile=togo&behaviourProfile=togo&client_id=togo-cli&ReturnUrl=/,
    );
    expect(r.stderr).toMatch(/The provider sent the response via fragment after \d+ redirects\./);
  });

  it('prints only the raw ID token with --print id_token, for $(togo login …)', async () => {
    const r = await login(['--print', 'id_token']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+\n$/);
  });

  it('saves the tokens with mode 0600 only when asked', async () => {
    const { mkdtemp, stat, readFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'togo-login-'));
    const r = await login(['--response-type', 'code', '--save', join(dir, 'session.json')]);
    expect(r.code).toBe(0);
    const file = join(dir, 'session.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(await readFile(file, 'utf8'));
    expect(saved).toMatchObject({ version: 1, issuer: mock!.issuer, clientId: 'togo-cli' });
    expect(saved.tokens.access_token).toBeTypeOf('string');
    expect(r.stdout).not.toContain(saved.tokens.access_token);
  });
});

describe("togo login refuses the emulator's faults", () => {
  it.each<[FaultName, string, string, string, number]>([
    ['expired-id-token', 'id_token', 'D7', 'TOKEN_EXPIRED', 1],
    ['wrong-audience', 'id_token', 'D3', 'TOKEN_AUDIENCE_MISMATCH', 1],
    ['wrong-issuer', 'id_token', 'D2', 'TOKEN_ISSUER_MISMATCH', 1],
    ['wrong-nonce', 'id_token', 'D9', 'TOKEN_NONCE_MISMATCH', 1],
    ['bad-signature', 'id_token', 'D5', 'TOKEN_SIGNATURE_INVALID', 1],
    ['unknown-kid', 'id_token', 'D5', 'JWKS_NO_MATCHING_KEY', 1],
    ['alg-none', 'id_token', 'D1', 'TOKEN_ALG_NONE', 1],
    ['missing-at-hash', 'id_token token', 'D10', 'TOKEN_AT_HASH_MISMATCH', 1],
    ['bad-at-hash', 'id_token token', 'D10', 'TOKEN_AT_HASH_MISMATCH', 1],
  ])('%s (%s) fails %s with %s, and no token is printed', async (fault, responseType, id, code, exit) => {
    const r = await login(['--response-type', responseType, '--json'], { faults: [fault] });
    expect(r.code).toBe(exit);
    const doc = JSON.parse(r.stdout);
    expect(doc.ok).toBe(false);
    const checks = doc.idTokens.flatMap(
      (t: { verification: { checks: { id: string; status: string; code?: string }[] } }) =>
        t.verification.checks,
    );
    expect(checks.find((c: { id: string }) => c.id === id)).toMatchObject({ status: 'fail', code });
    const printed = await runCli(
      ['login', '--env', 'mock', '--headless', '--response-type', responseType, '--print', 'id_token'],
      {
        env: { TOGO_MOCK_ISSUER: mock!.issuer },
        now: Date.now(),
      },
    );
    expect(printed.code).toBe(1);
    expect(printed.stdout).toBe('');
  });

  it('rotate-keys: a token signed with a new key verifies after one refetch of the JWKS', async () => {
    mock = await emulators.withFaults(['rotate-keys']);
    const env = { TOGO_MOCK_ISSUER: mock.issuer };
    const first = await runCli(['login', '--env', 'mock', '--headless'], { env, now: Date.now() });
    expect(first.code).toBe(0);
    const second = await runCli(['login', '--env', 'mock', '--headless'], { env, now: Date.now() });
    expect(second.stdout).toContain('Result: VALID');
    expect(second.code).toBe(0);
  });

  it('error-access-denied ends the login with exit 4 and the provider error', async () => {
    const r = await login([], { faults: ['error-access-denied'] });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('[LOGIN_PROVIDER_ERROR] the provider returned access_denied');
    expect(r.stderr).toMatch(/^hint: The user \(or the provider\) refused the request\./m);
  });

  it('slow-discovery past --timeout is a network timeout (exit 3)', async () => {
    mock = await emulators.withFaults(['slow-discovery'], { slowDiscoveryMs: 600_000 });
    const r = await runCli(['login', '--env', 'mock', '--headless', '--timeout', '1'], {
      env: { TOGO_MOCK_ISSUER: mock.issuer },
      now: Date.now(),
    });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('[NET_TIMEOUT]');
  });
});

describe('togo login --headless without an automatic sign-in', () => {
  it('stops at the login page with exit 4 and says why', async () => {
    mock = await emulators.withFaults([], { autoLogin: undefined });
    const r = await runCli(['login', '--env', 'mock', '--headless'], {
      env: { TOGO_MOCK_ISSUER: mock.issuer },
    });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('[LOGIN_INTERACTION_REQUIRED]');
    expect(r.stderr).toContain('--auto-login');
  });
});
