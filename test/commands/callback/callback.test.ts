/**
 * togo callback: the redirect URL a person pasted, checked against the request `togo login-url
 * --save` composed. These cases end before any request, so no provider is needed.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/run-cli.js';

const ISSUER = 'https://id.example.test/identity';
const env = { TOGO_ISSUER: ISSUER, TOGO_CLIENT_ID: 'my-app', TOGO_FLAVOR: 'standard' };

async function pendingLogin(): Promise<{ file: string; state: string; redirect: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'togo-callback-'));
  const file = join(dir, 'pending.json');
  const r = await runCli(
    [
      'login-url',
      '--offline',
      '--authorization-endpoint',
      `${ISSUER}/connect/authorize`,
      '--response-type',
      'code',
      '--redirect-uri',
      'http://127.0.0.1:8765/callback',
      '--save',
      file,
    ],
    { env, cwd: dir },
  );
  expect(r.code, r.stderr).toBe(0);
  const url = new URL(r.stdout.split('\n')[0]!);
  expect(readFileSync(file, 'utf8')).toContain(url.searchParams.get('state')!);
  return { file, state: url.searchParams.get('state')!, redirect: url.searchParams.get('redirect_uri')! };
}

describe('togo callback', () => {
  it("reports the provider's error from the pasted URL (exit 4), with its description", async () => {
    const { file, state, redirect } = await pendingLogin();
    const back = `${redirect}?error=access_denied&error_description=The+user+said+no&state=${state}`;
    const r = await runCli(['callback', back, '--pending', file], { env });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('access_denied');
    expect(r.stderr).toMatch(/^hint: \S/m);
  });

  it('refuses a pasted URL whose state is not the one sent, before redeeming the code', async () => {
    const { file, redirect } = await pendingLogin();
    const r = await runCli(['callback', `${redirect}?code=abc&state=not-the-state`, '--pending', file], {
      env,
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/state/i);
    expect(r.stderr).not.toContain('[NET_');
    expect(r.stderr).not.toMatch(/^ {4}at /m);
  });
});
