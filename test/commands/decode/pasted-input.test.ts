import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/run-cli.js';
import { SEED_REDIRECT_URL, SEED_TOKEN } from '../../helpers/tokens.js';

/** What `fold -w 76` does to a long line. */
const fold = (text: string, width = 76) => text.match(new RegExp(`.{1,${width}}`, 'g'))!.join('\n');

describe('decode forgives a token pasted with line breaks, spaces and quotes, and says so', () => {
  it('reads a token wrapped at 76 columns from standard input', async () => {
    const { code, stdout, stderr } = await runCli(['decode', '--claim', 'email'], {
      stdin: `${fold(SEED_TOKEN)}\n`,
    });
    expect(stdout).toBe('joe@m.test\n');
    expect(stderr).toContain('Cleaned the pasted token: removed line breaks.');
    expect(code).toBe(0);
  });

  it('reads a quoted Bearer value with a line break in it', async () => {
    const { code, stdout, stderr } = await runCli([
      'decode',
      `"Bearer ${SEED_TOKEN.slice(0, 50)}\n  ${SEED_TOKEN.slice(50)}"`,
      '--claim',
      'email',
    ]);
    expect(stdout).toBe('joe@m.test\n');
    expect(stderr).toContain('Cleaned the pasted token: removed quotes, line breaks and spaces.');
    expect(stderr).toContain('Using the Bearer value.');
    expect(code).toBe(0);
  });

  it('says nothing about cleaning when the token was pasted clean', async () => {
    const { stderr } = await runCli(['decode', SEED_TOKEN, '--claim', 'email']);
    expect(stderr).not.toContain('Cleaned');
  });

  it('reads a wrapped redirect URL', async () => {
    const { code, stdout } = await runCli(['decode', fold(SEED_REDIRECT_URL), '--claim', 'email']);
    expect(stdout).toBe('joe@m.test\n');
    expect(code).toBe(0);
  });
});
