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
