import { lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { parse } from '../../helpers/parse.js';
import { runCli, startBin } from '../../helpers/run-cli.js';

const root = mkdtempSync(join(tmpdir(), 'togo-config-edit-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let home: string;
let cwd: string;
let n = 0;
beforeEach(() => {
  n++;
  home = join(root, `home-${n}`);
  cwd = join(root, `project-${n}`);
  mkdirSync(cwd, { recursive: true });
});
const togo = (argv: string[], env: Record<string, string> = {}) =>
  runCli(argv, { cwd, env: { XDG_CONFIG_HOME: home, ...env } });
const userFile = () => join(home, 'togo', 'togo.config.json');
const read = (file: string) => JSON.parse(readFileSync(file, 'utf8'));

describe('togo config changes settings', () => {
  it('adds an environment, makes it the default, sets and unsets a value, in the user config file', async () => {
    expect(
      (await togo(['config', 'add-env', 'acme', '--issuer', 'https://id.acme.example', '--client-id', 'web']))
        .code,
    ).toBe(0);
    expect((await togo(['config', 'use', 'acme'])).code).toBe(0);
    expect((await togo(['config', 'set', 'scope', 'openid email'])).code).toBe(0);
    expect((await togo(['config', 'set', 'client-id', 'web-2'])).code).toBe(0);
    expect(read(userFile())).toEqual({
      environments: {
        acme: { issuer: 'https://id.acme.example', clientId: 'web-2', scope: 'openid email' },
      },
      defaultEnvironment: 'acme',
    });
    // Keys keep their order: the changed clientId stays second.
    expect(Object.keys(read(userFile()).environments.acme)).toEqual(['issuer', 'clientId', 'scope']);
    expect((await togo(['config', 'unset', 'scope'])).code).toBe(0);
    expect(read(userFile()).environments.acme).toEqual({
      issuer: 'https://id.acme.example',
      clientId: 'web-2',
    });

    // Every command now uses it.
    const shown = parse<{ environment: string; settings: { issuer: string; clientId: string } }>(
      await togo(['config', '--json']),
    );
    expect(shown.environment).toBe('acme');
    expect(shown.settings).toMatchObject({ issuer: 'https://id.acme.example', clientId: 'web-2' });
  });

  it('lists the environments with issuer and client, the current one marked', async () => {
    await togo(['config', 'add-env', 'acme', '--extends', 'togo-staging', '--client-id', 'web']);
    const human = await togo(['config', 'list', '--env', 'acme']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^\*\s+acme\s+https:\/\/id2-staging\.runswithtogo\.com\s+web\s/m);
    expect(human.stdout).toMatch(/^\s+mock\s+http:\/\/127\.0\.0\.1:4444\/identity\s+togo-cli\s+built-in$/m);
    const doc = parse<{ current: string; environments: { name: string; current: boolean }[] }>(
      await togo(['config', 'list', '--json']),
    );
    expect(doc.current).toBe('togo-production');
    expect(doc.environments.find((e) => e.current)?.name).toBe('togo-production');
  });

  it('writes the directory config with --project, keeping its indentation', async () => {
    const file = join(cwd, 'togo.config.json');
    writeFileSync(
      file,
      '{\n    "environments": {\n        "dev": { "issuer": "https://dev.example" }\n    }\n}\n',
    );
    expect((await togo(['config', 'set', 'client-id', 'app', '--env', 'dev', '--project'])).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(
      '{\n    "environments": {\n        "dev": {\n            "issuer": "https://dev.example",\n            "clientId": "app"\n        }\n    }\n}\n',
    );
  });

  it('never writes a secret into a config file', async () => {
    const byName = await togo([
      'config',
      'set',
      'clientSecret',
      's3cr3t-value',
      '--env',
      'acme',
      '--project',
    ]);
    expect(byName.code).toBe(2);
    expect(byName.stderr).toContain('never writes a secret');
    const pasted = await togo(
      [
        'config',
        'add-env',
        'acme',
        '--issuer',
        'https://id.acme.example',
        '--client-id',
        's3cr3t-value',
        '--project',
      ],
      {
        TOGO_CLIENT_SECRET: 's3cr3t-value',
      },
    );
    expect(pasted.code).toBe(2);
    expect(pasted.stderr).toContain('holds TOGO_CLIENT_SECRET');
    expect(() => lstatSync(join(cwd, 'togo.config.json'))).toThrow();
  });

  it('refuses to change a built-in environment and says how to add one on top of it', async () => {
    const r = await togo(['config', 'set', 'client-id', 'web', '--env', 'togo-staging']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('built-in environment');
    const hint =
      /hint: Add your own on top of it, then make it the default: (togo config add-env \S+ --extends togo-staging) --client-id … && togo config use (\S+)/.exec(
        r.stderr,
      );
    expect(hint).not.toBeNull();
    // The hint's commands work.
    const add = await togo([...(hint?.[1] ?? '').split(' ').slice(1), '--client-id', 'web']);
    expect(add.code).toBe(0);
    expect((await togo(['config', 'use', hint?.[2] ?? ''])).code).toBe(0);
    expect(read(userFile()).defaultEnvironment).toBe('my-togo-staging');
  });

  it('suggests the environment meant by a short name, and refuses unknown keys and actions', async () => {
    const use = await togo(['config', 'use', 'staging']);
    expect(use.code).toBe(2);
    expect(use.stderr).toContain('did you mean "togo-staging"?');
    const key = await togo(['config', 'set', 'isuer', 'https://x.example', '--env', 'acme']);
    expect(key.stderr).toContain('did you mean "issuer"?');
    const action = await togo(['config', 'lst']);
    expect(action.code).toBe(2);
    expect(action.stderr).toContain('did you mean "list"?');
  });

  it('refuses to write through a symbolic link at the config path', async () => {
    const target = join(root, `elsewhere-${n}.json`);
    writeFileSync(target, '{}\n');
    symlinkSync(target, join(cwd, 'togo.config.json'));
    const r = await togo(['config', 'use', 'mock', '--project']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[OUTPUT_REFUSED]');
    expect(readFileSync(target, 'utf8')).toBe('{}\n');
  });
});

describe('the mock environment on another port', () => {
  it('the emulator prints the command that points --env mock at it, and that command works', async () => {
    const mock = startBin(['mock', '--port', '0', '--no-color'], { XDG_CONFIG_HOME: join(root, 'none') });
    try {
      await mock.waitForStderr(/Serving until Ctrl-C/);
      const line = /--env mock\s+export (TOGO_MOCK_ISSUER)=(\S+)/.exec(mock.stdout());
      expect(line).not.toBeNull();
      const r = await runCli(['discover', '--env', 'mock', '--json'], {
        env: { [line?.[1] ?? '']: line?.[2] ?? '' },
      });
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).issuer ?? JSON.parse(r.stdout).metadata?.issuer).toBe(line?.[2]);
    } finally {
      mock.child.kill('SIGINT');
      await mock.exit;
    }
  });

  it('a refused connection to the mock environment says how to start it and point --env mock elsewhere', async () => {
    const r = await runCli(['discover', '--env', 'mock'], {
      env: { TOGO_MOCK_ISSUER: 'http://127.0.0.1:9/identity' },
    });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('[NET_REFUSED]');
    expect(r.stderr).toContain(
      'hint: The emulator is not running at http://127.0.0.1:9/identity: start it with `togo mock`',
    );
    expect(r.stderr).toContain('export TOGO_MOCK_ISSUER=http://127.0.0.1:<port>/identity');
  });
});
