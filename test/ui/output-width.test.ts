import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockProvider } from '../../src/index.js';
import type { MockProvider } from '../../src/mock/types.js';
import { runCli } from '../helpers/run-cli.js';
import { SEED_TOKEN } from '../helpers/tokens.js';

/**
 * Human tables fit the terminal: at 80 columns long cells wrap at spaces and URL boundaries, never
 * inside a word; output to a pipe is not wrapped, so it stays greppable.
 */

let mock: MockProvider;
beforeAll(async () => {
  mock = await startMockProvider({ port: 0 });
});
afterAll(() => mock.close());

const env = () => ({ TOGO_MOCK_ISSUER: mock.issuer });
const lines = (text: string) => text.split('\n');
/** Words as a person reads them: the text without its layout. */
const words = (text: string) => text.split(/\s+/).filter(Boolean);

function expectFits(text: string, width = 80): void {
  for (const line of lines(text)) expect([...line].length, line).toBeLessThanOrEqual(width);
}

describe('at 80 columns', () => {
  it('check: hints wrap under their own text, between words', async () => {
    const r = await runCli(['check', '--env', 'mock'], { env: env(), columns: 80 });
    expectFits(r.stdout);
    const out = lines(r.stdout);
    const hint = out.findIndex((l) => l.includes('hint: Accepted for local providers only'));
    expect(hint).toBeGreaterThan(-1);
    // "a deployed provider must use https." continues on the next line, aligned under the hint text.
    expect(`${out[hint]} ${out[hint + 1]?.trim()}`).toMatch(/a deployed provider must use\s+https\./);
    expect(out[hint + 1]).toMatch(/^ {14}\S/);
    expect(r.stdout).not.toMatch(/a depl\s*\n/);
  });

  it('discover: endpoint URLs break only after / ? & =', async () => {
    const r = await runCli(['discover', '--env', 'mock'], { env: env(), columns: 80 });
    expectFits(r.stdout);
    const out = lines(r.stdout);
    const device = out.findIndex((l) => l.startsWith('  device authorization'));
    const url = `${mock.issuer}/connect/deviceauthorization`;
    if (url.length + 25 > 80) {
      expect(out[device]).toMatch(/\/$/);
      expect(`${out[device]?.slice(25)}${out[device + 1]?.trim()}`).toBe(url);
    } else {
      expect(out[device]?.slice(25)).toBe(url);
    }
    expect(r.stdout).not.toMatch(/deviceauthorizat\s*\n/);
    // Every URL reads back whole once the line breaks are taken out.
    expect(r.stdout.replace(/\/\n +/g, '/')).toContain(url);
  });

  it("decode: the seed token's expiry never breaks inside a word", async () => {
    const r = await runCli(['decode', SEED_TOKEN], { columns: 80, now: Date.UTC(2026, 5, 1) });
    expectFits(r.stdout);
    expect(words(r.stdout).join(' ')).toContain('(expired 7 years ago) EXPIRED');
    expect(r.stdout).not.toMatch(/\bye\s*\n\s*ars\b/);
    for (const line of lines(r.stdout)) expect(line).not.toMatch(/\(expired \d+ ye$/);
  });
});

describe('to a pipe', () => {
  it('discover keeps every value on its own line, whole', async () => {
    const r = await runCli(['discover', '--env', 'mock'], { env: env() });
    expect(lines(r.stdout)).toContain(`  device authorization   ${mock.issuer}/connect/deviceauthorization`);
  });

  it('check keeps each hint on one line', async () => {
    const r = await runCli(['check', '--env', 'mock'], { env: env() });
    expect(r.stdout).toMatch(
      /^ {8}hint: Accepted for local providers only; a deployed provider must use https\.$/m,
    );
  });
});
