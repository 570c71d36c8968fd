import { TogoError } from '../errors.js';
import { parseConfigFile } from './file.js';
import { BUILTIN_ENVIRONMENT_NAMES, type EnvironmentDef, SETTING_KEYS, type SettingKey } from './settings.js';

/**
 * Changes to a config file's text, as `togo config set|unset|add-env|use` make them. Pure: text in,
 * text out. Keys keep their order (a changed key stays where it was, a new one goes last) and the
 * file keeps its indentation; the result is checked as togo reads it before it is written.
 */
export type ConfigEdit =
  | { kind: 'set'; environment: string; key: SettingKey; value: string }
  | { kind: 'unset'; environment: string; key: SettingKey }
  | { kind: 'add-env'; name: string; values: EnvironmentDef }
  | { kind: 'use'; name: string };

/** Names people use for a setting: `clientId`, `client-id`, `client_id`, `--client-id`. */
export function settingKey(name: string): SettingKey | undefined {
  const camel = name
    .replace(/^--/, '')
    .toLowerCase()
    .replace(/[-_]([a-z])/g, (_, c: string) => c.toUpperCase());
  return SETTING_KEYS.find((k) => k.toLowerCase() === camel.toLowerCase());
}

const SECRET_NAMES = /secret|password|private/i;

/** A key that names a secret: refused with its own sentence, whatever the file. */
export function isSecretName(name: string): boolean {
  return SECRET_NAMES.test(name);
}

export function editConfigText(path: string, text: string | undefined, edit: ConfigEdit): string {
  const doc = text === undefined || text.trim() === '' ? {} : parseDocument(path, text);
  const environments = (doc.environments ?? {}) as Record<string, Record<string, unknown>>;
  const builtin = (name: string) => BUILTIN_ENVIRONMENT_NAMES.includes(name.toLowerCase());
  switch (edit.kind) {
    case 'set': {
      if (builtin(edit.environment)) {
        throw new TogoError(
          'USAGE',
          `${edit.environment} is a built-in environment: togo does not change it`,
          {
            hint: `Add your own on top of it, then make it the default: togo config add-env my-${edit.environment} --extends ${edit.environment} --${kebab(edit.key)} … && togo config use my-${edit.environment}`,
          },
        );
      }
      environments[edit.environment] = { ...(environments[edit.environment] ?? {}), [edit.key]: edit.value };
      doc.environments = environments;
      break;
    }
    case 'unset': {
      const env = environments[edit.environment];
      if (env) delete env[edit.key];
      break;
    }
    case 'add-env': {
      if (builtin(edit.name)) {
        throw new TogoError('USAGE', `${edit.name} is a built-in environment name`, {
          hint: `Choose another name; --extends ${edit.name.toLowerCase()} starts from the built-in one.`,
        });
      }
      if (Object.hasOwn(environments, edit.name)) {
        throw new TogoError('USAGE', `${path} already defines the environment ${edit.name}`, {
          hint: `Change one setting with: togo config set KEY VALUE --env ${edit.name}`,
        });
      }
      environments[edit.name] = { ...edit.values };
      doc.environments = environments;
      break;
    }
    case 'use':
      doc.defaultEnvironment = edit.name;
      break;
  }
  const out = `${JSON.stringify(doc, null, indentOf(text))}\n`;
  // What is written must read back: the same checks as every command's.
  parseConfigFile(path, out);
  return out;
}

function parseDocument(path: string, text: string): Record<string, unknown> {
  parseConfigFile(path, text); // a broken file is reported as it is when read, and left as it is
  return JSON.parse(text.replace(/^\uFEFF/, '')) as Record<string, unknown>;
}

/** The file's own indentation (the first indented line), else two spaces. */
function indentOf(text: string | undefined): string | number {
  const m = text === undefined ? null : /\n([ \t]+)\S/.exec(text);
  return m?.[1] ?? 2;
}

function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
