import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { runBin, runCli } from '../../helpers/run-cli.js';
import {
  CLIENT,
  ISSUER,
  makeKey,
  NOW,
  SEED_REDIRECT_URL,
  SEED_TOKEN,
  signToken,
  type TestKey,
} from '../../helpers/tokens.js';

/** An ANSI escape sequence: color is on. */
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[`);

describe('togo decode on the seed token', () => {
  it('shows header, claims with readable times, and the user claim as organizations', async () => {
    const { code, stdout, stderr } = await runCli(['decode', SEED_TOKEN], { now: NOW });
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^ {2}kid +3D89601B1D88F0C27F235500DC79DDDB699ED454$/m);
    expect(stdout).toMatch(/^ {2}x5t +PYlgGx2I8MJ_I1UA3Hnd22me1FQ$/m);
    expect(stdout).toMatch(
      /^ {2}exp +protocol +1535721617 {2}2018-08-31T13:20:17Z {2}\(expired 8 years ago\) {2}EXPIRED$/m,
    );
    expect(stdout).toMatch(/^ {2}email +email +joe@m\.test$/m);
    expect(stdout).toMatch(/^ {2}Joe Marsh +09b3b974-dded-45a3-aa96-ad505c1b9cd9 +yes +-$/m);
    expect(stdout).toMatch(/^ {2}Airstream +22c981b2-3a31-4272-b7f4-f57d3c14ed88 +no +Campervan Owner$/m);
    expect(stdout).toContain('signature not verified');
  });

  it('prints plain text to a pipe, with no color codes', async () => {
    const { stdout } = await runCli(['decode', SEED_TOKEN]);
    expect(stdout).not.toMatch(ANSI);
  });

  it('colors a terminal unless NO_COLOR or --no-color says otherwise', async () => {
    expect((await runCli(['decode', SEED_TOKEN], { tty: true })).stdout).toMatch(ANSI);
    expect((await runCli(['decode', SEED_TOKEN], { tty: true, env: { NO_COLOR: '1' } })).stdout).not.toMatch(
      ANSI,
    );
    expect((await runCli(['decode', SEED_TOKEN, '--no-color'], { tty: true })).stdout).not.toMatch(ANSI);
    expect((await runCli(['decode', SEED_TOKEN], { env: { FORCE_COLOR: '1' } })).stdout).toMatch(ANSI);
  });

  it('gives one JSON document with header, payload and the expanded user claim', async () => {
    const { code, stdout } = await runCli(['decode', SEED_TOKEN, '--json']);
    expect(code).toBe(0);
    const doc = JSON.parse(stdout);
    expect(doc.ok).toBe(true);
    expect(doc.header.alg).toBe('RS256');
    expect(doc.payload.sub).toBe('7368ed68-b84c-422c-9aa6-e0575b1308a3');
    expect(doc.expanded.user.organizations.map((o: { name: string }) => o.name)).toEqual([
      'Joe Marsh',
      'Airstream',
    ]);
    expect(doc.verification).toBeUndefined();
  });

  it('prints one claim for scripts with --claim', async () => {
    const r = await runCli(['decode', SEED_TOKEN, '--claim', 'user.organizations.1.roles.0.role.name']);
    expect(r).toMatchObject({ code: 0, stdout: 'Campervan Owner\n' });
    const missing = await runCli(['decode', SEED_TOKEN, '--claim', 'user.organizations.9']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('[CLAIM_NOT_FOUND]');
  });

  it('reads the token from a redirect URL and from standard input', async () => {
    const fromUrl = await runCli(['decode', SEED_REDIRECT_URL, '--claim', 'email']);
    expect(fromUrl.stdout).toBe('joe@m.test\n');
    expect(fromUrl.stderr).toContain('Using the id_token from the URL fragment.');
    expect((await runCli(['decode', '-', '--claim', 'email'], { stdin: `${SEED_TOKEN}\n` })).stdout).toBe(
      'joe@m.test\n',
    );
    expect(
      (await runCli(['decode', '--claim', 'email'], { stdin: `Authorization: Bearer ${SEED_TOKEN}` })).stdout,
    ).toBe('joe@m.test\n');
  });

  it('names the flag that picks another token when the redirect URL lacks the ID token', async () => {
    const r = await runCli(['decode', 'https://app.example/cb#state=abc&access_token=opaque-value']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\[TOKEN_MISSING\] no id_token in the/);
    expect(r.stderr).toMatch(/hint: Pick another token with --use access_token\./);
  });

  it('verifying it with no way to find keys is a usage error naming the ways', async () => {
    const { code, stdout, stderr } = await runCli(['decode', SEED_TOKEN, '--verify'], { now: NOW });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('hint: Pass --issuer <url>');
  });

  it('in JSON, verifying with no way to find keys is one error document', async () => {
    const { code, stdout } = await runCli(['decode', SEED_TOKEN, '--verify', '--json'], { now: NOW });
    expect(code).toBe(2);
    const doc = JSON.parse(stdout);
    expect(doc.ok).toBe(false);
    expect(doc.error.code).toBe('USAGE');
  });
});

describe('togo decode --verify with keys', () => {
  let key: TestKey;
  let dir: string;
  let jwksFile: string;
  beforeAll(async () => {
    key = await makeKey('ES256', 'k1');
    dir = await mkdtemp(join(tmpdir(), 'togo-decode-'));
    jwksFile = join(dir, 'jwks.json');
    await writeFile(jwksFile, JSON.stringify({ keys: [key.publicJwk] }));
  });

  it('names, under each check it could not run, the flag that would run it', async () => {
    const token = await signToken(key);
    const r = await runCli(['decode', token, '--verify', '--jwks', jwksFile], { now: NOW });
    expect(r.stdout).toMatch(
      /WARN\s+D3\s+aud\s+aud is .*no expected client id was given[^\n]*\n\s+hint: Pass --client-id <client_id> \(your client\) to check it\./,
    );
    // Skipped for want of a claim, not of a flag: no hint.
    expect(r.stdout).toMatch(/SKIP\s+D4\s+azp\s+no azp claim\n\s+(PASS|FAIL|WARN|SKIP)/);
    expect(r.stdout).toMatch(/SKIP\s+D9\s+nonce[^\n]*\n\s+hint: Pass --nonce <nonce>/);
  });

  it('passes a good token with a JWKS file, issuer, audience and nonce', async () => {
    const token = await signToken(key);
    const args = [
      'decode',
      token,
      '--verify',
      '--jwks',
      jwksFile,
      '--issuer',
      ISSUER,
      '--audience',
      CLIENT,
      '--nonce',
      'n-0S6_WzA2Mj',
    ];
    const { code, stdout } = await runCli(args, { now: NOW });
    expect(stdout).toContain('Result: VALID');
    expect(code).toBe(0);
  });

  it('fails a token for another audience (alias --client-id) with exit 1', async () => {
    const token = await signToken(key);
    const { code, stdout } = await runCli(
      ['decode', token, '--verify', '--jwks', jwksFile, '--client-id', 'someone-else'],
      {
        now: NOW,
      },
    );
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /FAIL +D3 +aud +aud is togo-test-client, expected someone-else \[TOKEN_AUDIENCE_MISMATCH\]/,
    );
  });

  it('takes the expected issuer from the token only with --issuer-from-token, and says so', async () => {
    const token = await signToken(key);
    const { stdout, code } = await runCli(
      ['decode', token, '--verify', '--jwks', jwksFile, '--issuer-from-token'],
      { now: NOW },
    );
    expect(stdout).toMatch(/WARN +D2 +iss +issuer taken from the token itself/);
    expect(stdout).toContain('Result: ISSUER NOT PINNED');
    expect(code).toBe(1);
  });

  it.each([
    ['a JWKS file that does not exist', ['--jwks', '/nonexistent/jwks.json'], 'INPUT_UNREADABLE'],
    ['a JWKS file that is not JSON', ['--jwks', 'BAD_JSON'], 'JWKS_INVALID'],
    ['a JWKS file without keys', ['--jwks', 'NO_KEYS'], 'JWKS_INVALID'],
    ['--secret without TOGO_CLIENT_SECRET', ['--secret'], 'USAGE'],
  ])('exits 2 on %s', async (_name, extra, errorCode) => {
    const files: Record<string, string> = {
      BAD_JSON: join(dir, 'bad.json'),
      NO_KEYS: join(dir, 'nokeys.json'),
    };
    await writeFile(files.BAD_JSON!, '{ nope');
    await writeFile(files.NO_KEYS!, '{"items":[]}');
    const args = extra.map((a) => files[a] ?? a);
    const { code, stderr } = await runCli(['decode', await signToken(key), '--verify', ...args]);
    expect(code).toBe(2);
    expect(stderr).toContain(`[${errorCode}]`);
    expect(stderr).toMatch(/^hint: /m);
  });
});

describe('togo decode on bad input', () => {
  it.each([
    ['no token at all', [], 'TOKEN_MISSING'],
    ['an empty token', [''], 'TOKEN_MISSING'],
    ['two segments', ['abc.def'], 'TOKEN_MALFORMED'],
    ['garbage with spaces', ['this is not a token'], 'TOKEN_MALFORMED'],
    ['a JWE', ['eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d'], 'TOKEN_IS_JWE'],
    ['a URL without a token', ['https://app.example/cb#state=x'], 'TOKEN_MISSING'],
    ['an unknown --field', [SEED_TOKEN, '--field', 'nope'], 'USAGE'],
    ['an unknown flag', [SEED_TOKEN, '--frobnicate'], 'USAGE'],
    ['a negative clock skew', [SEED_TOKEN, '--clock-skew', '-5'], 'USAGE'],
  ])('exits 2 with a code and a hint on %s, and no stack trace', async (_name, args, errorCode) => {
    const r = await runCli(['decode', ...args], { tty: true });
    const { code, stdout } = r;
    const stderr = stripVTControlCharacters(r.stderr);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(`[${errorCode}]`);
    expect(stderr).toMatch(/^hint: /m);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses megabytes of garbage on standard input without reading it all', async () => {
    const { code, stderr } = await runCli(['decode', '-'], { stdin: 'A'.repeat(5 * 1024 * 1024) });
    expect(code).toBe(2);
    expect(stderr).toContain('[INPUT_TOO_LARGE]');
  });

  it('prints the error as JSON on stdout with --json', async () => {
    const { code, stdout } = await runCli(['decode', 'abc.def', '--json']);
    expect(code).toBe(2);
    expect(JSON.parse(stdout)).toEqual({
      ok: false,
      error: {
        code: 'TOKEN_MALFORMED',
        message: 'the token has 2 parts separated by dots; a JWT has 3',
        hint: 'A JWT is three base64url parts joined by dots: header.payload.signature.',
      },
    });
  });
});

describe('the built binary', () => {
  it('decodes the seed token, prints help, and exits 2 on a malformed token', async () => {
    const ok = await runBin(['decode', SEED_TOKEN, '--claim', 'user.organizations.0.organization.name']);
    expect(ok).toMatchObject({ code: 0, stdout: 'Joe Marsh\n' });
    const help = await runBin(['decode', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Examples:');
    expect(help.stdout).toContain('--verify');
    const bad = await runBin(['decode', 'not.a'], {});
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('[TOKEN_MALFORMED]');
  });

  it('reads a piped token when no argument is given', async () => {
    const r = await runBin(['decode', '--claim', 'given_name'], { stdin: SEED_TOKEN });
    expect(r).toMatchObject({ code: 0, stdout: 'Joe\n' });
  });
});
