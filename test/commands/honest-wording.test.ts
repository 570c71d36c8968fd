/**
 * What togo says matches what happens: usage errors name the command and the argument at fault,
 * --json is always exactly one JSON document, the login-url table has no escaped line breaks of its
 * own, and `login --device --wait N` waits N seconds before it says it waited N seconds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../src/http/client.js';
import { startMockProvider } from '../../src/index.js';
import type { MockProvider } from '../../src/mock/types.js';
import { pollForTokens, startDeviceAuthorization } from '../../src/provider/device.js';
import { runCli } from '../helpers/run-cli.js';

describe('usage errors say what went wrong where', () => {
  it('the generic hint names the command that ran', async () => {
    const r = await runCli(['login', '--wait', 'soon']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Run `togo login --help`');
    expect(r.stderr).not.toContain('<command>');
  });

  it.each([['discover'], ['check']])('%s blames its issuer argument, not --issuer', async (command) => {
    const r = await runCli([command, 'not-a-url']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[USAGE]');
    expect(r.stderr).toContain('the issuer argument "not-a-url"');
    expect(r.stderr).not.toContain('--issuer:');
  });

  it('demo --user with an unknown user blames --user, not --auto-login', async () => {
    const r = await runCli(['demo', '--user', 'nobody@m.test']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--user nobody@m.test: no such user');
    expect(r.stderr).not.toContain('--auto-login');
  });
});

describe('--json is one JSON document', () => {
  it('togo --json alone is a usage error in JSON (exit 2), not empty output and exit 0', async () => {
    const r = await runCli(['--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { code: 'USAGE' } });
  });

  it.each([
    [['login', '--env', 'mock', '--print', 'id_token', '--json']],
    [['callback', 'http://127.0.0.1/cb#state=s', '--pending', 'p.json', '--print', 'access_token', '--json']],
  ])('--print with --json is a usage error before anything runs: %s', async (argv) => {
    const r = await runCli(argv);
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ ok: false, error: { code: 'USAGE' } });
    expect(doc.error.message).toContain('pick one');
  });
});

describe('login-url', () => {
  it('prints the authorize URL on its own line, with no escaped line breaks in the table', async () => {
    const r = await runCli(['login-url', '--env', 'mock', '--offline']);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('\\n');
    expect(r.stderr).toMatch(/\n\nauthorize URL: http:\/\/127\.0\.0\.1:4444\//);
  });
});

describe('login --device --wait', () => {
  let mock: MockProvider;
  beforeAll(async () => {
    mock = await startMockProvider({ port: 0 });
  });
  afterAll(() => mock.close());

  it('waits the whole --wait before saying nobody approved within it', async () => {
    const http = createHttpClient({ timeoutMs: 10_000 });
    try {
      const metadata = (
        await http.getJson<Record<string, unknown>>(`${mock.issuer}/.well-known/openid-configuration`)
      ).json;
      const provider = { issuer: mock.issuer, metadata, http };
      const device = await startDeviceAuthorization(provider, 'togo-cli', 'openid');
      // A clock that moves only when togo sleeps: what it waited is exactly what it slept.
      let clock = 1_000_000;
      const slept: number[] = [];
      const error = await pollForTokens(
        provider,
        { clientId: 'togo-cli' },
        { ...device, interval: 5 },
        {
          signal: new AbortController().signal,
          deadlineMs: 8000,
          now: () => clock,
          sleep: async (ms) => {
            slept.push(ms);
            clock += ms;
          },
        },
      ).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ code: 'LOGIN_TIMEOUT' });
      expect((error as Error).message).toContain('within 8 s');
      expect(slept.reduce((a, b) => a + b, 0)).toBe(8000);
      expect(slept[0]).toBe(5000);
    } finally {
      await http.close();
    }
  });
});
