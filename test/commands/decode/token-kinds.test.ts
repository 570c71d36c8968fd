import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/run-cli.js';
import { SEED_REDIRECT_URL, SEED_TOKEN } from '../../helpers/tokens.js';

const OPAQUE = 'C8E1D2F3A4B5968778695A4B3C2D1E0F0123456789ABCDEF0123456789ABCDEF-1';

function sessionFile(): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'togo-decode-session-'));
  const path = join(dir, 's.json');
  writeFileSync(
    path,
    JSON.stringify({
      version: 1,
      issuer: 'https://id.example',
      tokens: { id_token: SEED_TOKEN, access_token: OPAQUE },
    }),
  );
  return { dir, path };
}

describe('decode recognises an opaque token and says how to inspect it', () => {
  it('names it opaque and points to togo introspect, not "1 part"', async () => {
    const r = await runCli(['decode', OPAQUE]);
    expect(r.stderr).toContain('this is an opaque token (66 characters), not a JWT');
    expect(r.stderr).toContain('togo introspect');
    expect(r.stderr).not.toMatch(/part/);
    expect(r.code).toBe(2);
  });
});

describe('decode says a JWT cut short is one, not an opaque token', () => {
  it('two parts, or cut inside the header: "cut short", exit 2, no mention of introspect', async () => {
    const [header, payload] = SEED_TOKEN.split('.');
    for (const cut of [`${header}.${payload}`, `${header}.${payload?.slice(0, 20)}`, header!.slice(0, 15)]) {
      const r = await runCli(['decode', cut]);
      expect(r.code, cut).toBe(2);
      expect(r.stderr).toMatch(/\[TOKEN_MALFORMED\].*looks like a JWT cut short/);
      expect(r.stderr).toContain('Copy the whole token');
      expect(r.stderr).not.toContain('opaque');
      expect(r.stderr).not.toContain('introspect');
    }
  });
});

describe('decode reads tokens given as JSON', () => {
  it('`jq .tokens session.json | togo decode`: the tokens object, with --use picking one', async () => {
    const tokens = JSON.stringify({ id_token: SEED_TOKEN, access_token: OPAQUE }, null, 2);
    const r = await runCli(['decode', '--claim', 'email'], { stdin: tokens });
    expect(r.stdout).toBe('joe@m.test\n');
    expect(r.code).toBe(0);
    const access = await runCli(['decode', '--use', 'access_token'], { stdin: tokens });
    expect(access.stderr).toContain('opaque token');
  });

  it('a pasted `"id_token": "eyJ…",` line from a session file or a token response', async () => {
    for (const line of [
      `"id_token": "${SEED_TOKEN}",`,
      `  "id_token":"${SEED_TOKEN}"`,
      `id_token: "${SEED_TOKEN}"`,
    ]) {
      const r = await runCli(['decode', '--claim', 'email'], { stdin: line });
      expect(r.stdout, line).toBe('joe@m.test\n');
      expect(r.code).toBe(0);
    }
  });

  it('a path with two dots (./pub.json) is read as the file it names, not as a token', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'togo-decode-path-'));
    writeFileSync(join(dir, 'pub.json'), JSON.stringify({ tokens: { id_token: SEED_TOKEN } }));
    const r = await runCli(['decode', './pub.json', '--claim', 'email'], { cwd: dir });
    expect(r.stdout).toBe('joe@m.test\n');
    expect(r.stderr).toContain('Reading ./pub.json.');
    expect(r.code).toBe(0);
  });
});

describe('decode reads a session file', () => {
  it('given by name, it decodes the ID token of the session', async () => {
    const { path } = sessionFile();
    const r = await runCli(['decode', path, '--claim', 'email']);
    expect(r.stdout).toBe('joe@m.test\n');
    expect(r.stderr).toContain('Using the id_token of the session file.');
    expect(r.code).toBe(0);
  });

  it('given on standard input, relative to the working directory, or with --use', async () => {
    const { dir, path } = sessionFile();
    const relative = await runCli(['decode', 's.json', '--claim', 'email'], { cwd: dir });
    expect(relative.stdout).toBe('joe@m.test\n');
    const piped = await runCli(['decode', '--use', 'access_token'], {
      stdin: JSON.stringify({ version: 1, tokens: { access_token: OPAQUE } }),
    });
    expect(piped.stderr).toContain('opaque token');
    expect(piped.code).toBe(2);
    expect((await runCli(['decode', path, '--use', 'refresh_token'])).stderr).toContain(
      'the session file holds no refresh_token (it has id_token, access_token)',
    );
  });
});

describe('one flag chooses the token: --use (decode), with --field kept as its old name', () => {
  it('--use and --field pick the same token from a redirect URL', async () => {
    const url = `${SEED_REDIRECT_URL}&access_token=${SEED_TOKEN}`;
    const a = await runCli(['decode', url, '--use', 'access_token', '--claim', 'email']);
    const b = await runCli(['decode', url, '--field', 'access_token', '--claim', 'email']);
    expect(a.stderr).toContain('Using the access_token from the URL fragment.');
    expect(a.stdout).toBe('joe@m.test\n');
    expect(b.stdout).toBe(a.stdout);
  });

  it("an ID token's expected audience is --client-id, as everywhere; an access token's is --audience", async () => {
    const help = await runCli(['decode', '--help']);
    expect(help.stdout).toMatch(/--client-id <client_id> +your client id/);
    expect(help.stdout).toMatch(/--audience <resource> +the audience an access token must name/);
    expect(help.stdout).not.toMatch(/--field/);
  });
});
