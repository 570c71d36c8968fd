import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { startServer, type TestServer } from '../helpers/servers.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('the small things a new user meets', () => {
  it('--version --json prints a JSON document', async () => {
    const r = await runCli(['--version', '--json']);
    expect(JSON.parse(r.stdout)).toEqual({ version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    expect(r.code).toBe(0);
  });

  it('an unknown command points to `togo --help`', async () => {
    const r = await runCli(['decod']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('hint: Run `togo --help` to list the commands.');
  });

  it("a bad flag points to the command's own help", async () => {
    const r = await runCli(['decode', '--nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('hint: Run `togo decode --help` to see its flags and examples.');
  });

  it('a mistyped environment name gets a did-you-mean', async () => {
    const r = await runCli(['discover', '--env', 'mokc']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown environment "mokc" (did you mean "mock"?)');
  });

  it('with nothing configured, stderr says once which environment is used, before any request', async () => {
    const r = await runCli(['login-url', '--json']);
    const notes = r.stderr.split('\n').filter((l) => l.includes('Nothing configured'));
    expect(notes).toEqual([expect.stringContaining('using the togo-production environment')]);
  });

  it('messages use one apostrophe, the plain one', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((f) => {
        const p = join(dir, f);
        return statSync(p).isDirectory() ? files(p) : [p];
      });
    const curly = files(new URL('../../src', import.meta.url).pathname).filter((f) =>
      readFileSync(f, 'utf8').includes('\u2019'),
    );
    expect(curly).toEqual([]);
  });

  it('togo demo ends with the next command to try', async () => {
    const r = await runCli(['demo'], { now: Date.now() });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/Next: .*togo mock --auto-login joe@m\.test.*togo login --env mock --headless/);
  });
});

describe('settings are checked before the network', () => {
  it('login-url with no client id fails at once and sends no request', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
    const r = await runCli(['login-url', '--json'], { env: { TOGO_ISSUER: `${server.origin}/identity` } });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).error.code).toBe('SETTING_MISSING');
    expect(r.stderr).toContain('no client id');
    expect(server.requests).toEqual([]);
  });

  it('login-url with nothing configured reports the missing client id, not a network error', async () => {
    const r = await runCli(['login-url', '--json']);
    expect(JSON.parse(r.stdout).error.code).toBe('SETTING_MISSING');
    expect(r.stderr).not.toMatch(/NET_/);
  });

  it('login with no redirect URI fails before any request', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
    const r = await runCli(['login', '--client-id', 'c'], {
      env: { TOGO_ISSUER: `${server.origin}/identity` },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no redirect URI');
    expect(server.requests).toEqual([]);
  });
});
