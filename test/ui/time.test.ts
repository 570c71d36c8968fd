/**
 * The claims table and the verification agree on when a token is expired: both judge exp with the
 * same skew, in one place (a token at exp + skew used to fail D7 while its exp row showed no mark).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { CLIENT, ISSUER, makeKey, NOW, NOW_S, signToken, type TestKey } from '../helpers/tokens.js';

let dir: string;
let key: TestKey;
let jwks: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'togo-time-'));
  key = await makeKey('ES256');
  jwks = join(dir, 'jwks.json');
  writeFileSync(jwks, JSON.stringify({ keys: [key.publicJwk] }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function decodeWithExp(exp: number) {
  const token = await signToken(key, { exp, iat: exp - 300 });
  const argv = ['decode', token, '--verify', '--jwks', jwks, '--issuer', ISSUER, '--client-id', CLIENT];
  const human = await runCli([...argv, '--clock-skew', '60'], { now: NOW, columns: 200 });
  const json = await runCli([...argv, '--clock-skew', '60', '--json'], { now: NOW });
  const d7 = JSON.parse(json.stdout).verification.checks.find((c: { id: string }) => c.id === 'D7');
  const expRow = human.stdout.split('\n').find((l) => /^\s+exp\s/.test(l)) ?? '';
  return { d7, expRow, code: human.code };
}

describe('a token at the edge of its clock skew', () => {
  it('is marked EXPIRED in the claims table exactly when D7 fails', async () => {
    const atEdge = await decodeWithExp(NOW_S - 60);
    expect(atEdge.d7).toMatchObject({ status: 'fail', code: 'TOKEN_EXPIRED' });
    expect(atEdge.expRow).toContain('(expired 1 min ago)  EXPIRED');
    expect(atEdge.code).toBe(1);

    const within = await decodeWithExp(NOW_S - 59);
    expect(within.d7).toMatchObject({ status: 'pass' });
    expect(within.d7.message).toContain('within the 60 s clock skew');
    expect(within.expRow).toContain('(expired 59 s ago, within the 60 s clock skew)');
    expect(within.expRow).not.toContain('EXPIRED');
    expect(within.code).toBe(0);
  });
});
