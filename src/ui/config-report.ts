import type { ResolvedConfig, SourcedKey } from '../config/resolve.js';
import { SETTING_KEYS } from '../config/settings.js';
import type { Style } from './color.js';
import { type Cell, cellText, join, lines, type Safe, t } from './safe.js';
import { renderTable, visibleWidth } from './table.js';

const ROWS: readonly SourcedKey[] = ['environment', ...SETTING_KEYS, 'clientSecret'];

export function renderConfig(resolved: ResolvedConfig, style: Style): Safe {
  const rows = ROWS.map((key) => {
    const raw = resolved.settings[key];
    const value =
      key === 'clientSecret' && resolved.secretWithheld
        ? `(set, withheld: the issuer comes from ${resolved.secretWithheld.file})`
        : key === 'clientSecret' && raw
          ? '(set, not shown)'
          : (raw ?? '');
    const source = resolved.sources[key]?.label ?? '';
    return [key, value === '' ? style.dim('(not set)') : value, value === '' ? '' : style.dim(source)];
  });
  return lines([
    fitsThreeColumns(rows, style.columns)
      ? renderTable(rows, style, ['setting', 'value', 'source'])
      : // A narrow terminal: the source follows its value, wrapped at word and URL boundaries.
        renderTable(
          rows.map(([key, value, source]) => [
            key ?? '',
            source === '' || source === undefined ? (value ?? '') : t`${value ?? ''} (${source})`,
          ]),
          style,
          ['setting', 'value (source)'],
        ),
    t``,
    t`${style.dim('config files:')} ${resolved.files.length > 0 ? resolved.files.join(', ') : 'none found'}`,
    t`${style.dim('environments:')} ${join(
      resolved.environments.map((e) =>
        e.name === resolved.settings.environment ? style.bold(e.name) : e.name,
      ),
      ', ',
    )}`,
  ]);
}

/** Whether setting, value and a source of 20 columns fit side by side (always, for a pipe). */
function fitsThreeColumns(rows: readonly (readonly Cell[])[], columns: number | undefined): boolean {
  if (columns === undefined) return true;
  const widest = (i: number) => Math.max(...rows.map((r) => visibleWidth(cellText(r[i] ?? ''))));
  return widest(0) + 2 + widest(1) + 2 + 20 <= columns;
}

/** One environment as `togo config list` shows it. */
export interface EnvironmentRow {
  name: string;
  current: boolean;
  issuer?: string | undefined;
  clientId?: string | undefined;
  definedIn: string;
  /** Why its settings cannot be resolved (an unknown `extends`, say). */
  problem?: string;
}

export function renderEnvironments(rows: readonly EnvironmentRow[], style: Style): Safe {
  return renderTable(
    rows.map((r) => [
      r.current ? '*' : '',
      r.current ? style.bold(r.name) : r.name,
      r.problem ? style.red(r.problem) : (r.issuer ?? style.dim('(not set)')),
      r.clientId ?? style.dim('(not set)'),
      style.dim(r.definedIn),
    ]),
    style,
    ['', 'environment', 'issuer', 'client', 'defined in'],
  );
}
