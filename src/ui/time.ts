/**
 * A token's time claim on screen: the value, the date and where it stands against now, in the words
 * of oidc/time.ts (which judges it, with the clock skew applied once), marked when it makes the
 * token unusable.
 */
import { relativeWords, type TimeClaim } from '../oidc/time.js';
import type { Style } from './color.js';
import { type Safe, t } from './safe.js';

/** "1735689600  2025-01-01T00:00:00Z  (expired 3 min ago)  EXPIRED". */
export function timeCell(time: TimeClaim, s: Style, options: { mark?: boolean } = {}): Safe {
  const text = t`${time.value}  ${time.iso}  (${relativeWords(time)})`;
  if (options.mark === false) return text;
  if (time.state === 'expired') return t`${text}  ${s.red.bold('EXPIRED')}`;
  if (time.state === 'not-yet-valid') return t`${text}  ${s.red.bold('NOT YET VALID')}`;
  return text;
}
