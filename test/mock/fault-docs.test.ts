/**
 * The fault tables of the emulator's pages list every fault of the table `--fault` reads, and no
 * other: a fault added, renamed or removed in src/mock/faults.ts fails here until the pages say so.
 * (docs/commands/mock.md is generated from the same table through `togo mock --help`.)
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FAULT_NAMES, LOGIN_FAULT_NAMES } from '../../src/mock/faults.js';

const page = (name: string) => readFileSync(new URL(`../../docs/${name}`, import.meta.url), 'utf8');

/** The fault names in the first column of the table that starts with `header`. */
function faultColumn(text: string, header: string): string[] {
  const start = text.indexOf(header);
  expect(start, `no table starting "${header}"`).toBeGreaterThanOrEqual(0);
  const rows: string[] = [];
  for (const line of text.slice(start).split('\n').slice(2)) {
    if (!line.startsWith('|')) break;
    const name = /^\| `([\w-]+)` \|/.exec(line)?.[1];
    if (name) rows.push(name);
  }
  return rows;
}

describe('the fault tables in the docs', () => {
  it('docs/mock.md describes every fault, in the order of togo mock --help', () => {
    expect(faultColumn(page('mock.md'), '| fault | what goes wrong |')).toEqual(FAULT_NAMES);
  });

  it('docs/mock-reference.md lists every fault, in the same order', () => {
    expect(faultColumn(page('mock-reference.md'), '| fault | what the provider does |')).toEqual(FAULT_NAMES);
  });

  it('the relying-party table of docs/mock.md has a row for every fault a login can meet', () => {
    expect(faultColumn(page('mock.md'), '| fault | openid-client code |')).toEqual(LOGIN_FAULT_NAMES);
  });
});
