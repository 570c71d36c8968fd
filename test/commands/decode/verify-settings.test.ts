import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeProvider, startProvider } from '../../helpers/providers.js';
import { runCli } from '../../helpers/run-cli.js';
import { CLIENT, makeKey, NOW, signToken, type TestKey } from '../../helpers/tokens.js';

let key: TestKey;
let provider: FakeProvider | undefined;

beforeAll(async () => {
  key = await makeKey('RS256', 'togo-1');
});
afterEach(async () => {
  await provider?.close();
  provider = undefined;
});

function configDir(environments: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'togo-decode-'));
  writeFileSync(join(dir, 'togo.config.json'), JSON.stringify({ environments, ...extra }));
  return dir;
}

describe('decode --verify uses the provider settings every networked command shares', () => {
  it('finds the keys of the environment named with --env in togo.config.json', async () => {
    provider = await startProvider({ keys: [key.publicJwk] });
    const token = await signToken(key, { iss: provider.issuer });
    const cwd = configDir({ dev: { issuer: provider.issuer, clientId: CLIENT } });
    const { code, stdout } = await runCli(['decode', token, '--verify', '--env', 'dev'], { now: NOW, cwd });
    expect(stdout).toContain('Result: VALID');
    expect(stdout).toMatch(/PASS +D3 +aud/);
    expect(code).toBe(0);
  });

  it('takes TOGO_ISSUER from the environment', async () => {
    provider = await startProvider({ keys: [key.publicJwk] });
    const token = await signToken(key, { iss: provider.issuer });
    const { code, stdout } = await runCli(['decode', token, '--verify'], {
      now: NOW,
      env: { TOGO_ISSUER: provider.issuer, TOGO_CLIENT_ID: CLIENT },
    });
    expect(stdout).toContain('Result: VALID');
    expect(code).toBe(0);
  });

  it("takes TOGO_ENV and a config file's defaultEnvironment, and --config names the file", async () => {
    provider = await startProvider({ keys: [key.publicJwk] });
    const token = await signToken(key, { iss: provider.issuer });
    const dir = configDir(
      { dev: { issuer: provider.issuer, clientId: CLIENT } },
      { defaultEnvironment: 'dev' },
    );
    const byDefault = await runCli(['decode', token, '--verify'], { now: NOW, cwd: dir });
    expect(byDefault.code).toBe(0);
    const byVar = await runCli(['decode', token, '--verify'], {
      now: NOW,
      cwd: dir,
      env: { TOGO_ENV: 'dev' },
    });
    expect(byVar.code).toBe(0);
    const byFlag = await runCli(['decode', token, '--verify', '--config', join(dir, 'togo.config.json')], {
      now: NOW,
    });
    expect(byFlag.stdout).toContain('Result: VALID');
    expect(byFlag.code).toBe(0);
  });

  it('accepts --ca and --timeout like the other networked commands', async () => {
    provider = await startProvider({ keys: [key.publicJwk] });
    const token = await signToken(key, { iss: provider.issuer });
    const { code, stderr } = await runCli(
      [
        'decode',
        token,
        '--verify',
        '--issuer',
        provider.issuer,
        '--timeout',
        '5',
        '--ca',
        '/nonexistent.pem',
      ],
      { now: NOW },
    );
    // The CA file is read: a missing one is reported, not ignored.
    expect(stderr).toMatch(/nonexistent\.pem/);
    expect(code).toBe(2);
  });
});

describe('decode --verify without a way to find keys', () => {
  it('is a usage error (exit 2) naming the ways, not an INVALID token', async () => {
    const token = await signToken(key, {});
    const { code, stdout, stderr } = await runCli(['decode', token, '--verify'], { now: NOW });
    expect(stdout).not.toContain('INVALID');
    expect(stderr).toMatch(/\[USAGE\] --verify needs a way to find the keys/);
    expect(stderr).toMatch(/--issuer <url>.*--jwks <file\|url>.*--env <name>.*TOGO_ISSUER/);
    expect(code).toBe(2);
  });
});

describe('decode --verify when the keys cannot be fetched', () => {
  it('still shows the decoded token, then the network error (exit 3)', async () => {
    provider = await startProvider({ keys: [key.publicJwk] });
    const issuer = provider.issuer;
    const token = await signToken(key, { iss: issuer });
    await provider.close();
    provider = undefined;
    const { code, stdout, stderr } = await runCli(['decode', token, '--verify', '--issuer', issuer], {
      now: NOW,
    });
    expect(stdout).toContain(issuer);
    expect(stdout).toMatch(/sub/);
    // It was asked to verify: the note says why it could not, not to add --verify.
    expect(stdout).toContain('signature not verified: the keys could not be fetched');
    expect(stdout).not.toContain('add --verify');
    expect(stderr).toMatch(/\[NET_REFUSED\]/);
    expect(code).toBe(3);
  });

  it('with --json, the error document carries the decoded payload', async () => {
    provider = await startProvider({ keys: [key.publicJwk] });
    const issuer = provider.issuer;
    const token = await signToken(key, { iss: issuer });
    await provider.close();
    provider = undefined;
    const { code, stdout } = await runCli(['decode', token, '--verify', '--issuer', issuer, '--json'], {
      now: NOW,
    });
    const doc = JSON.parse(stdout);
    expect(doc.ok).toBe(false);
    expect(doc.error.details.payload.iss).toBe(issuer);
    expect(code).toBe(3);
  });
});
