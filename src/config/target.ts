import { TogoError } from '../errors.js';
import { resolveConfig } from './load.js';
import {
  type ConfigOptionValues,
  howToSet,
  isHttpUrl,
  type Settings,
  type SupplyingFile,
} from './resolve.js';

/** Where settings are read from: the environment variables and the working directory. */
export interface Where {
  env: Record<string, string | undefined>;
  cwd: string;
  /** Told which config files supplied settings, so the command can say so. */
  onConfigFiles?: (files: SupplyingFile[]) => void;
  /** Narration on stderr (a command's context has one). */
  note?: (text: string) => void;
}

/**
 * Which provider a command talks to: the positional argument, else the shared configuration
 * (--issuer, TOGO_ISSUER, --env / TOGO_ENV, togo.config.json, the built-in environments).
 */
export async function resolveTarget(
  ctx: Where,
  arg: string | undefined,
  config: ConfigOptionValues,
): Promise<{ issuer: string; settings: Settings }> {
  // The argument is checked as itself: an error about it must not blame --issuer.
  if (arg !== undefined && !isHttpUrl(arg.trim())) {
    throw new TogoError(
      'USAGE',
      `the issuer argument "${arg.length > 60 ? `${arg.slice(0, 57)}...` : arg}" is not an http(s) URL`,
      {
        hint: "Give the provider's issuer URL, e.g. https://id2.runswithtogo.com/identity (or leave it out and use --env).",
      },
    );
  }
  const flags = arg === undefined ? config : { ...config, issuer: arg };
  const { settings } = await resolveConfig({
    flags,
    env: ctx.env,
    cwd: ctx.cwd,
    onConfigFiles: ctx.onConfigFiles,
    ...(ctx.note ? { note: ctx.note } : {}),
  });
  if (!settings.issuer) throw new TogoError('SETTING_MISSING', 'no issuer', { hint: howToSet('issuer') });
  return { issuer: settings.issuer, settings };
}

/**
 * Another provider named by issuer URL or by environment name (for --distinct-keys-from). An
 * environment's own issuer is wanted, so TOGO_ISSUER (which would override it) is left out.
 */
export async function resolveOtherIssuer(
  ctx: Where,
  value: string,
  config: ConfigOptionValues,
): Promise<string> {
  if (/^https?:\/\//i.test(value)) return value;
  const { settings } = await resolveConfig({
    flags: { env: value, ...(config.config ? { config: config.config } : {}) },
    env: { ...ctx.env, TOGO_ISSUER: undefined, TOGO_ENV: undefined },
    cwd: ctx.cwd,
    onConfigFiles: ctx.onConfigFiles,
  });
  if (!settings.issuer) {
    throw new TogoError('SETTING_MISSING', `the environment ${value} has no issuer`, {
      hint: 'Give the other provider as an issuer URL, or add "issuer" to that environment in togo.config.json.',
    });
  }
  return settings.issuer;
}
