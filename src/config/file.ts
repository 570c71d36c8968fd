import { TogoError } from '../errors.js';
import { BUILTIN_ENVIRONMENT_NAMES, type EnvironmentDef, SETTING_KEYS, type SettingKey } from './settings.js';

/** The name togo looks for in the working directory and in the user's config directory. */
export const CONFIG_FILE_NAME = 'togo.config.json';

/**
 * Who chose a config file: `named` (--config or TOGO_CONFIG), `user` (the user's config directory),
 * `directory` (./togo.config.json, found in the working directory: maybe a cloned repository, so
 * never trusted to choose where secrets go).
 */
export type ConfigOrigin = 'named' | 'user' | 'directory';

/** A config file after checking: where it came from and the environments it names. */
export interface ConfigFile {
  path: string;
  /** Unknown (a file parsed on its own) counts as `directory`: the least trusted. */
  origin?: ConfigOrigin;
  defaultEnvironment?: string;
  environments: Record<string, EnvironmentDef>;
}

const TOP_KEYS = ['$schema', 'defaultEnvironment', 'environments'];
const ENV_KEYS: readonly string[] = [...SETTING_KEYS, 'extends', 'description'];
const ENV_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
/** Keys people reach for that must never live in a file that may be committed. */
const SECRET_KEYS = ['clientSecret', 'client_secret', 'secret', 'password'];

/**
 * Checks a config file's text and returns its environments. Every problem is a CONFIG_INVALID
 * error (exit 2) that names the file and the exact place, so the fix is obvious.
 */
export function parseConfigFile(path: string, text: string, origin?: ConfigOrigin): ConfigFile {
  const fail = (problem: string, hint?: string): never => {
    throw new TogoError('CONFIG_INVALID', `${path}: ${problem}`, hint ? { hint } : {});
  };
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    fail(`not valid JSON (${(error as Error).message})`);
  }
  if (!isPlainObject(doc)) return fail('the file must hold a JSON object');

  for (const key of Object.keys(doc)) {
    if (!TOP_KEYS.includes(key)) {
      fail(
        `unknown key "${key}"`,
        `Top-level keys are ${TOP_KEYS.filter((k) => k !== '$schema').join(', ')}.`,
      );
    }
  }
  const out: ConfigFile = { path, ...(origin ? { origin } : {}), environments: {} };
  if (doc.defaultEnvironment !== undefined) {
    if (typeof doc.defaultEnvironment !== 'string' || !ENV_NAME.test(doc.defaultEnvironment)) {
      fail('"defaultEnvironment" must be the name of an environment');
    }
    out.defaultEnvironment = doc.defaultEnvironment as string;
  }
  if (doc.environments === undefined) return out;
  if (!isPlainObject(doc.environments)) return fail('"environments" must be an object of named environments');

  for (const [name, def] of Object.entries(doc.environments)) {
    const where = `environments.${name}`;
    if (!ENV_NAME.test(name)) {
      fail(`environment name "${name}" must be letters, digits, ".", "_" or "-"`);
    }
    if (BUILTIN_ENVIRONMENT_NAMES.includes(name.toLowerCase())) {
      fail(
        `environments.${name}: "${name}" is a built-in environment and cannot be redefined by a file`,
        `Give yours another name, with "extends": "${name.toLowerCase()}" to start from the built-in one.`,
      );
    }
    if (!isPlainObject(def)) return fail(`${where} must be an object`);
    const env: EnvironmentDef = {};
    for (const [key, value] of Object.entries(def)) {
      if (SECRET_KEYS.includes(key)) {
        fail(
          `${where}.${key}: secrets are not read from files`,
          'Set TOGO_CLIENT_SECRET in the environment instead, and keep the secret out of the file.',
        );
      }
      if (!ENV_KEYS.includes(key)) {
        const near = suggest(key, ENV_KEYS);
        fail(
          `${where}: unknown key "${key}"${near ? ` (did you mean "${near}"?)` : ''}`,
          `An environment may set ${ENV_KEYS.join(', ')}.`,
        );
      }
      if (key === 'scope' && Array.isArray(value) && value.every((v) => typeof v === 'string')) {
        env.scope = value.join(' ');
        continue;
      }
      if (typeof value !== 'string') {
        fail(`${where}.${key} must be a string${key === 'scope' ? ' or an array of strings' : ''}`);
      }
      (env as Record<string, string>)[key as SettingKey | 'extends' | 'description'] = value as string;
    }
    out.environments[name] = env;
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The closest known key when it is a likely typo (case or one or two edits away). */
export function suggest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const d = distance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  // A name given without its prefix or suffix: `staging` for `togo-staging`.
  if (best === undefined && key.length >= 3) {
    const parts = (name: string) => name.toLowerCase().split(/[-_.]/);
    const matches = known.filter((c) => parts(c).includes(key.toLowerCase()));
    if (matches.length === 1) best = matches[0];
  }
  return best;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}
