import type { Where } from '../../config/target.js';
import { t } from '../../ui/safe.js';
import type { Ctx } from './context.js';

/** Where a command's settings are read from, with its narration: the config layer speaks plain text. */
export function settingsWhere(ctx: Ctx): Where {
  return {
    env: ctx.env,
    cwd: ctx.cwd,
    onConfigFiles: ctx.onConfigFiles,
    note: (text: string) => ctx.note(t`${text}`),
  };
}
