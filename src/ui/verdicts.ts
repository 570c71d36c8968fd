/**
 * The one renderer of checks: every command that gives verdicts (decode, login, callback, discover,
 * inspect-url, check) prints them with these rows, the same status words and the same summary.
 */
import { type Check, type CheckStatus, summarize, worstFirst } from '../check.js';
import type { Style } from './color.js';
import { type Safe, t } from './safe.js';
import { hang, tableRows } from './table.js';

/** The one word for each status, in every command. */
export const STATUS_WORD: Record<CheckStatus, string> = {
  pass: 'PASS',
  fail: 'FAIL',
  warn: 'WARN',
  skip: 'SKIP',
  info: 'INFO',
};

export function statusLabel(status: CheckStatus, s: Style): Safe {
  const word = STATUS_WORD[status];
  switch (status) {
    case 'pass':
      return s.green(word);
    case 'fail':
      return s.red.bold(word);
    case 'warn':
      return s.yellow(word);
    case 'info':
      return s.cyan(word);
    case 'skip':
      return s.dim(word);
  }
}

export interface CheckRowsOptions {
  /** Worst first (linters); otherwise in the order the checks ran (the spec's order). */
  sort?: boolean;
  /** Which statuses get their hint on a line below; fail and warn by default. */
  hintsFor?: readonly CheckStatus[];
}

/** One row per check: status word, id, name (where the check has one), message and error code. */
export function checkRows(checks: readonly Check[], s: Style, options: CheckRowsOptions = {}): Safe[] {
  const list = options.sort ? worstFirst(checks) : [...checks];
  const hintsFor = options.hintsFor ?? ['fail', 'warn'];
  const withName = list.some((c) => c.name !== undefined);
  const rows = list.map((c) => [
    statusLabel(c.status, s),
    c.id,
    ...(withName ? [c.name ?? ''] : []),
    c.status === 'skip'
      ? s.dim(c.message)
      : c.code && c.status !== 'pass'
        ? t`${c.message}${s.dim(` [${c.code}]`)}`
        : c.message,
  ]);
  // The hint goes under its row, indented to the message column, wrapped with that indentation.
  const table = tableRows(rows, { width: s.columns });
  return list.flatMap((c, i) => {
    const row = table[i] ?? [];
    if (!c.hint || !hintsFor.includes(c.status)) return row;
    return [...row, ...hang(t`        ${s.dim('hint:')} `, s.dim(c.hint), s.columns)];
  });
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "2 passed, 1 warning, 1 failed, 1 skipped, 2 notes": the same words in every command. */
export function summaryText(checks: readonly Check[]): string {
  const sum = summarize(checks);
  // Linters report only what they found: there, a count of passes would always read "0 passed".
  const parts = [
    ...(sum.pass > 0 ? [`${sum.pass} passed`] : []),
    plural(sum.warn, 'warning'),
    `${sum.fail} failed`,
  ];
  if (sum.skip > 0) parts.push(`${sum.skip} skipped`);
  if (sum.info > 0) parts.push(plural(sum.info, 'note'));
  return parts.join(', ');
}

export function summaryLine(checks: readonly Check[], s: Style): Safe {
  const sum = summarize(checks);
  const text = summaryText(checks);
  return sum.fail > 0 ? s.red.bold(text) : sum.warn > 0 ? s.yellow(text) : s.green(text);
}
