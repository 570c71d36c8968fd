import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { TogoError } from '../errors.js';
import { CONFIG_FILE_NAME, type ConfigFile, type ConfigOrigin, parseConfigFile } from './file.js';
import { type ConfigFlags, type ResolvedConfig, resolveSettings, type SupplyingFile } from './resolve.js';
import { ENV_VARS } from './settings.js';

export interface ResolveConfigInput {
  flags?: ConfigFlags & { config?: string };
  env: Record<string, string | undefined>;
  cwd: string;
  /** The user's config directory; defaults to $XDG_CONFIG_HOME, %APPDATA% or ~/.config. */
  configHome?: string;
  /** Told which config files supplied settings (to say so on stderr and in --json). */
  onConfigFiles?: (files: SupplyingFile[]) => void;
  /** Told once when nothing chose an environment and the default one is used. */
  note?: (text: string) => void;
}

/**
 * Reads the config files and resolves the settings (see resolveSettings for the precedence).
 *
 * Files: `--config <file>` or TOGO_CONFIG alone when given (and it must exist); otherwise
 * `./togo.config.json`, then `<configHome>/togo/togo.config.json`, each optional. A file that
 * exists but is malformed is an error (exit 2) naming the file.
 */
export async function resolveConfig(input: ResolveConfigInput): Promise<ResolvedConfig> {
  const files = await loadConfigFiles(input);
  const resolved = resolveSettings({ flags: input.flags ?? {}, env: input.env, files });
  if (resolved.supplyingFiles.length > 0) input.onConfigFiles?.(resolved.supplyingFiles);
  if (input.note && resolved.sources.environment?.kind === 'default') {
    input.note(
      `Nothing configured: using the ${resolved.settings.environment} environment (${resolved.settings.issuer}). Choose another with --env or TOGO_ENV; \`togo config\` shows the settings.`,
    );
  }
  return resolved;
}

/** The candidate config file paths, highest precedence first, and whether they must exist. */
export function configFilePaths(
  input: ResolveConfigInput,
): { path: string; required: boolean; origin: ConfigOrigin }[] {
  const explicit = input.flags?.config?.trim() || input.env[ENV_VARS.configFile]?.trim();
  if (explicit) {
    return [
      {
        path: isAbsolute(explicit) ? explicit : resolve(input.cwd, explicit),
        required: true,
        origin: 'named',
      },
    ];
  }
  const home = input.configHome ?? defaultConfigHome(input.env);
  const user = join(home, 'togo', CONFIG_FILE_NAME);
  const here = join(input.cwd, CONFIG_FILE_NAME);
  return [
    // The working directory may be the user's config directory: then the file is theirs.
    { path: here, required: false, origin: here === user ? 'user' : 'directory' },
    { path: user, required: false, origin: 'user' },
  ];
}

export async function loadConfigFiles(input: ResolveConfigInput): Promise<ConfigFile[]> {
  const out: ConfigFile[] = [];
  const seen = new Set<string>();
  for (const { path, required, origin } of configFilePaths(input)) {
    if (seen.has(path)) continue; // the working directory may be the config directory
    seen.add(path);
    let text: string;
    try {
      // Read synchronously: at most two small files, and loading node:fs/promises costs a start
      // about a millisecond.
      text = readFileSync(path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (!required && code === 'ENOENT') continue;
      throw new TogoError('INPUT_UNREADABLE', `cannot read the config file ${path} (${code ?? 'error'})`, {
        cause: error,
      });
    }
    out.push(parseConfigFile(path, text, origin));
  }
  return out;
}

/** The XDG base directory rule, with Windows' %APPDATA%. */
export function defaultConfigHome(
  env: Record<string, string | undefined>,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  const xdg = env.XDG_CONFIG_HOME?.trim();
  if (xdg && isAbsolute(xdg)) return xdg;
  if (platform === 'win32' && env.APPDATA) return env.APPDATA;
  return join(home, '.config');
}
