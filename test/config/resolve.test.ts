import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfigFile } from '../../src/config/file.js';
import { configFilePaths, defaultConfigHome, resolveConfig } from '../../src/config/load.js';
import { normaliseResponseType, resolveSettings } from '../../src/config/resolve.js';

const file = (
  environments: Record<string, Record<string, unknown>>,
  extra: Record<string, unknown> = {},
  path = '/p/togo.config.json',
) => parseConfigFile(path, JSON.stringify({ environments, ...extra }));

describe('choosing the environment', () => {
  it('uses togo-production when nothing is said', () => {
    const r = resolveSettings({ env: {} });
    expect(r.settings.environment).toBe('togo-production');
    expect(r.settings.issuer).toBe('https://id2.runswithtogo.com/identity');
    expect(r.settings.flavor).toBe('togo');
    expect(r.settings.loginBase).toBe('https://id2.runswithtogo.com/identity');
    expect(r.settings.authorizationEndpoint).toBe('https://id2.runswithtogo.com/identity/connect/authorize');
    expect(r.sources.environment).toEqual({ kind: 'default', label: 'default' });
    expect(r.sources.loginBase?.kind).toBe('derived');
  });

  it('does not inherit Togo settings when only an issuer is given', () => {
    const r = resolveSettings({ env: { TOGO_ISSUER: 'https://tenant.logto.app/oidc' } });
    expect(r.settings.environment).toBeUndefined();
    expect(r.settings.flavor).toBe('standard');
    expect(r.settings.responseType).toBe('code');
    expect(r.settings.scope).toBe('openid');
    expect(r.settings.authorizationEndpoint).toBeUndefined();
  });

  it('prefers --env over TOGO_ENV over the file default', () => {
    const files = [file({ dev: { extends: 'togo-staging' } }, { defaultEnvironment: 'dev' })];
    expect(resolveSettings({ env: {}, files }).settings.environment).toBe('dev');
    expect(resolveSettings({ env: { TOGO_ENV: 'mock' }, files }).settings.environment).toBe('mock');
    expect(
      resolveSettings({ env: { TOGO_ENV: 'mock' }, files, flags: { env: 'togo-staging' } }).settings
        .environment,
    ).toBe('togo-staging');
  });

  it('knows togo-staging and mock', () => {
    expect(resolveSettings({ env: { TOGO_ENV: 'togo-staging' } }).settings.issuer).toBe(
      'https://id2-staging.runswithtogo.com',
    );
    const mock = resolveSettings({ env: { TOGO_ENV: 'mock' } }).settings;
    expect(mock).toMatchObject({
      issuer: 'http://127.0.0.1:4444/identity',
      clientId: 'togo-cli',
      redirectUri: 'http://127.0.0.1/callback',
      flavor: 'togo',
      responseType: 'id_token',
    });
  });

  it('points mock at TOGO_MOCK_ISSUER', () => {
    const r = resolveSettings({
      env: { TOGO_ENV: 'mock', TOGO_MOCK_ISSUER: 'http://127.0.0.1:5555/identity' },
    });
    expect(r.settings.issuer).toBe('http://127.0.0.1:5555/identity');
    expect(r.settings.authorizationEndpoint).toBe('http://127.0.0.1:5555/identity/connect/authorize');
  });

  it('refuses an unknown environment and lists the known ones', () => {
    expect(() => resolveSettings({ env: {}, flags: { env: 'prod' } })).toThrow(
      expect.objectContaining({
        code: 'USAGE',
        hint: expect.stringContaining('togo-production, togo-staging, mock'),
      }),
    );
  });
});

describe('precedence of settings', () => {
  const files = [
    file(
      { dev: { extends: 'togo-staging', clientId: 'from-cwd', scope: ['openid', 'email'] } },
      {},
      '/cwd/togo.config.json',
    ),
    file(
      { dev: { clientId: 'from-user', redirectUri: 'https://user.example/cb' } },
      {},
      '/home/togo.config.json',
    ),
  ];

  it('takes flags over environment variables over files over built-ins', () => {
    const env = { TOGO_ENV: 'dev', TOGO_CLIENT_ID: 'from-env', TOGO_REDIRECT_URI: 'https://env.example/cb' };
    const r = resolveSettings({ env, files, flags: { clientId: 'from-flag' } });
    expect(r.settings.clientId).toBe('from-flag');
    expect(r.sources.clientId).toEqual({ kind: 'flag', label: '--client-id' });
    expect(r.settings.redirectUri).toBe('https://env.example/cb');
    expect(r.sources.redirectUri).toEqual({ kind: 'env', label: 'TOGO_REDIRECT_URI' });
    expect(r.settings.scope).toBe('openid email');
    expect(r.sources.scope?.label).toBe('/cwd/togo.config.json (environment "dev")');
    expect(r.settings.issuer).toBe('https://id2-staging.runswithtogo.com');
    expect(r.sources.issuer?.label).toBe('built-in environment "togo-staging"');
  });

  it('takes the working directory file over the user file', () => {
    const r = resolveSettings({ env: { TOGO_ENV: 'dev' }, files });
    expect(r.settings.clientId).toBe('from-cwd');
    expect(r.settings.redirectUri).toBe('https://user.example/cb');
    expect(r.sources.redirectUri?.path).toBe('/home/togo.config.json');
  });

  it('refuses a file that redefines a built-in environment, and lets one extend it under its own name', () => {
    for (const name of ['togo-production', 'togo-staging', 'mock', 'Togo-Production']) {
      expect(() => file({ [name]: { issuer: 'https://evil.example' } })).toThrow(/built-in environment/);
    }
    const r = resolveSettings({
      env: { TOGO_ENV: 'prod-renamed' },
      files: [
        file({
          'prod-renamed': {
            extends: 'togo-production',
            issuer: 'https://id.togo.example/identity',
            clientId: 'mine',
          },
        }),
      ],
    });
    expect(r.settings.issuer).toBe('https://id.togo.example/identity');
    expect(r.settings.loginBase).toBe('https://id.togo.example/identity');
    expect(r.settings.flavor).toBe('togo');
    expect(r.settings.clientId).toBe('mine');
  });

  it('reads every setting from its TOGO_* variable', () => {
    const r = resolveSettings({
      env: {
        TOGO_ISSUER: 'https://idp.example',
        TOGO_LOGIN_BASE: 'https://login.example/',
        TOGO_AUTHORIZATION_ENDPOINT: 'https://idp.example/authorize',
        TOGO_CLIENT_ID: 'c',
        TOGO_REDIRECT_URI: 'http://127.0.0.1/cb',
        TOGO_SCOPE: 'openid  email',
        TOGO_RESPONSE_TYPE: 'token id_token',
        TOGO_RESPONSE_MODE: 'form_post',
        TOGO_FLAVOR: 'togo',
        TOGO_PROFILE: 'p',
        TOGO_BEHAVIOUR_PROFILE: 'b',
        TOGO_CLIENT_SECRET: 's3cret',
      },
    });
    expect(r.settings).toEqual({
      issuer: 'https://idp.example',
      loginBase: 'https://login.example',
      authorizationEndpoint: 'https://idp.example/authorize',
      clientId: 'c',
      redirectUri: 'http://127.0.0.1/cb',
      scope: 'openid email',
      responseType: 'id_token token',
      responseMode: 'form_post',
      flavor: 'togo',
      profile: 'p',
      behaviourProfile: 'b',
      clientSecret: 's3cret',
    });
    expect(r.sources.clientSecret).toEqual({ kind: 'env', label: 'TOGO_CLIENT_SECRET' });
  });

  it('names the source of a bad value', () => {
    expect(() => resolveSettings({ env: { TOGO_FLAVOR: 'auth0' } })).toThrow(
      /TOGO_FLAVOR: flavor must be togo or standard/,
    );
    expect(() => resolveSettings({ env: {}, flags: { issuer: 'id2.runswithtogo.com' } })).toThrow(
      /--issuer: .* not an http/,
    );
    expect(() => resolveSettings({ env: {}, flags: { responseType: 'code banana' } })).toThrow(
      /unknown response type/,
    );
    expect(() => resolveSettings({ env: {}, flags: { responseMode: 'post' } })).toThrow(
      /response mode must be/,
    );
    expect(() =>
      resolveSettings({ env: { TOGO_ENV: 'x' }, files: [file({ x: { redirectUri: 'not a uri' } })] }),
    ).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        message: expect.stringContaining('/p/togo.config.json'),
      }),
    );
  });

  it('detects environments that extend each other in a circle', () => {
    const files = [file({ a: { extends: 'b' }, b: { extends: 'a' } })];
    expect(() => resolveSettings({ env: { TOGO_ENV: 'a' }, files })).toThrow(/a → b → a/);
  });

  it('lists every environment with where it is defined', () => {
    const r = resolveSettings({ env: {}, files: [file({ dev: { description: 'mine' } })] });
    expect(r.environments.map((e) => `${e.name}@${e.definedIn}`)).toEqual([
      'dev@/p/togo.config.json',
      'togo-production@built-in',
      'togo-staging@built-in',
      'mock@built-in',
    ]);
  });
});

describe('response types', () => {
  it('accepts any order of the values and spells them canonically', () => {
    expect(normaliseResponseType('token id_token code')).toBe('code id_token token');
    expect(normaliseResponseType('id_token+token')).toBe('id_token token');
    expect(normaliseResponseType('code code')).toBeUndefined();
  });
});

describe('malformed config files', () => {
  const parse = (text: string) => () => parseConfigFile('/w/togo.config.json', text);

  it.each([
    ['not JSON', '{ environments: ', /\/w\/togo\.config\.json: not valid JSON/],
    ['an array', '[]', /must hold a JSON object/],
    ['an unknown top-level key', '{"envs": {}}', /unknown key "envs"/],
    ['environments that are not an object', '{"environments": []}', /"environments" must be an object/],
    [
      'an environment that is not an object',
      '{"environments": {"dev": "x"}}',
      /environments.dev must be an object/,
    ],
    [
      'a misspelt key',
      '{"environments": {"dev": {"clientID": "x"}}}',
      /unknown key "clientID" \(did you mean "clientId"\?\)/,
    ],
    [
      'the American spelling',
      '{"environments": {"dev": {"behaviorProfile": "x"}}}',
      /did you mean "behaviourProfile"/,
    ],
    ['a number', '{"environments": {"dev": {"clientId": 5}}}', /environments.dev.clientId must be a string/],
    ['a secret', '{"environments": {"dev": {"clientSecret": "x"}}}', /secrets are not read from files/],
    ['a bad environment name', '{"environments": {"a b": {}}}', /environment name "a b"/],
    ['a bad default', '{"defaultEnvironment": 3}', /defaultEnvironment/],
  ])('refuses %s, naming the file', (_name, text, message) => {
    expect(parse(text)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', exitCode: 2 }));
    expect(parse(text)).toThrow(message);
  });

  it('accepts a byte order mark and $schema', () => {
    expect(parseConfigFile('/f', '\uFEFF{"$schema": "x", "environments": {}}').environments).toEqual({});
  });
});

describe('finding config files', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads ./togo.config.json and <configHome>/togo/togo.config.json, the working directory first', async () => {
    dir = mkdtempSync(join(tmpdir(), 'togo-config-'));
    const cwd = join(dir, 'project');
    const home = join(dir, 'config');
    mkdirSync(cwd);
    mkdirSync(join(home, 'togo'), { recursive: true });
    writeFileSync(
      join(cwd, 'togo.config.json'),
      JSON.stringify({ environments: { dev: { clientId: 'project' } } }),
    );
    writeFileSync(
      join(home, 'togo', 'togo.config.json'),
      JSON.stringify({
        defaultEnvironment: 'dev',
        environments: { dev: { clientId: 'user', issuer: 'https://u.example' } },
      }),
    );
    const r = await resolveConfig({ env: {}, cwd, configHome: home });
    expect(r.files).toEqual([join(cwd, 'togo.config.json'), join(home, 'togo', 'togo.config.json')]);
    expect(r.settings).toMatchObject({
      environment: 'dev',
      clientId: 'project',
      issuer: 'https://u.example',
    });
  });

  it('reads only the file --config or TOGO_CONFIG names, which must exist', async () => {
    dir = mkdtempSync(join(tmpdir(), 'togo-config-'));
    writeFileSync(join(dir, 'other.json'), JSON.stringify({ environments: { x: { clientId: 'other' } } }));
    const r = await resolveConfig({ env: { TOGO_ENV: 'x', TOGO_CONFIG: 'other.json' }, cwd: dir });
    expect(r.settings.clientId).toBe('other');
    await expect(
      resolveConfig({ env: {}, cwd: dir, flags: { config: 'missing.json' } }),
    ).rejects.toMatchObject({
      code: 'INPUT_UNREADABLE',
      exitCode: 2,
    });
  });

  it('follows XDG_CONFIG_HOME, then %APPDATA% on Windows, then ~/.config', () => {
    expect(defaultConfigHome({ XDG_CONFIG_HOME: '/x' }, 'linux', '/h')).toBe('/x');
    expect(defaultConfigHome({ APPDATA: 'C:\\AppData' }, 'win32', '/h')).toBe('C:\\AppData');
    expect(defaultConfigHome({}, 'linux', '/h')).toBe('/h/.config');
    expect(configFilePaths({ env: {}, cwd: '/w', configHome: '/c' }).map((p) => p.path)).toEqual([
      '/w/togo.config.json',
      '/c/togo/togo.config.json',
    ]);
  });
});
