import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/run-cli.js';

const LOGIN_URL = readFileSync(new URL('../../fixtures/seed-login-url.txt', import.meta.url), 'utf8').trim();
const fold = (text: string, width = 76) => text.match(new RegExp(`.{1,${width}}`, 'g'))!.join('\n');

describe('inspect-url forgives a login URL wrapped over several lines', () => {
  it('reads the whole URL, finds its client_id, and notes the cleaning on stderr', async () => {
    const clean = await runCli(['inspect-url', LOGIN_URL, '--json']);
    const wrapped = await runCli(['inspect-url', '-', '--json'], { stdin: `${fold(LOGIN_URL)}\n` });
    expect(wrapped.stderr).toContain('Cleaned the pasted URL: removed line breaks.');
    expect(wrapped.stdout).not.toContain('has no client_id');
    expect(JSON.parse(wrapped.stdout)).toEqual(JSON.parse(clean.stdout));
    expect(wrapped.code).toBe(clean.code);
  });
});

describe('inspect-url explains the URL it was given, spaces and all', () => {
  it('keeps spaces inside values and reports them, instead of reading "codeid_token" and "openidemail"', async () => {
    const url =
      'https://id.example/connect/authorize?client_id=app&response_type=code id_token&scope=openid email&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&state=s1&nonce=n1';
    const r = await runCli(['inspect-url', url, '--json']);
    const doc = JSON.parse(r.stdout);
    const value = (name: string) => doc.params.find((p: { name: string }) => p.name === name)?.value;
    expect(value('response_type')).toBe('code id_token');
    expect(value('scope')).toBe('openid email');
    expect(r.stdout).not.toContain('codeid_token');
    expect(r.stdout).not.toContain('openidemail');
    const unencoded = doc.findings.filter((f: { id: string }) => f.id === 'authorize.value-unencoded');
    expect(unencoded.map((f: { message: string }) => f.message.split(' ')[0])).toEqual([
      'response_type',
      'scope',
    ]);
    expect(r.stderr).not.toContain('Cleaned');
  });

  it('still joins a URL wrapped over lines, and keeps a space that was in a value', async () => {
    const r = await runCli(['inspect-url', '-', '--json'], {
      stdin:
        'https://id.example/connect/authorize?client_id=app&scope=openid email\n  &response_type=code&state=s1\n',
    });
    const doc = JSON.parse(r.stdout);
    expect(doc.params.find((p: { name: string }) => p.name === 'scope')?.value).toBe('openid email');
    expect(doc.params.find((p: { name: string }) => p.name === 'response_type')?.value).toBe('code');
    expect(r.stderr).toContain('Cleaned the pasted URL: removed line breaks.');
  });
});
