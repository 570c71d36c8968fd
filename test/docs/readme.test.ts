import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('the README', () => {
  it('stays a landing page: at most 10 KB, the rest lives in docs/', () => {
    expect(statSync(new URL('../../README.md', import.meta.url)).size).toBeLessThanOrEqual(10_000);
  });
});
