import { describe, expect, it } from 'vitest';
import { ERROR_CODES, TogoError, toTogoError } from '../src/errors.js';

describe('the error type', () => {
  it('gives every code a hint that is one sentence or more, on one line', () => {
    for (const [code, spec] of Object.entries(ERROR_CODES)) {
      // Every code has advice, one sentence or more on one line, except Ctrl-C: the person who
      // pressed it needs none.
      if (code === 'INTERRUPTED') continue;
      expect(spec.hint, code).toMatch(/^\S.{10,}[.)`]$/s);
      expect(spec.hint, code).not.toContain('\n');
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

describe('the error codes page', () => {
  it('lists every error code with its exit code', async () => {
    const { readFile } = await import('node:fs/promises');
    const page = await readFile(new URL('../docs/errors.md', import.meta.url), 'utf8');
    for (const [code, spec] of Object.entries(ERROR_CODES)) {
      expect(page, code).toContain(`| \`${code}\` | ${spec.exit} |`);
    }
  });
});
