import type { ChalkInstance } from 'chalk';

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

/**
 * Plain output: every style is the identity, as chalk at level 0 would be. Output to a pipe or a
 * file needs no more, so chalk (and the terminal detection it loads) is imported only for a terminal.
 */
const plainText = (...text: unknown[]) => text.join(' ');
export const PLAIN: ChalkInstance = new Proxy(plainText, {
  // `then` stays undefined: a thenable would make every `await` of the styles hang.
  get: (_target, prop) => (prop === 'level' ? 0 : prop === 'then' ? undefined : PLAIN),
  apply: (_target, _this, args: unknown[]) => args.join(' '),
}) as unknown as ChalkInstance;

/** The styles for one color level: chalk itself only when there is color to show. */
export async function styleFor(level: ColorLevel): Promise<ChalkInstance> {
  if (level === 0) return PLAIN;
  const { Chalk } = await import('chalk');
  return new Chalk({ level });
}

export type { ChalkInstance };
