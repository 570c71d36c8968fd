import type { ChalkInstance } from 'chalk';
import { type Cell, cellText, type Safe, trusted } from './safe.js';

export type ColorLevel = 0 | 1 | 2 | 3;

export interface ColorStream {
  isTTY?: boolean;
}

/**
 * Decides the color level once, for one output stream. chalk does not read NO_COLOR itself, so the
 * rules live here: --no-color, then NO_COLOR (https://no-color.org), then FORCE_COLOR, then whether
 * the stream is a terminal. Output to a pipe or a file stays plain.
 */
export function colorLevel(
  stream: ColorStream,
  env: Record<string, string | undefined>,
  noColorFlag = false,
): ColorLevel {
  if (noColorFlag) return 0;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '' || force === 'true' || force === '1') return 1;
    if (force === '0' || force === 'false') return 0;
    if (force === '2') return 2;
    if (force === '3') return 3;
    return 1;
  }
  if (!stream.isTTY || env.TERM === 'dumb') return 0;
  if (env.COLORTERM === 'truecolor' || env.COLORTERM === '24bit') return 3;
  if (env.TERM?.includes('256')) return 2;
  return 1;
}

const STYLE_NAMES = [
  'bold',
  'dim',
  'italic',
  'underline',
  'inverse',
  'red',
  'green',
  'yellow',
  'blue',
  'magenta',
  'cyan',
  'gray',
] as const;
type StyleName = (typeof STYLE_NAMES)[number];

/**
 * togo's styles: chalk's, taking Safe or plain text (escaped first) and giving Safe, so the styling
 * is applied after the escaping and never to raw outside text. Carries the width of the terminal
 * the output goes to (undefined for a pipe or a file, whose output is never wrapped).
 */
export type Style = ((...text: Cell[]) => Safe) & {
  readonly [K in StyleName]: Style;
} & {
  readonly level: ColorLevel;
  /** Columns of the terminal the output goes to; undefined when it is not a terminal. */
  readonly columns: number | undefined;
};

type Paint = (text: string) => string;

function makeStyle(
  paint: Paint | undefined,
  chain: ChalkInstance | undefined,
  level: ColorLevel,
  columns: number | undefined,
): Style {
  const apply = (...text: Cell[]) => {
    const joined = text.length === 1 ? cellText(text[0] ?? '') : text.map(cellText).join(' ');
    return trusted(paint ? paint(joined) : joined);
  };
  const children = new Map<string, Style>();
  return new Proxy(apply, {
    get: (_target, prop) => {
      if (prop === 'level') return level;
      if (prop === 'columns') return columns;
      if (typeof prop === 'string' && (STYLE_NAMES as readonly string[]).includes(prop)) {
        let child = children.get(prop);
        if (!child) {
          const next = chain?.[prop as StyleName];
          child = makeStyle(next, next, level, columns);
          children.set(prop, child);
        }
        return child;
      }
      // `then` stays undefined: a thenable would make every `await` of the styles hang.
      return undefined;
    },
  }) as unknown as Style;
}

/** Plain output: every style only escapes, as chalk at level 0 would add nothing. */
export function plainStyle(columns?: number): Style {
  return makeStyle(undefined, undefined, 0, columns);
}

/** Plain output without wrapping: for pipes, files, and tests of the renderers. */
export const PLAIN: Style = plainStyle();

/**
 * The styles for one color level and terminal width: chalk itself only when there is color to show.
 * Output to a pipe or a file needs no more, so chalk (and the terminal detection it loads) is
 * imported only for a terminal.
 */
export async function styleFor(level: ColorLevel, columns?: number): Promise<Style> {
  if (level === 0) return plainStyle(columns);
  const { Chalk } = await import('chalk');
  const chalk = new Chalk({ level });
  return makeStyle(undefined, chalk, level, columns);
}
