import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHostileProvider } from '../helpers/hostile-provider.js';
import { type FakeProvider, startProvider } from '../helpers/providers.js';
import { BIN, type CliResult, runCli } from '../helpers/run-cli.js';
import { b64, CLIENT, makeKey, NOW, NOW_S, signToken, type TestKey } from '../helpers/tokens.js';

/**
 * Text from outside togo (tokens, provider documents and responses, URLs, echoed input) carrying
 * terminal escape sequences, bidi overrides and invisible characters must never reach the terminal
 * raw: every command is run with such text and the bytes it writes are searched.
 */

/**
 * Everything an attacker would use: OSC 52 (clipboard), a screen clear, an OSC 8 link, a conceal,
 * a CSI as one C1 character, CR and backspace (overwrite), DEL, bidi overrides and isolates, marks,
 * zero-width characters, the line and paragraph separators, a BOM, and a newline.
 */
const EVIL =
  'A\u001b]52;c;cHduZWQ=\u0007\u001b[2J\u001b]8;;https://evil.example/\u0007link\u001b]8;;\u0007' +
  '\u001b[8m\u009b31m\r\b\u007f\u202eRLO\u202cx\u2066iso\u2069\u200e\u200f\u061c\u200bzw\u200d\u2060' +
  '\u2028\u2029\ufeffZ\nsecond line';

/**
 * Characters that must not appear in togo's output when colors are off; written out here rather
 * than taken from togo, so the test does not trust the code it tests. A newline is togo's layout.
 */
const FORBIDDEN =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is searched for
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u206f\ufeff]/u;

function expectClean(r: CliResult, where = ''): void {
  for (const [name, text] of [
    ['stdout', r.stdout],
    ['stderr', r.stderr],
  ] as const) {
    const found = FORBIDDEN.exec(text);
    expect(
      found,
      `${where} ${name} holds U+${found?.[0].codePointAt(0)?.toString(16).padStart(4, '0')} at ${found?.index}: ${JSON.stringify(text.slice(Math.max(0, (found?.index ?? 0) - 40), (found?.index ?? 0) + 40))}`,
    ).toBeNull();
  }
}

/** The escaped form shows what was there: the person sees that the value held an ESC and an RLO. */
function expectShownEscaped(text: string): void {
  expect(text).toContain('\\x1b]52;c;');
  expect(text).toContain('\\u202eRLO');
  expect(text).toContain('\\x9b31m');
  expect(text).toContain('\\u200bzw');
  expect(text).toContain('Z\\nsecond line');
}

const unsigned = (header: Record<string, unknown>, payload: Record<string, unknown>) =>
  `${b64(header)}.${b64(payload)}.${b64('not a signature')}`;

/** A Togo ID `user` claim whose organization and role names carry the payload. */
const togoUser = JSON.stringify({
  id: 'profile-1',
  organizations: [
    {
      isAdministrator: true,
      organization: { id: 'org-1', name: `Org ${EVIL}` },
      roles: [{ role: { id: 'role-1', name: `Role ${EVIL}` } }],
    },
  ],
});

let key: TestKey;
let dir: string;
beforeAll(async () => {
  key = await makeKey('RS256', 'k1');
  dir = mkdtempSync(join(tmpdir(), 'togo-terminal-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tokens with terminal escapes in their claims and header', () => {
  const token = unsigned(
    { alg: 'RS256', kid: `kid ${EVIL}`, typ: `typ ${EVIL}`, [`x-${EVIL}`]: EVIL },
    {
      iss: 'https://id.example/identity',
      sub: `sub ${EVIL}`,
      name: `name ${EVIL}`,
      user: togoUser,
      exp: NOW_S + 60,
    },
  );

  it('decode shows claim values, header fields, organization and role names escaped', async () => {
    const r = await runCli(['decode', token], { now: NOW });
    expect(r.code).toBe(0);
    expectClean(r, 'decode');
    expectShownEscaped(r.stdout);
    expect(r.stdout).toMatch(/kid +kid A\\x1b/);
    expect(r.stdout).toMatch(/typ +typ A\\x1b/);
    expect(r.stdout).toContain('Org A\\x1b');
    expect(r.stdout).toContain('Role A\\x1b');
  });

  it('decode --verify: the verdict is the last line a person reads, and the claims do not end lines', async () => {
    const jwks = join(dir, 'jwks.json');
    writeFileSync(jwks, JSON.stringify({ keys: [key.publicJwk] }));
    const r = await runCli(['decode', token, '--verify', '--jwks', jwks], { now: NOW });
    expect(r.code).toBe(1);
    expectClean(r, 'decode --verify');
    const rows = r.stdout.split('\n').filter((l) => l.trim() !== '');
    const verdicts = rows.filter((l) => /^\s*Result:/.test(l));
    expect(verdicts).toEqual([expect.stringMatching(/^Result: INVALID/)]);
    // After the verdict, only its hints.
    expect(rows.slice(rows.indexOf(verdicts[0] ?? '') + 1).every((l) => l.startsWith('hint:'))).toBe(true);
  });

  it('decode --json stays valid JSON with C1, bidi and invisible characters as \\u escapes', async () => {
    const r = await runCli(['decode', token, '--json'], { now: NOW });
    expectClean(r, 'decode --json');
    expect(r.stdout).toContain('\\u009b31m');
    expect(r.stdout).toContain('\\u202eRLO');
    expect(r.stdout).toContain('\\u2028\\u2029');
    // The same values, once parsed: the escapes are JSON's own.
    expect(JSON.parse(r.stdout).payload.name).toBe(`name ${EVIL}`);
  });

  it('decode --claim: the bytes as they are to a pipe, escaped on a terminal', async () => {
    const piped = await runCli(['decode', token, '--claim', 'name'], { now: NOW });
    expect(piped.stdout).toBe(`name ${EVIL}\n`);
    const shown = await runCli(['decode', token, '--claim', 'name'], {
      now: NOW,
      tty: true,
      env: { NO_COLOR: '1' },
    });
    expectClean(shown, 'decode --claim on a terminal');
    expect(shown.stdout).toContain('\\x1b]52;c;');
  });

  it('a malformed token quoted in an error stays one escaped line', async () => {
    const r = await runCli(['decode', `abc${EVIL}`]);
    expect(r.code).toBe(2);
    expectClean(r, 'decode error');
    // The error and its hint, after the note on what was cleaned from the paste.
    const lines = r.stderr.trim().split('\n');
    expect(lines.filter((l) => !l.startsWith('Cleaned the pasted token'))).toHaveLength(2);
  });

  it('an unknown flag echoed in a usage error is escaped', async () => {
    const r = await runCli(['decode', `--x${EVIL}`]);
    expect(r.code).toBe(2);
    expectClean(r, 'usage error');
  });
});

describe('togo login against a provider whose ID token carries terminal escapes', () => {
  it('shows the claims escaped and ends with the verdict', async () => {
    const provider = await startHostileProvider({
      jwks: () => ({ keys: [key.publicJwk] }),
      authorize: async (request) => ({
        params: {
          state: request.state,
          id_token: await signToken(
            key,
            { iss: provider.issuer, aud: CLIENT, nonce: request.nonce, name: `name ${EVIL}`, user: togoUser },
            { typ: 'JWT' },
          ),
        },
      }),
    });
    try {
      const r = await runCli(
        [
          'login',
          '--issuer',
          provider.issuer,
          '--client-id',
          CLIENT,
          '--redirect-uri',
          'http://127.0.0.1/callback',
          '--response-type',
          'id_token',
          '--flavor',
          'standard',
          '--headless',
        ],
        { now: NOW },
      );
      expect(r.code, r.stderr).toBe(0);
      expectClean(r, 'login');
      expectShownEscaped(r.stdout);
      expect(r.stdout).toContain('Org A\\x1b');
      expect(r.stdout.trim().split('\n').at(-1)).toMatch(/^Result: VALID/);
    } finally {
      await provider.close();
    }
  });
});

describe('providers whose documents and responses carry terminal escapes', () => {
  let p: FakeProvider;
  beforeAll(async () => {
    p = await startProvider({ keys: [{ ...key.publicJwk, kid: `kid ${EVIL}` }] });
    p.doc = {
      ...p.doc,
      response_types_supported: ['code', `code ${EVIL}`],
      scopes_supported: ['openid', `scope ${EVIL}`],
      service_documentation: EVIL,
    };
    const path = (field: string) => new URL(String(p.doc[field])).pathname;
    p.routes.set(path('userinfo_endpoint'), (res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ sub: `sub ${EVIL}`, name: `name ${EVIL}`, user: togoUser }));
    });
    p.routes.set(path('introspection_endpoint'), (res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ active: true, username: `user ${EVIL}`, scope: `openid ${EVIL}`, [EVIL]: EVIL }),
      );
    });
    p.routes.set(path('device_authorization_endpoint'), (res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          device_code: 'dc',
          user_code: `CODE ${EVIL}`,
          verification_uri: `https://device.example/${EVIL}`,
          verification_uri_complete: `https://device.example/complete?${EVIL}`,
          expires_in: 600,
          interval: 1,
        }),
      );
    });
    p.routes.set(path('token_endpoint'), (res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'access_denied', error_description: `denied ${EVIL}` }));
    });
    p.routes.set('/api/hello', (res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'x-evil': 'a\u009b31mb' });
      res.end(`body ${EVIL}`);
    });
  });
  afterAll(() => p.close());

  it('discover shows the document fields and JWKS kids escaped', async () => {
    const r = await runCli(['discover', p.issuer]);
    expectClean(r, 'discover');
    expect(r.stdout).toContain('code A\\x1b]52;c;');
    expect(r.stdout).toContain('scope A\\x1b]52;c;');
    expect(r.stdout).toContain('kid A\\x1b]52;c;');
  });

  it('discover --json keeps the document, with invisible characters as \\u escapes', async () => {
    const r = await runCli(['discover', p.issuer, '--json']);
    expectClean(r, 'discover --json');
    expect(JSON.parse(r.stdout).metadata.service_documentation).toBe(EVIL);
  });

  it('discover --raw: the document as served to a pipe, escaped on a terminal', async () => {
    const piped = await runCli(['discover', p.issuer, '--raw']);
    expect(JSON.parse(piped.stdout).service_documentation).toBe(EVIL);
    const shown = await runCli(['discover', p.issuer, '--raw'], { tty: true, env: { NO_COLOR: '1' } });
    expectClean(shown, 'discover --raw on a terminal');
  });

  it('userinfo shows the response escaped', async () => {
    const r = await runCli(['userinfo', '--issuer', p.issuer, '--token', 'opaque-token']);
    expect(r.code, r.stderr).toBe(0);
    expectClean(r, 'userinfo');
    expectShownEscaped(r.stdout);
    expect(r.stdout).toContain('Role A\\x1b');
  });

  it('introspect shows the response escaped, field names too', async () => {
    const r = await runCli([
      'introspect',
      '--issuer',
      p.issuer,
      '--client-id',
      CLIENT,
      '--token',
      'opaque-token',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expectClean(r, 'introspect');
    expect(r.stdout).toContain('user A\\x1b]52;c;');
  });

  it('login --device shows the user code and verification URI escaped on stderr', async () => {
    const r = await runCli(
      ['login', '--device', '--issuer', p.issuer, '--client-id', CLIENT, '--timeout', '5'],
      { now: NOW },
    );
    expect(r.code).not.toBe(0);
    expectClean(r, 'login --device');
    expect(r.stderr).toContain('CODE A\\x1b]52;c;');
    expect(r.stderr).toContain('https://device.example/A\\x1b');
  });

  it('api: the body as it is to a pipe, escaped on a terminal; headers always escaped', async () => {
    const url = `${p.origin}/api/hello`;
    const piped = await runCli(['api', url, '--token', 'opaque-token']);
    expect(piped.stdout).toBe(`body ${EVIL}\n`);
    expect(FORBIDDEN.exec(piped.stderr)).toBeNull();
    const shown = await runCli(['api', url, '--token', 'opaque-token', '-i'], {
      tty: true,
      env: { NO_COLOR: '1' },
    });
    expectClean(shown, 'api on a terminal');
    expect(shown.stdout).toContain('x-evil: a\\x9b31mb');
    expect(shown.stdout).toContain('body A\\x1b]52;c;');
  });
});

describe('URLs whose parameters decode to terminal escapes', () => {
  it('inspect-url shows decoded parameters escaped', async () => {
    const evil = encodeURIComponent(EVIL);
    const returnUrl = encodeURIComponent(`/connect/authorize?client_id=${evil}&state=${evil}`);
    const r = await runCli([
      'inspect-url',
      `https://id.example/login?client_id=%1b%5b2J%1b%5d52%3bc%3bx%07${evil}&ReturnUrl=${returnUrl}`,
    ]);
    expectClean(r, 'inspect-url');
    expect(r.stdout).toContain('\\x1b[2J\\x1b]52;c;x\\x07');
  });
});

/** A color code, as chalk writes them. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: ESC starts a color code
const SGR = /\u001b\[[0-9;]*m/;

describe('under a pseudo-terminal with colors on', () => {
  /**
   * The spoof: a token with a bad signature whose `name` claim draws a fake verification section
   * and a "Result: VALID", then conceals the rest of the screen (ESC[8m). Run in a real
   * pseudo-terminal through util-linux's `script`, as a person would see it.
   */
  it('a forged token cannot make a person read VALID: INVALID is the last verdict on screen', async () => {
    const spoof = `Joe\n\nVerification\n  PASS  D5  signature  verified with RS256\n\nResult: VALID\n\u001b[8m`;
    const forged = unsigned(
      { alg: 'RS256', kid: 'k1', typ: 'JWT' },
      { iss: 'https://id.example/identity', sub: 'u', aud: CLIENT, exp: NOW_S + 3600, name: spoof },
    );
    const jwks = join(dir, 'pty-jwks.json');
    writeFileSync(jwks, JSON.stringify({ keys: [key.publicJwk] }));
    const command = [process.execPath, BIN, 'decode', forged, '--verify', '--jwks', jwks]
      .map((a) => `'${a.replace(/'/g, `'\\''`)}'`)
      .join(' ');
    // An 80-column terminal: the claims table wraps there, and wrapping must not help the spoof.
    const run = spawnSync('script', ['-qec', `stty cols 80 rows 50; exec ${command}`, '/dev/null'], {
      env: { PATH: process.env.PATH ?? '', TERM: 'xterm-256color', HOME: dir, XDG_CONFIG_HOME: dir },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.error).toBeUndefined();
    expect(run.status, run.stderr).toBe(1);
    const screen = run.stdout;
    // Colors are on: togo's own styling is there.
    expect(screen).toMatch(SGR);
    // Every escape sequence on screen is one of togo's colors; none conceals, clears or links.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: escape sequences are what is searched for
    const sequences = screen.match(/\u001b[^a-zA-Z]*[a-zA-Z]?/g) ?? [];
    for (const seq of sequences) {
      expect(seq).toMatch(new RegExp(`^${SGR.source}$`));
      expect(seq.slice(2, -1).split(';')).not.toContain('8');
    }
    // The lines a person reads, without the colors: one verdict, INVALID, last.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: color codes are removed
    const plain = screen.replace(/\u001b\[[0-9;]*m/g, '').replace(/\r/g, '');
    const read = plain.split('\n').filter((l) => l.trim() !== '');
    expect(read.every((l) => [...l].length <= 80)).toBe(true);
    expect(read.filter((l) => /^Result:/.test(l))).toEqual([expect.stringMatching(/^Result: INVALID/)]);
    const verdict = read.findIndex((l) => /^Result:/.test(l));
    // After the verdict, only its hints (wrapped under their text).
    expect(read.slice(verdict + 1).every((l) => /^(hint: | {6})\S/.test(l))).toBe(true);
    // The spoof is inside the name claim's cell, indented, with its line breaks shown as \n.
    expect(plain).toContain('Joe\\n\\nVerification\\n');
    // Togo's own section heading is the only one at the start of a line.
    expect(read.filter((l) => /^Verification/.test(l))).toEqual([
      expect.stringMatching(/^Verification( \(ID token, OpenID Connect Core §3\.1\.3\.7\))?$/),
    ]);
  });
});
