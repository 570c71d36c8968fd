import { describe, expect, it } from 'vitest';
import { ERROR_CODES, EXIT, TogoError, toTogoError } from '../src/errors.js';

describe('the error type', () => {
  it('maps every code to one of the documented exit codes', () => {
    const documented = new Set<number>(Object.values(EXIT));
    for (const [code, spec] of Object.entries(ERROR_CODES)) {
      expect(documented.has(spec.exit), code).toBe(true);
      // Every code has advice, except Ctrl-C: the person who pressed it needs none.
      if (code !== 'INTERRUPTED') expect(spec.hint.length, code).toBeGreaterThan(0);
    }
  });

  it('carries the exit code of its code and a default hint', () => {
    const err = new TogoError('TOKEN_MALFORMED', 'bad');
    expect(err.exitCode).toBe(2);
    expect(err.hint).toMatch(/three base64url parts/);
    expect(err.toJSON()).toEqual({ code: 'TOKEN_MALFORMED', message: 'bad', hint: err.hint });
  });

  it('turns anything unexpected into an INTERNAL error', () => {
    expect(toTogoError(new RangeError('boom')).code).toBe('INTERNAL');
    expect(toTogoError(new RangeError('boom')).exitCode).toBe(70);
  });
});

describe('the README', () => {
  it('lists every error code with its exit code', async () => {
    const { readFile } = await import('node:fs/promises');
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('### Error codes'), readme.indexOf('## Security'));
    for (const [code, spec] of Object.entries(ERROR_CODES)) {
      expect(section, code).toContain(`| \`${code}\` | ${spec.exit} |`);
    }
  });
});
