/**
 * The words of progress: what a run is waiting for, said once to a pipe and as a spinner on a
 * terminal. The host and the document come from outside (a URL, discovery) and are escaped.
 */
import type { SlowRequest } from '../http/client.js';
import type { Style } from './color.js';
import { type Safe, t } from './safe.js';
import { visibleWidth } from './table.js';

const FRAMES = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏';

/** Whole seconds, as a person reads a wait: "10 s". */
function seconds(ms: number): string {
  return `${Math.max(0, Math.round(ms / 1000))} s`;
}

/** What a slow request waits for: "waiting for id.example.com: the discovery document". */
export function waitingForRequest(r: SlowRequest): Safe {
  const what = r.what ? t`the ${r.what}` : t`${r.method} ${new URL(r.url).pathname}`;
  return t`waiting for ${r.host}: ${what}`;
}

/** The line for a pipe or a log, printed once: "waiting for …: the JWKS (up to 10 s)…". */
export function waitingLine(what: Safe, limitMs: number | undefined, s: Style): Safe {
  return s.dim(limitMs === undefined ? t`${what}…` : t`${what} (up to ${seconds(limitMs)})…`);
}

/**
 * One frame of the spinner on a terminal: "⠙ waiting for …: the JWKS (3 s of 10 s; Ctrl-C to stop)".
 * It is redrawn in place, so it must fit on one line: on a narrow terminal the aside gets shorter
 * and then what is awaited is cut.
 */
export function spinnerLine(
  frame: number,
  what: Safe,
  waitedMs: number,
  limitMs: number | undefined,
  s: Style,
): Safe {
  const mark = FRAMES[frame % FRAMES.length] ?? '';
  const waited = limitMs === undefined ? seconds(waitedMs) : `${seconds(waitedMs)} of ${seconds(limitMs)}`;
  const room = s.columns === undefined ? Number.POSITIVE_INFINITY : s.columns - 1;
  for (const aside of [`(${waited}; Ctrl-C to stop)`, `(${waited})`]) {
    if (visibleWidth(what.text) + aside.length + 3 <= room) return t`${s.cyan(mark)} ${what} ${s.dim(aside)}`;
  }
  const aside = `(${seconds(waitedMs)})`;
  const fits = Math.max(0, room - aside.length - 4);
  // Cut as text: escaped again, where printable text (all a Safe without styles holds) stays as it is.
  const cut = t`${[...what.text].slice(0, fits).join('')}…`;
  return t`${s.cyan(mark)} ${cut} ${s.dim(aside)}`;
}
