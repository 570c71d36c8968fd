import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/run-cli.js';

const SEED_URL = readFileSync(new URL('../../fixtures/seed-login-url.txt', import.meta.url), 'utf8').trim();
const UNENCODED =
  'https://id2.runswithtogo.com/identity/login?profile=togo&behaviourProfile=togo&client_id=sample-production&ReturnUrl=https://id2.runswithtogo.com/identity/connect/authorize?client_id=sample-production&nonce=c7709929297c0f47645cd4e270049fd0&redirect_uri=https%3A%2F%2Fsample.togogroup.com%2Ftogo-callback&response_type=id_token&scope=openid%20email%20profile&state=ac65007cf9729c9168b475452439e9fa';

describe('togo inspect-url', () => {
  it("explains the guide's example and exits 0", async () => {
    const r = await runCli(['inspect-url', SEED_URL]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Togo ID login URL');
    expect(r.stdout).toContain('ReturnUrl (absolute), decoded:');
    expect(r.stdout).toContain('redirect_uri   https://sample.togogroup.com/togo-callback');
    expect(r.stdout).toContain('no problems found');
  });

  it('exits 1 and explains an unencoded ReturnUrl', async () => {
    const r = await runCli(['inspect-url', UNENCODED]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL\s+url\.return-url-unencoded\s+ReturnUrl is not percent-encoded/);
    expect(r.stdout).toMatch(/hint: Percent-encode the whole authorize URL/);
  });

  it('lists params, the decoded ReturnUrl and findings with --json', async () => {
    const r = await runCli(['inspect-url', '--json', UNENCODED]);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ ok: false, url: UNENCODED, kind: 'togo-login' });
    expect(doc.params.map((p: { name: string }) => p.name)).toEqual([
      'profile',
      'behaviourProfile',
      'client_id',
      'ReturnUrl',
    ]);
    expect(doc.returnUrl.relative).toBe(false);
    expect(doc.returnUrl.params).toContainEqual({
      name: 'scope',
      value: 'openid email profile',
      raw: 'openid%20email%20profile',
    });
    expect(doc.findings).toEqual([
      {
        id: 'url.return-url-unencoded',
        status: 'fail',
        message: expect.stringContaining('nonce, redirect_uri, response_type, scope, state'),
        hint: expect.any(String),
      },
    ]);
  });

  it('exits 0 when only warnings are found', async () => {
    const r = await runCli([
      'inspect-url',
      'https://idp.example/authorize?client_id=a&redirect_uri=http%3A%2F%2Flocalhost%2Fcb&response_type=code&scope=openid&state=s',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/WARN\s+authorize\.\S+\s+redirect_uri uses localhost/);
    expect(r.stdout).toMatch(/WARN\s+\S+\s+a code flow without PKCE/);
  });

  it('reads the URL from standard input', async () => {
    const r = await runCli(['inspect-url'], { stdin: `${SEED_URL}\n` });
    expect(r.code).toBe(0);
    const dash = await runCli(['inspect-url', '-', '--json'], { stdin: `'${SEED_URL}'` });
    expect(JSON.parse(dash.stdout).ok).toBe(true);
  });

  it("applies Togo ID's state rule to other hosts with --togo", async () => {
    const url =
      'https://id.togo.example/connect/authorize?client_id=a&redirect_uri=https%3A%2F%2Fa%2Fcb&response_type=code&scope=openid&state=s&code_challenge=x&code_challenge_method=S256';
    expect((await runCli(['inspect-url', url])).code).toBe(0);
    const r = await runCli(['inspect-url', '--togo', url]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/authorize\.state-length/);
  });

  it.each([
    ['not a URL', 'id2.runswithtogo.com/login?x'],
    ['bad percent-encoding', 'https://idp.example/authorize?client_id=%E0%A4%A'],
    ['an empty input', '  '],
  ])('exits 2 for %s, without a stack trace', async (_name, input) => {
    const r = await runCli(['inspect-url', '--json', input]);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { code: 'URL_MALFORMED' } });
    expect(r.stderr).toMatch(/^error \[URL_MALFORMED\]/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('asks for a URL when none is given on a terminal', async () => {
    const r = await runCli(['inspect-url']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no URL given/);
  });
});
