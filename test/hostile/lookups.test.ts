/**
 * Names resolve through own properties only: an environment, a claim or a claim path called
 * "constructor", "toString" or "__proto__" is looked up like any other name, never found on
 * Object.prototype.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { b64 } from '../helpers/tokens.js';

const PROTOTYPE_NAMES = ['constructor', 'toString', 'valueOf', '__proto__', 'hasOwnProperty'];

const tokenWith = (payload: Record<string, unknown>) =>
  `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64(payload)}.c2ln`;

describe('lookups by name', () => {
  for (const name of PROTOTYPE_NAMES) {
    it(`--env ${name} is an unknown environment (usage error), for config and login-url`, async () => {
      for (const argv of [
        ['config', '--env', name],
        ['login-url', '--env', name],
      ]) {
        const r = await runCli(argv);
        expect(r.code, `${argv.join(' ')}\n${r.stderr}`).toBe(2);
        expect(r.stderr).toContain(`unknown environment "${name}"`);
        expect(r.stderr).toContain('[USAGE]');
      }
    });

    it(`TOGO_ENV=${name} is an unknown environment too`, async () => {
      const r = await runCli(['config'], { env: { TOGO_ENV: name } });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`unknown environment "${name}"`);
    });
  }

  it('a claim named "constructor" or "toString" is shown with its own value, not as a custom expansion', async () => {
    const r = await runCli([
      'decode',
      tokenWith({ sub: 'u1', constructor: 'ctor-value', toString: 'ts-value' }),
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ctor-value');
    expect(r.stdout).toContain('ts-value');
    expect(r.stdout).not.toContain('native code');
    expect(r.stdout).not.toContain('expanded below');
  });

  it('a claim named "constructor" holding JSON in a string is expanded like any other', async () => {
    const r = await runCli(['decode', tokenWith({ sub: 'u1', constructor: '{"a":1}' }), '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).expanded.constructor).toMatchObject({ kind: 'json', value: { a: 1 } });
  });

  it('--claim constructor on a token without one is "no claim at that path"', async () => {
    for (const path of ['constructor', 'toString', '__proto__', 'sub.length']) {
      const r = await runCli(['decode', tokenWith({ sub: 'u1' }), '--claim', path]);
      expect(r.code, path).toBe(1);
      expect(r.stderr).toContain('[CLAIM_NOT_FOUND]');
    }
  });
});
