/**
 * Verdicts that cannot overstate: a forged token minted with the forger's own provider never reads
 * VALID unless the user pinned the issuer; an access token or a logout token is never accepted as an
 * ID token (RFC 8725 §3.11); a check the user asked for is never skipped in silence.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { CLIENT, ISSUER, makeKey, NOW, signToken, type TestKey } from '../helpers/tokens.js';

let key: TestKey;
let dir: string;
let jwksFile: string;
beforeAll(async () => {
  key = await makeKey('ES256', 'forger-key');
  dir = await mkdtemp(join(tmpdir(), 'togo-verdicts-'));
  jwksFile = join(dir, 'jwks.json');
  await writeFile(jwksFile, JSON.stringify({ keys: [key.publicJwk] }));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const verify = (token: string, ...extra: string[]) =>
  runCli(['decode', token, '--verify', '--jwks', jwksFile, '--audience', CLIENT, ...extra], { now: NOW });

describe('a verdict without a pinned issuer', () => {
  it('a forged token checked without any issuer is never "VALID" and exits non-zero', async () => {
    const forged = await signToken(key, { iss: 'https://forger.example' });
    const r = await verify(forged);
    expect(r.stdout).not.toContain('Result: VALID');
    expect(r.stdout).toContain('Result: ISSUER NOT PINNED');
    expect(r.stdout).toMatch(/signature valid .*who issued the token is not established/);
    expect(r.code).toBe(1);
  });

  it('--issuer-from-token gives at best "signature valid, issuer not pinned", exit 1, also in --json', async () => {
    const forged = await signToken(key, { iss: 'https://forger.example' });
    const r = await verify(forged, '--issuer-from-token');
    expect(r.stdout).toContain('Result: ISSUER NOT PINNED');
    expect(r.code).toBe(1);
    const j = await verify(forged, '--issuer-from-token', '--json');
    expect(j.code).toBe(1);
    const doc = JSON.parse(j.stdout);
    expect(doc.ok).toBe(false);
    expect(doc.verification).toMatchObject({ ok: false, verdict: 'issuer-not-pinned' });
    expect(doc.error.code).toBe('ISSUER_NOT_PINNED');
  });

  it('--issuer needs its URL: a bare --issuer is a usage error, not trust in the token', async () => {
    const forged = await signToken(key, { iss: 'https://forger.example' });
    const r = await runCli(['decode', forged, '--verify', '--jwks', jwksFile, '--issuer'], { now: NOW });
    expect(r.code).toBe(2);
    expect(r.stdout).not.toContain('VALID');
  });

  it('--issuer never swallows the token or the next flag: each is a usage error naming the mix-up', async () => {
    const token = await signToken(key);
    const swallowedToken = await runCli(['decode', '--issuer', token, '--verify'], { now: NOW });
    expect(swallowedToken.code).toBe(2);
    // The message names the mix-up without echoing the token.
    expect(swallowedToken.stderr).toMatch(/\[USAGE\] --issuer takes an http\(s\) URL, not "\(redacted\)"/);
    expect(swallowedToken.stderr).not.toContain(token.slice(0, 20));
    expect(swallowedToken.stderr).toMatch(/hint: That is a token: give the token as the argument/);
    const swallowedFlag = await runCli(['decode', '--issuer', '--verify', token], { now: NOW });
    expect(swallowedFlag.code).toBe(2);
    expect(swallowedFlag.stderr).toMatch(/--issuer takes an http\(s\) URL, not "--verify"/);
    expect(swallowedFlag.stdout).toBe('');
    const login = await runCli(['login-url', '--issuer', 'id2.runswithtogo.com/identity', '--offline']);
    expect(login.code).toBe(2);
    expect(login.stderr).toMatch(/--issuer takes an http\(s\) URL/);
  });

  it('the issuer pinned by TOGO_ISSUER counts, and a pinned match reads VALID with exit 0', async () => {
    const token = await signToken(key);
    const r = await runCli(['decode', token, '--verify', '--jwks', jwksFile, '--audience', CLIENT], {
      now: NOW,
      env: { TOGO_ISSUER: ISSUER },
    });
    expect(r.stdout).toContain('Result: VALID');
    expect(r.code).toBe(0);
    const forged = await signToken(key, { iss: 'https://forger.example' });
    const f = await runCli(['decode', forged, '--verify', '--jwks', jwksFile], {
      now: NOW,
      env: { TOGO_ISSUER: ISSUER },
    });
    expect(f.stdout).toContain('TOKEN_ISSUER_MISMATCH');
    expect(f.code).toBe(1);
  });

  it('a togo.config.json in the current directory does not pin the issuer for a verdict', async () => {
    const repo = await mkdtemp(join(tmpdir(), 'togo-verdicts-repo-'));
    await writeFile(
      join(repo, 'togo.config.json'),
      JSON.stringify({ defaultEnvironment: 'x', environments: { x: { issuer: 'https://forger.example' } } }),
    );
    const forged = await signToken(key, { iss: 'https://forger.example' });
    const r = await runCli(['decode', forged, '--verify', '--jwks', jwksFile], { now: NOW, cwd: repo });
    expect(r.stdout).toContain('Result: ISSUER NOT PINNED');
    expect(r.code).toBe(1);
    await rm(repo, { recursive: true, force: true });
  });
});

describe('token types told apart', () => {
  for (const typ of ['at+jwt', 'application/at+jwt', 'AT+JWT', 'logout+jwt', 'secevent+jwt']) {
    it(`a token with typ ${typ} fails the typing check (D16) where an ID token is expected`, async () => {
      const token = await signToken(key, {}, { typ });
      // The nonce of the request says an ID token is expected.
      const r = await verify(token, '--issuer', ISSUER, '--nonce', 'n-0S6_WzA2Mj', '--json');
      const doc = JSON.parse(r.stdout);
      const d16 = doc.verification.checks.find((c: { id: string }) => c.id === 'D16');
      expect(d16).toMatchObject({ status: 'fail', code: 'TOKEN_TYPE_MISMATCH' });
      expect(r.code).toBe(1);
    });
  }

  it('an ID token typed JWT (or not typed) passes D16', async () => {
    for (const header of [{ typ: 'JWT' }, { typ: undefined }]) {
      const token = await signToken(key, {}, header);
      const r = await verify(token, '--issuer', ISSUER, '--nonce', 'n-0S6_WzA2Mj');
      expect(r.stdout).toMatch(/PASS +D16 +typ/);
      expect(r.code).toBe(0);
    }
  });

  it('decode says which kind of token it was given', async () => {
    const at = await signToken(
      key,
      { scope: 'openid', client_id: CLIENT, nonce: undefined },
      { typ: 'at+jwt' },
    );
    const r = await runCli(['decode', at], { now: NOW });
    expect(r.stdout).toMatch(/Token +an access token \(RFC 9068\) \(typ at\+jwt\)/);
    const j = JSON.parse((await runCli(['decode', at, '--json'], { now: NOW })).stdout);
    expect(j.kind).toMatchObject({ kind: 'access_token', explicit: true });
    const id = await signToken(key);
    expect((await runCli(['decode', id], { now: NOW })).stdout).toMatch(/Token +an ID token/);
  });
});

describe('a check the user asked for is never skipped in silence', () => {
  it('--access-token on an ID token without at_hash reports a warning with the reason', async () => {
    const token = await signToken(key);
    const r = await verify(token, '--issuer', ISSUER, '--access-token', 'at-123', '--json');
    const d10 = JSON.parse(r.stdout).verification.checks.find((c: { id: string }) => c.id === 'D10');
    expect(d10.status).toBe('warn');
    expect(d10.message).toMatch(/no at_hash/);
    expect(d10.message).toMatch(/implicit and hybrid/);
    expect(d10.message).toMatch(/optional from the token endpoint/);
  });
});
