import { spawn } from 'node:child_process';
import { chmod, cp, mkdir, mkdtemp, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BIN, type CliResult, runBin } from '../helpers/run-cli.js';
import { SEED_TOKEN } from '../helpers/tokens.js';

const decode = (env: Record<string, string>) => runBin(['decode', SEED_TOKEN, '--claim', 'email'], { env });
const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
const buildId = async () => (await readFile(join(dist, 'build-id'), 'utf8')).split('\n')[0];
const runtime = `${process.version}-${process.arch}`;

/** A copy of the installed CLI (bin and the CLI's bundles), whose build id a test may change. */
async function installCopy(): Promise<{ bin: string; rebuild: (id: string) => Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'togo-install-'));
  await cp(fileURLToPath(new URL('../../bin/togo.cjs', import.meta.url)), join(root, 'bin', 'togo.cjs'));
  await mkdir(join(root, 'dist'));
  await cp(join(dist, 'cli.cjs'), join(root, 'dist', 'cli.cjs'));
  await cp(join(dist, 'commands'), join(root, 'dist', 'commands'), { recursive: true });
  await cp(join(dist, 'build-id'), join(root, 'dist', 'build-id'));
  const [, ...rest] = (await readFile(join(dist, 'build-id'), 'utf8')).split('\n');
  return {
    bin: join(root, 'bin', 'togo.cjs'),
    rebuild: (id) => writeFile(join(root, 'dist', 'build-id'), [id, ...rest].join('\n')),
  };
}

function runCopy(bin: string, argv: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...argv], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Every file below `dir`, as paths relative to it. */
async function filesBelow(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1));
}

describe("togo's compiled-code cache", () => {
  it('keeps the compiled bundles in a directory only the user can read, and starts from it next time', async () => {
    const home = await mkdtemp(join(tmpdir(), 'togo-cache-'));
    expect(await decode({ HOME: home })).toMatchObject({ code: 0, stdout: 'joe@m.test\n' });
    const dir = join(home, '.cache', 'togo', 'compile-cache');
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    const id = await buildId();
    const files = (await readdir(dir)).sort();
    expect(files).toEqual([`${id}-${runtime}-cli.cjs@decode`, `${id}-${runtime}-commands_decode.cjs`]);
    for (const f of files) expect((await stat(join(dir, f))).mode & 0o777).toBe(0o600);
    const written = await Promise.all(files.map((f) => stat(join(dir, f))));
    expect(await decode({ HOME: home })).toMatchObject({ code: 0, stdout: 'joe@m.test\n' });
    // Used as it is, not written again.
    const after = await Promise.all(files.map((f) => stat(join(dir, f))));
    expect(after.map((s) => s.mtimeMs)).toEqual(written.map((s) => s.mtimeMs));
  });

  it('holds only the current build’s entries, however many builds ran before', async () => {
    const { bin, rebuild } = await installCopy();
    const cache = await mkdtemp(join(tmpdir(), 'togo-cache-'));
    // What an earlier version of togo left: Node's own compile cache, one directory per Node version.
    await mkdir(join(cache, 'v22.0.0', 'v22.0.0-x64-1a2b3c4d-0'), { recursive: true });
    await writeFile(join(cache, 'v22.0.0', 'v22.0.0-x64-1a2b3c4d-0', 'x'), 'old');
    // And a file of the user's own in the directory they chose: not togo's to remove.
    await writeFile(join(cache, 'notes.txt'), 'mine');
    const env = { TOGO_COMPILE_CACHE: cache };
    for (let build = 1; build <= 6; build++) {
      const id = `${build}`.padStart(16, 'a');
      await rebuild(id);
      const help = await runCopy(bin, ['--help'], env);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('Usage: togo');
      expect(await runCopy(bin, ['decode', SEED_TOKEN, '--claim', 'email'], env)).toMatchObject({
        code: 0,
        stdout: 'joe@m.test\n',
      });
      expect((await filesBelow(cache)).sort()).toEqual([
        `${id}-${runtime}-cli.cjs@`,
        `${id}-${runtime}-cli.cjs@decode`,
        `${id}-${runtime}-commands_decode.cjs`,
        'notes.txt',
      ]);
    }
  });

  it('starts the emulator, whose bundle loads oidc-provider with import(), from a cache it left', async () => {
    const cache = await mkdtemp(join(tmpdir(), 'togo-cache-'));
    for (let run = 0; run < 2; run++) {
      const child = spawn(process.execPath, [BIN, 'mock', '--port', '0', '--json', '--quiet'], {
        env: { PATH: process.env.PATH ?? '', TOGO_COMPILE_CACHE: cache },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      child.stdout.on('data', (d) => (stdout += d));
      const exit = new Promise<number | null>((resolve) => child.on('close', resolve));
      const deadline = Date.now() + 15_000;
      while (!stdout.includes('"issuer"') && child.exitCode === null && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
      child.kill('SIGINT');
      expect(await exit).toBe(0);
      expect(JSON.parse(stdout).issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/identity$/);
    }
    // The program is cached for `mock`; the emulator's own bundle is not.
    expect(await readdir(cache)).toEqual([`${await buildId()}-${runtime}-cli.cjs@mock`]);
  });

  it('recovers from a damaged cache file, and replaces it', async () => {
    const cache = await mkdtemp(join(tmpdir(), 'togo-cache-'));
    expect((await decode({ TOGO_COMPILE_CACHE: cache })).code).toBe(0);
    const files = await readdir(cache);
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) await writeFile(join(cache, f), 'not V8 code');
    expect(await decode({ TOGO_COMPILE_CACHE: cache })).toMatchObject({ code: 0, stdout: 'joe@m.test\n' });
    for (const f of files) expect(await readFile(join(cache, f), 'utf8')).not.toBe('not V8 code');
  });

  it('recovers from an entry that is not a file', async () => {
    const cache = await mkdtemp(join(tmpdir(), 'togo-cache-'));
    await mkdir(join(cache, `${await buildId()}-${runtime}-commands_decode.cjs`));
    expect(await decode({ TOGO_COMPILE_CACHE: cache })).toMatchObject({ code: 0, stdout: 'joe@m.test\n' });
  });

  it('is not used in a directory others may write to, and not at all with TOGO_COMPILE_CACHE=off', async () => {
    const shared = await mkdtemp(join(tmpdir(), 'togo-cache-'));
    await chmod(shared, 0o777);
    expect((await decode({ TOGO_COMPILE_CACHE: shared })).code).toBe(0);
    expect(await readdir(shared)).toEqual([]);

    const home = await mkdtemp(join(tmpdir(), 'togo-cache-'));
    expect((await decode({ HOME: home, TOGO_COMPILE_CACHE: 'off' })).code).toBe(0);
    expect(await readdir(home)).toEqual([]);
  });

  it('is not used below a directory others may write to, at any depth', async () => {
    for (const mode of [0o777, 0o775]) {
      const open = await mkdtemp(join(tmpdir(), 'togo-cache-'));
      await chmod(open, mode);
      const cache = join(open, 'deeper', 'cache');
      // Already there and private: still refused, since whoever can write above can replace it.
      await mkdir(cache, { recursive: true, mode: 0o700 });
      expect(await decode({ TOGO_COMPILE_CACHE: cache })).toMatchObject({ code: 0, stdout: 'joe@m.test\n' });
      expect(await filesBelow(open)).toEqual([]);
      // Not there yet: not created.
      const fresh = join(open, 'fresh', 'cache');
      expect((await decode({ TOGO_COMPILE_CACHE: fresh })).code).toBe(0);
      expect(await readdir(open)).toEqual(['deeper']);
    }
  });

  it('is not used through a link to a directory others may write to', async () => {
    const open = await mkdtemp(join(tmpdir(), 'togo-cache-'));
    await chmod(open, 0o777);
    const target = join(open, 'cache');
    await mkdir(target, { mode: 0o700 });
    const mine = await mkdtemp(join(tmpdir(), 'togo-cache-'));
    await symlink(target, join(mine, 'cache'));
    expect((await decode({ TOGO_COMPILE_CACHE: join(mine, 'cache') })).code).toBe(0);
    expect(await readdir(target)).toEqual([]);
  });
});
