import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/run-cli.js';
import { CLIENT, ISSUER, makeKey, NOW, signToken } from '../../helpers/tokens.js';

describe('togo decode --verify --jwks <file>', () => {
  let dir = '';
  let token = '';
  beforeAll(async () => {
    const key = await makeKey('ES256');
    token = await signToken(key);
    dir = mkdtempSync(join(tmpdir(), 'togo-jwks-file-'));
    writeFileSync(join(dir, 'jwks.json'), JSON.stringify({ keys: [key.publicJwk] }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a relative key file from the directory togo runs in', async () => {
    const args = [
      'decode',
      token,
      '--verify',
      '--jwks',
      './jwks.json',
      '--issuer',
      ISSUER,
      '--client-id',
      CLIENT,
    ];
    const result = await runCli([...args, '--json'], { cwd: dir, now: NOW });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: true });
  });

  it('names the file it could not read, with exit code 2', async () => {
    const result = await runCli(
      ['decode', token, '--verify', '--jwks', './missing.json', '--issuer', ISSUER],
      {
        cwd: dir,
        now: NOW,
      },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/INPUT_UNREADABLE.*missing\.json/);
  });
});
