import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from '../../helpers/parse.js';
import { type FakeProvider, startProvider } from '../../helpers/providers.js';
import { runCli } from '../../helpers/run-cli.js';
import { CLIENT, makeKey, NOW, signToken, type TestKey } from '../../helpers/tokens.js';

interface CheckDoc {
  checks: { id: string; status: string; message: string }[];
}

const dir = mkdtempSync(join(tmpdir(), 'togo-check-id-token-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('check --id-token reads a session file as every other command does', () => {
  let key: TestKey;
  let p: FakeProvider;
  beforeAll(async () => {
    key = await makeKey('RS256', 'live-1');
    p = await startProvider({ keys: [key.publicJwk as Record<string, unknown>] });
  });
  afterAll(() => p.close());

  it('verifies the ID token of a session file, not the JSON text as a token', async () => {
    const token = await signToken(key, { iss: p.issuer, aud: CLIENT });
    const file = join(dir, 'session.json');
    writeFileSync(
      file,
      JSON.stringify({ version: 1, issuer: p.issuer, tokens: { id_token: token, access_token: 'opaque-1' } }),
    );
    const r = await runCli(['check', p.issuer, '--json', '--id-token', file], {
      env: { TOGO_CLIENT_ID: CLIENT, TOGO_REDIRECT_URI: 'http://127.0.0.1/callback' },
      now: NOW,
    });
    const checks = parse<CheckDoc>(r).checks.filter((c) => c.id.startsWith('id-token.'));
    expect(checks.find((c) => c.id === 'id-token.D5')).toMatchObject({ status: 'pass' });
    expect(checks.filter((c) => c.status === 'fail')).toEqual([]);
  });
});
