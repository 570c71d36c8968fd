import { chmod, mkdir, mkdtemp, readdir, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/run-cli.js';
import { SEED_TOKEN } from '../helpers/tokens.js';

const decode = (env: Record<string, string>) => runBin(['decode', SEED_TOKEN, '--claim', 'email'], { env });

describe("togo's compiled-code cache", () => {
  it('keeps the compiled bundles in a directory only the user can read, and starts from it next time', async () => {
    const home = await mkdtemp(join(tmpdir(), 'togo-cache-'));
    expect(await decode({ HOME: home })).toMatchObject({ code: 0, stdout: 'joe@m.test\n' });
    const dir = join(home, '.cache', 'togo', 'compile-cache', process.version);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    const files = await readdir(dir);
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect((await stat(join(dir, f))).mode & 0o777).toBe(0o600);
    expect(await decode({ HOME: home })).toMatchObject({ code: 0, stdout: 'joe@m.test\n' });
  });

  it('does not reuse code cached for another build of a bundle', async () => {
    const cache = await mkdtemp(join(tmpdir(), 'togo-cache-'));
    const dir = join(cache, process.version);
    expect((await decode({ TOGO_COMPILE_CACHE: cache })).code).toBe(0);
    const before = (await readdir(dir)).filter((f) => f.startsWith('commands_decode.cjs-'));
    expect(before).toHaveLength(1);
    // A new build writes new bundles: same content here, a later modification time.
    const bundle = fileURLToPath(new URL('../../dist/commands/decode.cjs', import.meta.url));
    const later = new Date(Date.now() + 5_000);
    await utimes(bundle, later, later);
    expect(await decode({ TOGO_COMPILE_CACHE: cache })).toMatchObject({ code: 0, stdout: 'joe@m.test\n' });
    const after = (await readdir(dir)).filter((f) => f.startsWith('commands_decode.cjs-'));
    expect(after).toHaveLength(1);
    expect(after).not.toEqual(before);
  });

  it('recovers from a damaged cache file', async () => {
    const cache = await mkdtemp(join(tmpdir(), 'togo-cache-'));
    expect((await decode({ TOGO_COMPILE_CACHE: cache })).code).toBe(0);
    const dir = join(cache, process.version);
    for (const f of await readdir(dir)) await writeFile(join(dir, f), 'not V8 code');
    expect(await decode({ TOGO_COMPILE_CACHE: cache })).toMatchObject({ code: 0, stdout: 'joe@m.test\n' });
  });

  it('is not used in a directory others may write to, and not at all with TOGO_COMPILE_CACHE=off', async () => {
    const cache = await mkdtemp(join(tmpdir(), 'togo-cache-'));
    const shared = join(cache, process.version);
    await mkdir(shared);
    await chmod(shared, 0o777);
    expect((await decode({ TOGO_COMPILE_CACHE: cache })).code).toBe(0);
    expect(await readdir(shared)).toEqual([]);

    const home = await mkdtemp(join(tmpdir(), 'togo-cache-'));
    expect((await decode({ HOME: home, TOGO_COMPILE_CACHE: 'off' })).code).toBe(0);
    expect(await readdir(home)).toEqual([]);
  });
});
