import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { type ConfigEdit, editConfigText, isSecretName, settingKey } from '../../config/edit.js';
import { CONFIG_FILE_NAME, suggest } from '../../config/file.js';
import { defaultConfigHome, loadConfigFiles, resolveConfig } from '../../config/load.js';
import { type ConfigOptionValues, resolveSettings } from '../../config/resolve.js';
import { ENV_VARS, type EnvironmentDef, SETTING_KEYS, SETTINGS } from '../../config/settings.js';
import { TogoError } from '../../errors.js';
import { type EnvironmentRow, renderConfig, renderEnvironments } from '../../ui/config-report.js';
import { t } from '../../ui/safe.js';
import type { Ctx } from '../shared/context.js';
import { writeSettingsFile } from '../shared/files.js';
import { CONFIG_ACTIONS, type ConfigEditFlags } from './command.js';

export async function configCommand(
  ctx: Ctx,
  flags: ConfigOptionValues,
  action = 'show',
  args: string[] = [],
  edit: ConfigEditFlags = {},
): Promise<number> {
  switch (action) {
    case 'show':
      expectArgs(action, args, 0);
      return show(ctx, flags);
    case 'list':
      expectArgs(action, args, 0);
      return list(ctx, flags);
    case 'set':
    case 'unset':
    case 'add-env':
    case 'use':
      return change(ctx, flags, action, args, edit);
    default: {
      const near = suggest(action, CONFIG_ACTIONS);
      throw new TogoError(
        'USAGE',
        `unknown config action "${action}"${near ? ` (did you mean "${near}"?)` : ''}`,
        {
          hint: `Actions: ${CONFIG_ACTIONS.join(', ')}. Run \`togo config --help\` for each one's arguments.`,
        },
      );
    }
  }
}

const USAGE: Record<string, string> = {
  show: 'togo config',
  list: 'togo config list',
  set: 'togo config set KEY VALUE',
  unset: 'togo config unset KEY',
  'add-env': 'togo config add-env NAME --issuer URL --client-id ID',
  use: 'togo config use NAME',
};

function expectArgs(action: string, args: readonly string[], count: number): void {
  if (args.length !== count) {
    throw new TogoError(
      'USAGE',
      `config ${action} takes ${count === 0 ? 'no arguments' : `${count} argument${count > 1 ? 's' : ''}`}, not ${args.length}`,
      {
        hint: `Usage: ${USAGE[action] ?? 'togo config --help'}`,
      },
    );
  }
}

async function show(ctx: Ctx, flags: ConfigOptionValues): Promise<number> {
  const resolved = await resolveConfig({
    flags,
    env: ctx.env,
    cwd: ctx.cwd,
    onConfigFiles: ctx.onConfigFiles,
  });
  const { clientSecret, ...settings } = resolved.settings;
  if (ctx.json) {
    ctx.printJson({
      ok: true,
      environment: settings.environment ?? null,
      settings: {
        ...settings,
        ...(clientSecret ? { clientSecret: '(set)' } : {}),
        ...(resolved.secretWithheld ? { clientSecret: '(set, withheld)' } : {}),
      },
      ...(resolved.secretWithheld ? { secretWithheld: resolved.secretWithheld } : {}),
      sources: resolved.sources,
      files: resolved.files,
      environments: resolved.environments,
    });
    return 0;
  }
  ctx.print(renderConfig(resolved, ctx.style));
  return 0;
}

/** Every environment with its own issuer and client (flags and TOGO_* aside), the current one marked. */
async function list(ctx: Ctx, flags: ConfigOptionValues): Promise<number> {
  const input = { flags, env: ctx.env, cwd: ctx.cwd };
  const files = await loadConfigFiles(input);
  const current = resolveSettings({ flags, env: ctx.env, files }).settings.environment;
  // The environment's own values: only TOGO_MOCK_ISSUER, which defines where `mock` is, is read.
  const own = { [ENV_VARS.mockIssuer]: ctx.env[ENV_VARS.mockIssuer] };
  const rows: EnvironmentRow[] = resolveSettings({ env: own, files }).environments.map((e) => {
    try {
      const s = resolveSettings({ flags: { env: e.name }, env: own, files }).settings;
      return {
        name: e.name,
        current: e.name === current,
        issuer: s.issuer,
        clientId: s.clientId,
        definedIn: e.definedIn,
      };
    } catch (error) {
      return {
        name: e.name,
        current: e.name === current,
        definedIn: e.definedIn,
        problem: (error as Error).message,
      };
    }
  });
  if (ctx.json) ctx.printJson({ ok: true, current: current ?? null, environments: rows });
  else ctx.print(renderEnvironments(rows, ctx.style));
  return 0;
}

/** The file a change goes to: --project's, the one --config or TOGO_CONFIG names, else the user's. */
function targetFile(ctx: Ctx, flags: ConfigOptionValues, edit: ConfigEditFlags): string {
  if (edit.project) return join(ctx.cwd, CONFIG_FILE_NAME);
  const named = flags.config?.trim() || ctx.env[ENV_VARS.configFile]?.trim();
  if (named) return isAbsolute(named) ? named : resolve(ctx.cwd, named);
  return join(defaultConfigHome(ctx.env), 'togo', CONFIG_FILE_NAME);
}

async function change(
  ctx: Ctx,
  flags: ConfigOptionValues,
  action: 'set' | 'unset' | 'add-env' | 'use',
  args: string[],
  edit: ConfigEditFlags,
): Promise<number> {
  const file = targetFile(ctx, flags, edit);
  // --env names the environment to change, which may not exist yet: not a selection to resolve.
  const { env: _named, ...others } = flags;
  const resolved = await resolveConfig({ flags: others, env: ctx.env, cwd: ctx.cwd });
  const known = resolved.environments.map((e) => e.name);
  const { request, said } =
    action === 'use'
      ? useRequest(args, known)
      : action === 'add-env'
        ? addEnvRequest(ctx, flags, args, edit, known)
        : settingRequest(ctx, action, args, flags.env?.trim() || resolved.settings.environment);
  const changed = applyEdit(file, request);
  if (ctx.json) ctx.printJson({ ok: true, action, file, changed, edit: request });
  else ctx.print(t`${said} (${file})`);
  return 0;
}

/** An edit of the config file, and the line that says it. */
interface Change {
  request: ConfigEdit;
  said: string;
}

function useRequest(args: string[], known: string[]): Change {
  expectArgs('use', args, 1);
  const name = args[0] as string;
  mustKnow(known, name, 'config use:');
  return { request: { kind: 'use', name }, said: `default environment: ${name}` };
}

function addEnvRequest(
  ctx: Ctx,
  flags: ConfigOptionValues,
  args: string[],
  edit: ConfigEditFlags,
  known: string[],
): Change {
  expectArgs('add-env', args, 1);
  const name = args[0] as string;
  const values: EnvironmentDef = {};
  if (edit.extends) {
    mustKnow(known, edit.extends, '--extends');
    values.extends = edit.extends;
  }
  if (edit.description) values.description = edit.description;
  for (const key of SETTING_KEYS) {
    const v = flags[key]?.trim();
    if (v) values[key] = refuseSecretValue(ctx, SETTINGS[key].flag, v);
  }
  if (!values.issuer && !values.extends) {
    throw new TogoError('USAGE', `config add-env ${name} needs --issuer (or --extends an environment)`, {
      hint: `Usage: ${USAGE['add-env']}`,
    });
  }
  return { request: { kind: 'add-env', name, values }, said: `added environment ${name}` };
}

/** `set` or `unset` of one setting in the environment --env names, else the selected one. */
function settingRequest(
  ctx: Ctx,
  action: 'set' | 'unset',
  args: string[],
  environment: string | undefined,
): Change {
  expectArgs(action, args, action === 'set' ? 2 : 1);
  const name = args[0] as string;
  if (isSecretName(name)) {
    throw new TogoError('USAGE', `togo never writes a secret into a config file (${name})`, {
      hint: `Keep it in the environment: export ${ENV_VARS.clientSecret}=…`,
    });
  }
  const key = settingKey(name);
  if (!key) {
    const near = suggest(name, SETTING_KEYS);
    throw new TogoError('USAGE', `"${name}" is not a setting${near ? ` (did you mean "${near}"?)` : ''}`, {
      hint: `Settings: ${SETTING_KEYS.join(', ')}.`,
    });
  }
  if (!environment) {
    throw new TogoError('USAGE', `no environment is selected: config ${action} changes one`, {
      hint: `Name it with --env NAME, or choose a default: ${USAGE.use}`,
    });
  }
  if (action === 'unset') {
    return { request: { kind: 'unset', environment, key }, said: `${environment}.${key} removed` };
  }
  const value = refuseSecretValue(ctx, name, args[1] as string);
  return { request: { kind: 'set', environment, key, value }, said: `${environment}.${key} = ${value}` };
}

function mustKnow(known: string[], name: string, what: string): void {
  if (known.includes(name)) return;
  const near = suggest(name, known);
  throw new TogoError(
    'USAGE',
    `${what} "${name}" is not an environment${near ? ` (did you mean "${near}"?)` : ''}`,
    {
      hint: `Known environments: ${known.join(', ')}. Add one with: ${USAGE['add-env']}`,
    },
  );
}

/** Writes the edited file when the edit changes it; says whether it did. */
function applyEdit(file: string, request: ConfigEdit): boolean {
  const text = readConfig(file);
  const next = editConfigText(file, text, request);
  if (next === text) return false;
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  } catch {
    // writing says why
  }
  writeSettingsFile(file, next);
  return true;
}

/** A value that holds TOGO_CLIENT_SECRET is a secret pasted by mistake: never written to a file. */
function refuseSecretValue(ctx: Ctx, name: string, value: string): string {
  const secret = ctx.env[ENV_VARS.clientSecret]?.trim();
  if (secret && secret.length >= 4 && value.includes(secret)) {
    throw new TogoError(
      'USAGE',
      `the value for ${name} holds ${ENV_VARS.clientSecret}: togo never writes a secret into a config file`,
      {
        hint: `Keep the secret in the environment (${ENV_VARS.clientSecret}) and give ${name} its own value.`,
      },
    );
  }
  return value;
}

function readConfig(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new TogoError('INPUT_UNREADABLE', `cannot read the config file ${file} (${code ?? 'error'})`, {
      cause: error,
    });
  }
}
