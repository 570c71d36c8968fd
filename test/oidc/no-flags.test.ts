import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const DIR = new URL('../../src/oidc/', import.meta.url);

/** String literals of a TypeScript file, comments left out (good enough for this source). */
function literals(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  return [...code.matchAll(/'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`|"(?:[^"\\\n]|\\.)*"/g)].map((m) => m[0]);
}

describe('the protocol layer', () => {
  it('speaks protocol: no message or hint in src/oidc names a command-line flag', () => {
    const offenders: string[] = [];
    for (const file of readdirSync(DIR).filter((f) => f.endsWith('.ts'))) {
      for (const lit of literals(readFileSync(new URL(file, DIR), 'utf8'))) {
        if (/(^|[\s(`'"])--[a-z][a-z-]+/.test(lit)) offenders.push(`${file}: ${lit}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
