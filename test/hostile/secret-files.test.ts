/**
 * Files that hold secrets (a pending login with its PKCE verifier, a saved session with tokens) are
 * created anew with mode 0600 and renamed into place: togo never writes through a symbolic link,
 * never into another user's file, and says clearly when it refuses.
 */
import { chown, lstat, mkdtemp, readFile, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'togo-secret-files-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** `togo login-url --save`: writes a pending login (state, nonce, PKCE verifier) without any network. */
const save = (file: string) =>
  runCli([
    'login-url',
    '--issuer',
    'https://id.example.test',
    '--authorization-endpoint',
    'https://id.example.test/authorize',
    '--flavor',
    'standard',
    '--client-id',
    'cli',
    '--redirect-uri',
    'http://127.0.0.1/callback',
    '--save',
    file,
  ]);

describe('secret files', () => {
  it('a new file is created with mode 0600', async () => {
    const file = join(dir, 'new.json');
    const r = await save(file);
    expect(r.code, r.stderr).toBe(0);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8')).kind).toBe('togo-pending-login');
  });

  it('an existing file of the user is replaced by a new one (new inode, mode 0600), never written into', async () => {
    const file = join(dir, 'mine.json');
    await writeFile(file, 'old contents', { mode: 0o644 });
    const before = await stat(file);
    const r = await save(file);
    expect(r.code, r.stderr).toBe(0);
    const after = await stat(file);
    expect(after.ino).not.toBe(before.ino);
    expect(after.mode & 0o777).toBe(0o600);
  });

  it('a symbolic link is refused with OUTPUT_REFUSED, and its target is left untouched', async () => {
    const target = join(dir, 'victim.txt');
    await writeFile(target, 'precious', { mode: 0o644 });
    const link = join(dir, 'link.json');
    await symlink(target, link);
    const r = await save(link);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[OUTPUT_REFUSED]');
    expect(r.stderr).toContain('symbolic link');
    expect(r.stderr).toMatch(/hint: /);
    expect(await readFile(target, 'utf8')).toBe('precious');
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readlink(link)).toBe(target);
  });

  it('a dangling symbolic link is refused too (nothing is created at its target)', async () => {
    const link = join(dir, 'dangling.json');
    const target = join(dir, 'would-be-created.json');
    await symlink(target, link);
    const r = await save(link);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[OUTPUT_REFUSED]');
    await expect(stat(target)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it("another user's file is refused and keeps its contents, owner and mode", async () => {
    // The test runs as root on the CI machine (the project's scripts install with apt-get as root),
    // so it can hand a file to another user; as anyone else chown fails and the test fails loudly.
    const file = join(dir, 'theirs.json');
    await writeFile(file, 'their data', { mode: 0o644 });
    await chown(file, 65534, 65534);
    const r = await save(file);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[OUTPUT_REFUSED]');
    expect(r.stderr).toContain('another user');
    const after = await stat(file);
    expect(after.uid).toBe(65534);
    expect(after.mode & 0o777).toBe(0o644);
    expect(await readFile(file, 'utf8')).toBe('their data');
  });

  it('a directory in the way is refused, and no temporary file is left behind', async () => {
    const r = await save(dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[OUTPUT_REFUSED]');
    const { readdir } = await import('node:fs/promises');
    expect((await readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});
