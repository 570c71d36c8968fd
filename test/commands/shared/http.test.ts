/**
 * Every command that waits on the network says what it waits for: the run's one HTTP client
 * announces a request that has not answered after a moment. The emulator holds its discovery
 * document until it closes, so only the --timeout deadline ends each run (exit 3).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockProvider } from '../../../src/index.js';
import type { MockProvider } from '../../../src/mock/types.js';
import { runCli } from '../../helpers/run-cli.js';
import { implicitTokens, type Tokens, writeSession } from '../../helpers/session.js';

let slow: MockProvider;
let tokens: Tokens;
let dir: string;
let session: string;

beforeAll(async () => {
  slow = await startMockProvider({
    port: 0,
    autoLogin: 'joe@m.test',
    faults: ['slow-discovery'],
    slowDiscoveryMs: 600_000,
  });
  tokens = await implicitTokens(slow);
  dir = mkdtempSync(join(tmpdir(), 'togo-waiting-'));
  session = writeSession(dir, slow, tokens);
});
afterAll(async () => {
  await slow.close();
  rmSync(dir, { recursive: true, force: true });
});

const host = () => new URL(slow.issuer).host;
const waitingLine = () => `waiting for ${host()}: the discovery document (up to 2 s)…`;

/** Each command, held by the slow discovery until its 2-second deadline. */
const commands: Array<[string, () => string[]]> = [
  ['login', () => ['login', '--env', 'mock', '--headless', '--no-store']],
  [
    'decode --verify',
    () => ['decode', tokens.id_token, '--verify', '--issuer', slow.issuer, '--client-id', 'togo-cli'],
  ],
  ['userinfo', () => ['userinfo', '--session', session]],
];

async function run(argv: string[], options: { tty?: boolean } = {}) {
  return runCli([...argv, '--timeout', '2'], {
    env: { TOGO_MOCK_ISSUER: slow.issuer },
    now: Date.now(),
    ...(options.tty ? { tty: true, columns: 80 } : {}),
  });
}

// Side by side: each run waits out its own 2-second deadline.
describe.concurrent('a slow network step says what the command waits for', () => {
  it.each(commands)(
    '%s names the host and the discovery document on stderr, one plain line in a pipe',
    async (_, argv) => {
      const r = await run(argv());
      expect(r.code).toBe(3);
      expect(r.stderr).toContain('[NET_TIMEOUT]');
      const said = r.stderr.split('\n').filter((l) => l.startsWith('waiting for '));
      expect(said).toEqual([waitingLine()]);
      // Said before the error, not after.
      expect(r.stderr.indexOf(waitingLine())).toBeLessThan(r.stderr.indexOf('[NET_TIMEOUT]'));
      // decode prints what it decoded before it verifies; no narration joins it.
      expect(r.stdout).not.toContain('waiting');
    },
  );

  it('--quiet says nothing of the wait, and stdout stays empty', async () => {
    const r = await run(['-q', ...commands[0]![1]()]);
    expect(r.code).toBe(3);
    expect(r.stderr).not.toContain('waiting for');
    expect(r.stderr).toContain('[NET_TIMEOUT]');
    expect(r.stdout).toBe('');
  });

  it('--json keeps stdout one JSON document; the wait is said on stderr', async () => {
    const r = await run(['--json', ...commands[1]![1]()]);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { code: 'NET_TIMEOUT' } });
    expect(r.stdout).not.toContain('waiting');
    expect(r.stderr).toContain(waitingLine());
  });

  it('on a terminal, a spinner with the seconds waited, cleared before the error, within 80 columns', async () => {
    const r = await run(commands[2]![1](), { tty: true });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      new RegExp(`waiting for ${host().replace(/\./g, '\\.')}: the discovery document .*\\(\\d s of 2 s`),
    );
    // The spinner's line is taken off before the error is printed.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the terminal's own codes
    expect(r.stderr).toMatch(/\r\u001b\[K(\u001b\[[0-9;]*m)*error/);
    const spun = r.stderr.slice(0, r.stderr.indexOf('[NET_TIMEOUT]'));
    for (const frame of spun.split(/[\r\n]/).filter((f) => f.includes('waiting for'))) {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the terminal's own codes are stripped to measure
      expect(frame.replace(/\u001b\[[0-9;]*[mK]/g, '').length).toBeLessThanOrEqual(80);
    }
  });

  it('a request that answers at once says nothing of waiting', async () => {
    const quick = await startMockProvider({ port: 0 });
    try {
      const r = await runCli(['discover', quick.issuer]);
      expect(r.code).toBe(0);
      expect(r.stderr).not.toContain('waiting for');
    } finally {
      await quick.close();
    }
  });
});
