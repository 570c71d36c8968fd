/**
 * `togo conformance` refuses what cannot work before the emulator or the browser starts: each
 * mistake below is a one-line usage error. The runs point TOGO_CHROMIUM at a missing file, so a
 * mistake that slipped through would end in BROWSER_UNAVAILABLE, not in the error expected.
 */
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/run-cli.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'togo-conformance-flags-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const START = ['--start-url', 'http://127.0.0.1:1/login', '--success-text', 'Signed in as', '--port', '0'];
const conformance = (args: string[]) =>
  runCli(['conformance', ...args], {
    cwd: dir,
    env: { NO_COLOR: '1', TOGO_CHROMIUM: join(dir, 'no-chromium') },
  });

describe('togo conformance checks its flags before anything starts', () => {
  it.each([
    ['no --start-url', ['--success-text', 'x'], /^error \[USAGE\] conformance needs --start-url/m],
    [
      'a start URL that is not http(s)',
      ['--start-url', 'ftp://x', '--success-text', 'x'],
      /takes an http\(s\) URL/,
    ],
    ['no success rule', ['--start-url', 'http://127.0.0.1:1/'], /--success-text or --success-url/],
    [
      'an empty --success-text',
      ['--start-url', 'http://127.0.0.1:1/', '--success-text', ' '],
      /--success-text is empty/,
    ],
    [
      'a --success-url that is not a regular expression',
      ['--start-url', 'http://127.0.0.1:1/', '--success-url', '('],
      /--success-url is not a regular expression/,
    ],
    [
      'an unknown --user',
      [...START, '--user', 'nobody@example.invalid'],
      /--user nobody@example\.invalid: no such user/,
    ],
    ['--faults naming no fault', [...START, '--faults', ' , '], /--faults names no fault/],
    ['an unknown fault', [...START, '--faults', 'nope'], /MOCK_FAULT_UNKNOWN/],
  ])('%s is a usage error', async (_what, args, message) => {
    const run = await conformance(args);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/BROWSER_UNAVAILABLE|at .*\.ts:\d+/);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
  });

  it('a --clients file that cannot be read, or is not JSON, is refused', async () => {
    const missing = await conformance([...START, '--clients', 'absent.json']);
    expect(missing.stderr).toMatch(/INPUT_UNREADABLE.*absent\.json/);
    writeFileSync(join(dir, 'clients.json'), '{not json');
    const garbled = await conformance([...START, '--clients', 'clients.json']);
    expect(garbled.stderr).toMatch(/MOCK_CLIENTS_INVALID.*clients\.json is not JSON/);
  });

  it('--junit at a symbolic link is refused before the run, and the file it points at is kept', async () => {
    const target = join(dir, 'victim.txt');
    writeFileSync(target, 'keep me');
    symlinkSync(target, join(dir, 'report.xml'));
    const run = await conformance([...START, '--junit', 'report.xml']);
    expect(run.stderr).toMatch(/OUTPUT_REFUSED.*symbolic link/);
    expect(run.code).toBe(2);
    expect(readFileSync(target, 'utf8')).toBe('keep me');
  });
});
