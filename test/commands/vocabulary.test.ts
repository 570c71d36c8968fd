import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

const COMMANDS = [
  'login',
  'callback',
  'decode',
  'discover',
  'check',
  'userinfo',
  'api',
  'logout-url',
  'logout',
  'introspect',
  'revoke',
];

async function help(cmd: string): Promise<string> {
  return (await runCli([cmd, '--help'])).stdout;
}

describe('one vocabulary across commands', () => {
  it('--timeout is the network timeout in every command that has it, never a wait', async () => {
    for (const cmd of COMMANDS) {
      const line = (await help(cmd)).split('\n').find((l) => l.trim().startsWith('--timeout'));
      expect(line, cmd).toBeDefined();
      expect(line, cmd).toMatch(/timeout/i);
      expect(line, cmd).not.toMatch(/wait/i);
    }
  });

  it('the wait for a person is --wait wherever togo waits for one', async () => {
    for (const cmd of ['login', 'logout']) {
      const text = await help(cmd);
      expect(text, cmd).toMatch(/--wait <seconds> +how long to wait/);
      expect(text, cmd).not.toContain('--wait-timeout');
      expect(text, cmd).not.toContain('--http-timeout');
    }
  });

  it('the token to work with is chosen with --use in every command that chooses one', async () => {
    for (const cmd of ['decode', 'api', 'introspect', 'revoke']) {
      expect(await help(cmd), cmd).toMatch(/--use <kind>/);
    }
    expect(await help('decode')).not.toContain('--field');
  });

  it("--audience is an access token's audience everywhere: the one login asks for, the one decode expects; an ID token's is --client-id", async () => {
    expect(await help('decode')).toMatch(/--audience <resource> +the audience an access token must name/);
    expect(await help('decode')).toMatch(/--client-id <client_id> +your client id/);
    expect(await help('login')).toMatch(/--audience <audience> +audience of the access token/);
    const old = await runCli([
      'decode',
      'e30.e30.',
      '--audience',
      'x',
      '--verify',
      '--jwks',
      '/nonexistent.json',
    ]);
    expect(old.stderr).not.toContain('unknown option');
  });
});
