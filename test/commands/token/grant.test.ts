import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useEmulators } from '../../helpers/emulator.js';
import { runCli } from '../../helpers/run-cli.js';

const emulators = useEmulators();
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'togo-grant-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function configWith(name: string, env: Record<string, string>): string {
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify({ environments: { machine: env } }));
  return path;
}

describe('grant: client_credentials in the environment', () => {
  it('makes togo token get a machine token without --client-credentials', async () => {
    const mock = await emulators.shared();
    const config = configWith('machine', {
      issuer: mock.issuer,
      clientId: 'togo-confidential',
      grant: 'client_credentials',
    });
    const state = mkdtempSync(join(dir, 'state-'));
    const r = await runCli(['token', '--config', config, '--env', 'machine', '--json'], {
      env: { XDG_STATE_HOME: state, TOGO_CLIENT_SECRET: 'togo-confidential-secret' },
      now: Date.now(),
    });
    expect(r.stderr).not.toContain('error');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      source: 'client_credentials',
      client_id: 'togo-confidential',
    });
  });

  it('without it, the same environment asks for a login (exit 4)', async () => {
    const mock = await emulators.shared();
    const config = configWith('person', { issuer: mock.issuer, clientId: 'togo-confidential' });
    const r = await runCli(['token', '--config', config, '--env', 'machine'], {
      env: {
        XDG_STATE_HOME: mkdtempSync(join(dir, 'state-')),
        TOGO_CLIENT_SECRET: 'togo-confidential-secret',
      },
      now: Date.now(),
    });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('togo login --env machine');
  });

  it('refuses a grant togo does not fall back to, naming the file (exit 2)', async () => {
    const config = configWith('bad', { issuer: 'https://id.example', clientId: 'a', grant: 'password' });
    const r = await runCli(['token', '--config', config, '--env', 'machine'], {
      env: { XDG_STATE_HOME: mkdtempSync(join(dir, 'state-')) },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('CONFIG_INVALID');
    expect(r.stderr).toContain('grant must be client_credentials');
  });

  it('is what `togo config set grant client_credentials` writes', async () => {
    const config = configWith('set', { issuer: 'https://id.example', clientId: 'a' });
    const r = await runCli([
      'config',
      'set',
      'grant',
      'client_credentials',
      '--config',
      config,
      '--env',
      'machine',
    ]);
    expect(r.stderr).not.toContain('error');
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(config, 'utf8')).environments.machine.grant).toBe('client_credentials');
  });
});
