/**
 * `togo mock` as users run it: the built binary in a child process, stopped with Ctrl-C (SIGINT).
 * `npm test` builds first.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HANG_MS, orHang } from '../../helpers/hang.js';

const BIN = join(import.meta.dirname, '../../../bin/togo.cjs');
const children: ChildProcess[] = [];
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'togo-mock-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

function togo(...args: string[]): Run {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1' } });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exit };
}

async function until(check: () => boolean, ms = HANG_MS): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('togo mock', () => {
  it('prints one JSON document describing the running emulator, serves, and exits 0 on Ctrl-C', async () => {
    const run = togo('mock', '--json', '--port', '0', '--auto-login', 'joe@m.test');
    await until(() => run.stderr().includes('Serving until Ctrl-C'));
    const doc = JSON.parse(run.stdout());
    expect(doc.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/identity$/);
    expect(doc.discoveryUrl).toBe(`${doc.issuer}/.well-known/openid-configuration`);
    expect(doc.clients.map((c: { client_id: string }) => c.client_id)).toEqual([
      'togo-cli',
      'togo-offline',
      'togo-confidential',
    ]);
    expect(doc.users.map((u: { email: string }) => u.email)).toEqual(['joe@m.test', 'ada@m.test']);
    expect(doc.autoLogin).toBe('joe@m.test');
    const discovery = await fetch(doc.discoveryUrl);
    expect(((await discovery.json()) as { issuer: string }).issuer).toBe(doc.issuer);

    run.child.kill('SIGINT');
    // Ctrl-C ends it: no keep-alive connection or timer holds the process (the bound only catches a hang).
    expect(await orHang(run.exit, 'togo mock after Ctrl-C')).toBe(0);
    expect(run.stderr()).not.toMatch(/oidc-provider|WARNING|NOTICE/);
    expect(run.stdout().trim().startsWith('{')).toBe(true);
    await expect(fetch(doc.discoveryUrl)).rejects.toThrow();
  });

  it('refuses an unknown --fault with exit 2 and the list of valid faults', async () => {
    const run = togo('mock', '--port', '0', '--fault', 'expired-id-token', '--fault', 'late-token');
    expect(await run.exit).toBe(2);
    expect(run.stderr()).toContain('unknown fault "late-token"');
    expect(run.stderr()).toContain('error-access-denied');
    expect(run.stdout()).toBe('');
  });

  it('fails fast with exit 2 on a clients file oidc-provider rejects', async () => {
    const file = join(dir, 'clients.json');
    await writeFile(
      file,
      JSON.stringify([
        { client_id: 'spa', token_endpoint_auth_method: 'none', redirect_uris: ['not a url'] },
      ]),
    );
    const run = togo('mock', '--port', '0', '--clients', file);
    expect(await run.exit).toBe(2);
    expect(run.stderr()).toMatch(
      /\[MOCK_CLIENTS_INVALID\] client "spa": invalid_redirect_uri \(redirect_uris must only contain valid uris\)/,
    );
  });

  it('checks the clients before taking the port, so a bad client is reported even when the port is busy', async () => {
    const file = join(dir, 'clients-bad-uri.json');
    await writeFile(file, JSON.stringify([{ client_id: 'spa', redirect_uris: ['not a url'] }]));
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = busy.address() as AddressInfo;
      const run = togo('mock', '--port', String(port), '--clients', file);
      expect(await run.exit).toBe(2);
      expect(run.stderr()).toContain('[MOCK_CLIENTS_INVALID] client "spa"');
      expect(run.stderr()).not.toContain('PORT_IN_USE');
    } finally {
      busy.close();
    }
  });

  it('says "application_type": "native" is the local answer when a web implicit client has an http redirect', async () => {
    const file = join(dir, 'clients-web-implicit.json');
    await writeFile(
      file,
      JSON.stringify([
        {
          client_id: 'spa',
          token_endpoint_auth_method: 'none',
          redirect_uris: ['http://127.0.0.1:3000/callback'],
          response_types: ['id_token'],
          grant_types: ['implicit'],
        },
      ]),
    );
    const run = togo('mock', '--port', '0', '--clients', file);
    expect(await run.exit).toBe(2);
    expect(run.stderr()).toContain('MUST only register URLs using the https scheme');
    expect(run.stderr()).toContain('"application_type": "native"');
  });

  it('serves the users and clients from files', async () => {
    const users = join(dir, 'users.json');
    const clients = join(dir, 'more-clients.json');
    await writeFile(
      users,
      JSON.stringify([
        {
          sub: 'u-1',
          email: 'kim@m.test',
          password: 'pw',
          given_name: 'Kim',
          family_name: 'Lee',
          user: { id: 'p-1', organizations: [{ organization: { id: 'o-1', name: 'Winnebago' }, roles: [] }] },
        },
      ]),
    );
    await writeFile(
      clients,
      JSON.stringify([
        {
          client_id: 'my-spa',
          application_type: 'native',
          token_endpoint_auth_method: 'none',
          redirect_uris: ['http://127.0.0.1/cb'],
          response_types: ['id_token'],
          grant_types: ['implicit'],
        },
      ]),
    );
    const run = togo('mock', '--json', '--port', '0', '--users', users, '--clients', clients);
    await until(() => run.stderr().includes('Serving until Ctrl-C'));
    const doc = JSON.parse(run.stdout());
    expect(doc.users).toEqual([
      { sub: 'u-1', email: 'kim@m.test', password: 'pw', name: 'Kim Lee', organizations: ['Winnebago'] },
    ]);
    expect(doc.clients.map((c: { client_id: string }) => c.client_id)).toContain('my-spa');
    run.child.kill('SIGINT');
    expect(await run.exit).toBe(0);
  });

  it('names the broken field of a users file', async () => {
    const file = join(dir, 'bad-users.json');
    await writeFile(
      file,
      JSON.stringify([
        { sub: 'a', email: 'a@m.test', password: 'x' },
        { sub: 'b', password: 'x' },
      ]),
    );
    const run = togo('mock', '--port', '0', '--users', file);
    expect(await run.exit).toBe(2);
    expect(run.stderr()).toContain(`${file}[1].email: is required`);
  });

  it('says which port is taken', async () => {
    const first = togo('mock', '--json', '--port', '0');
    await until(() => first.stderr().includes('Serving until Ctrl-C'));
    const { port } = JSON.parse(first.stdout()) as { port: number };
    const second = togo('mock', '--port', String(port));
    expect(await second.exit).toBe(2);
    expect(second.stderr()).toContain(`[PORT_IN_USE] port ${port}`);
    first.child.kill('SIGINT');
    expect(await first.exit).toBe(0);
  });
});
