import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/run-cli.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'togo-config-cmd-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('togo config', () => {
  it('shows each setting with where it came from', async () => {
    writeFileSync(
      join(dir, 'togo.config.json'),
      JSON.stringify({ environments: { dev: { extends: 'togo-staging', clientId: 'my-app' } } }),
    );
    const r = await runCli(['config', '--redirect-uri', 'http://127.0.0.1:8765/callback'], {
      cwd: dir,
      env: { TOGO_ENV: 'dev', TOGO_CLIENT_SECRET: 'very-secret' },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/environment\s+dev\s+TOGO_ENV/);
    expect(r.stdout).toMatch(
      /issuer\s+https:\/\/id2-staging\.runswithtogo\.com\s+built-in environment "togo-staging"/,
    );
    expect(r.stdout).toMatch(
      new RegExp(
        `clientId\\s+my-app\\s+${join(dir, 'togo.config.json').replace(/[/.]/g, '\\$&')} \\(environment "dev"\\)`,
      ),
    );
    expect(r.stdout).toMatch(/redirectUri\s+http:\/\/127\.0\.0\.1:8765\/callback\s+--redirect-uri/);
    expect(r.stdout).toMatch(/clientSecret\s+\(set, not shown\)\s+TOGO_CLIENT_SECRET/);
    expect(r.stdout).not.toContain('very-secret');
    expect(r.stdout).toMatch(/environments: dev, togo-production, togo-staging, mock/);
  });

  it('prints settings, sources, files and environments with --json, never the secret', async () => {
    const r = await runCli(['config', '--json', '--env', 'mock'], {
      env: { TOGO_CLIENT_SECRET: 'very-secret' },
    });
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({
      ok: true,
      environment: 'mock',
      settings: { clientId: 'togo-cli', clientSecret: '(set)' },
      sources: { environment: { kind: 'flag', label: '--env' } },
      files: [],
    });
    expect(doc.environments.map((e: { name: string }) => e.name)).toEqual([
      'togo-production',
      'togo-staging',
      'mock',
    ]);
    expect(r.stdout).not.toContain('very-secret');
  });

  it('exits 2 for a malformed config file, naming the file and the problem', async () => {
    const path = join(dir, 'togo.config.json');
    writeFileSync(path, JSON.stringify({ environments: { dev: { clientID: 'x' } } }));
    const r = await runCli(['config', '--json'], { cwd: dir });
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout);
    expect(doc.error.code).toBe('CONFIG_INVALID');
    expect(doc.error.message).toBe(
      `${path}: environments.dev: unknown key "clientID" (did you mean "clientId"?)`,
    );
  });

  it('exits 2 for a config file given with --config that does not exist', async () => {
    const r = await runCli(['config', '--config', 'nope.json'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(join(dir, 'nope.json'));
  });
});
