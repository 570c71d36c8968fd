import { describe, expect, it } from 'vitest';
import type { Check } from '../../src/check.js';
import { PLAIN, plainStyle } from '../../src/ui/color.js';
import { lines } from '../../src/ui/safe.js';
import { checkRows, STATUS_WORD, statusLabel, summaryLine, summaryText } from '../../src/ui/verdicts.js';

const text = (rows: Parameters<typeof lines>[0]) => lines(rows).text;

describe('check rows', () => {
  it('gives every status its one word', () => {
    expect(Object.values(STATUS_WORD)).toEqual(['PASS', 'FAIL', 'WARN', 'SKIP', 'INFO']);
    expect(statusLabel('fail', PLAIN).text).toBe('FAIL');
  });

  it('prints status, id and message, the error code of a failure and its hint below', () => {
    const out = text(
      checkRows(
        [
          { id: 'D1', status: 'pass', message: 'signature verified' },
          { id: 'D5', status: 'fail', message: 'token expired', code: 'TOKEN_EXPIRED', hint: 'log in again' },
        ],
        PLAIN,
      ),
    );
    expect(out.split('\n')).toEqual([
      expect.stringMatching(/^ {2}PASS\s+D1\s+signature verified$/),
      expect.stringMatching(/^ {2}FAIL\s+D5\s+token expired \[TOKEN_EXPIRED\]$/),
      '        hint: log in again',
    ]);
  });

  it('shows hints only for the statuses asked for, and does not print the code of a pass', () => {
    const checks: Check[] = [
      { id: 'x', status: 'info', message: 'note', hint: 'read more' },
      { id: 'y', status: 'pass', message: 'fine', code: 'TOKEN_EXPIRED' },
    ];
    expect(text(checkRows(checks, PLAIN))).not.toContain('hint:');
    expect(text(checkRows(checks, PLAIN, { hintsFor: ['info'] }))).toContain('hint: read more');
    expect(text(checkRows(checks, PLAIN))).not.toContain('[TOKEN_EXPIRED]');
  });

  it('puts the worst first when sorting, and keeps the order the checks ran otherwise', () => {
    const checks: Check[] = [
      { id: 'a', status: 'pass', message: 'm' },
      { id: 'b', status: 'fail', message: 'm', hint: 'h' },
    ];
    expect(checkRows(checks, PLAIN, { sort: true })[0]?.text).toMatch(/^ {2}FAIL/);
    expect(checkRows(checks, PLAIN)[0]?.text).toMatch(/^ {2}PASS/);
  });

  it('adds a name column only when some check has a name', () => {
    const named = text(checkRows([{ id: 'D5', status: 'pass', message: 'ok', name: 'exp' }], PLAIN));
    expect(named).toMatch(/^ {2}PASS\s+D5\s+exp\s+ok$/);
  });

  it('escapes control characters in a message from outside', () => {
    const out = text(checkRows([{ id: 'a', status: 'fail', message: 'evil\u001b[2Jtext' }], PLAIN));
    expect(out).not.toContain('\u001b');
  });

  it('wraps a long hint under the message at the terminal width', () => {
    const hint = 'word '.repeat(30).trim();
    const rows = checkRows([{ id: 'a', status: 'warn', message: 'm', hint }], plainStyle(40));
    expect(rows.length).toBeGreaterThan(2);
    for (const r of rows) expect(r.text.length).toBeLessThanOrEqual(40);
  });
});

describe('the summary', () => {
  it('counts in the same words everywhere, leaving out passes when there are none', () => {
    const checks: Check[] = [
      { id: 'a', status: 'pass', message: '' },
      { id: 'b', status: 'pass', message: '' },
      { id: 'c', status: 'warn', message: '' },
      { id: 'd', status: 'skip', message: '' },
      { id: 'e', status: 'info', message: '' },
    ];
    expect(summaryText(checks)).toBe('2 passed, 1 warning, 0 failed, 1 skipped, 1 note');
    expect(summaryText([{ id: 'f', status: 'fail', message: '' }])).toBe('0 warnings, 1 failed');
    expect(summaryLine(checks, PLAIN).text).toBe(summaryText(checks));
  });
});
