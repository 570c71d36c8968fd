/**
 * Every hint names something that works. Each `togo …` command quoted in togo's own words (error
 * hints in src/errors.ts, hints and narration in commands, the renderer and the layers below)
 * parses as written: the command and its flags exist, choices are allowed, the environment it
 * names exists. The important ones run against the emulator.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { makeRunner } from '../../src/cli/run.js';
import type { Io } from '../../src/commands/shared/context.js';
import { builtinEnvironments } from '../../src/config/settings.js';
import { FAULT_NAMES } from '../../src/mock/faults.js';
import { runCli, startBin } from '../helpers/run-cli.js';
import { SEED_TOKEN } from '../helpers/tokens.js';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/** Every `togo …` quoted in a source file, with the file it came from. */
function quotedCommands(): Array<{ command: string; file: string }> {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith('.ts')) files.push(path);
    }
  };
  walk(SRC);
  const seen = new Map<string, string>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    // Quoted (`togo …`), or closing a hint unquoted ("…, or log in again with: togo login …").
    for (const m of [
      ...text.matchAll(/\\?`(togo [^`\\]+?)\\?`/g),
      ...text.matchAll(/with: (togo [^`'\n]+)/g),
    ]) {
      if (!seen.has(m[1]!)) seen.set(m[1]!, file.slice(SRC.length));
    }
  }
  return [...seen].map(([command, file]) => ({ command, file }));
}

/** Placeholders in hints, as a person would fill them in. */
const FILLED: Record<string, string> = {
  '<command>': 'login',
  '<file>': 'x.json',
  '<token>': SEED_TOKEN,
  '<email>': 'joe@m.test',
  '<issuer>': 'http://127.0.0.1:1/identity',
};

/**
 * The command lines a quoted command stands for: placeholders filled, the shell's pipe or redirection
 * cut off, `a|b|c` alternatives spelled out. None for prose ("togo does not …") or for text built at
 * run time (`${…}`), whose commands the tests of their own commands run.
 */
function commandLines(quoted: string, names: ReadonlySet<string>): string[][] {
  // A file filled in at run time (`--save ${session.path}`) stands for any file; other text built
  // at run time (`togo login${env}`, a heading with a URL) is run by its own command's tests.
  const words = (quoted.split(/ (?:\||>) /)[0]!.match(/"[^"]*"|\S+/g) ?? [])
    .slice(1)
    .filter((w) => w !== '…')
    .map((w, i, all) =>
      all[i - 1] === '--save' && /^\$\{[^}]*\}$/.test(w)
        ? 'x.json'
        : (FILLED[w] ?? w.replace(/^"(.*)"$/, '$1')),
    );
  if (words.some((w) => w.includes('${'))) return [];
  const first = words[0] ?? '';
  if (!names.has(first) && !first.startsWith('-')) return [];
  const alternatives = words[1]?.includes('|') ? words[1].split('|') : [words[1]];
  return alternatives.map((alt) => [first, ...(alt === undefined ? [] : [alt]), ...words.slice(2)]);
}

/** Parses a command line with togo's own program, running nothing: throws what commander refuses. */
async function parses(argv: string[]): Promise<{ ran?: string }> {
  const io = { stdout: { write: () => true }, stderr: { write: () => true } } as unknown as Io;
  const seen: { ran?: string } = {};
  const program = buildProgram(
    {
      ...makeRunner(io, () => {}),
      run: async (_cmd, name) => {
        seen.ran = name;
      },
    },
    argv,
  );
  const quiet = (cmd: Command) => {
    cmd.exitOverride();
    cmd.configureOutput({ writeOut: () => {}, writeErr: () => {}, outputError: () => {} });
    for (const sub of cmd.commands) quiet(sub);
  };
  quiet(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    // Help and the version end a parse early; a hint that names a flag or a command without the
    // value or argument the reader adds ("with --save", "`togo callback`") names things that exist.
    const fine = [
      'commander.helpDisplayed',
      'commander.help',
      'commander.version',
      'commander.optionMissingArgument',
      'commander.missingMandatoryOptionValue',
      'commander.missingArgument',
    ];
    if (!fine.includes(code)) throw error;
    seen.ran = code;
  }
  return seen;
}

const COMMANDS = new Set(
  buildProgram(
    makeRunner({} as Io, () => {}),
    [],
  ).commands.map((c) => c.name()),
);
const TABLE = quotedCommands().flatMap(({ command, file }) =>
  commandLines(command, COMMANDS).map((argv) => [command, file, argv] as const),
);

describe('every command quoted in a hint parses', () => {
  it('finds the quoted commands (the table below is not empty by accident)', () => {
    expect(TABLE.length).toBeGreaterThan(40);
    const quoted = TABLE.map(([command]) => command);
    for (const known of [
      'togo mock --auto-login <email>',
      'togo decode <token>',
      'togo login --save <file>',
    ]) {
      expect(quoted).toContain(known);
    }
  });

  it.each(TABLE)('%s (%s)', async (_, __, argv) => {
    const parsed = await parses([...argv]);
    expect(parsed.ran).toBeDefined();
    const env = argv[argv.indexOf('--env') + 1];
    if (argv.includes('--env')) expect(Object.keys(builtinEnvironments({}))).toContain(env);
  });
});

describe('the important hints, followed, work against the emulator', () => {
  let mock: ReturnType<typeof startBin>;
  let issuer: string;
  const state = mkdtempSync(join(tmpdir(), 'togo-hints-'));
  beforeAll(async () => {
    // LOGIN_INTERACTION_REQUIRED: "--headless needs a provider that signs in without a person (e.g.
    // `togo mock --auto-login <email>`)": started as the hint says.
    mock = startBin(['mock', '--port', '0', '--no-color', '--auto-login', 'joe@m.test'], {
      XDG_CONFIG_HOME: '/nonexistent',
    });
    await mock.waitForStderr(/Serving until Ctrl-C/);
    issuer = /issuer\s+(\S+)/.exec(mock.stdout())?.[1] ?? '';
    expect(issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/identity$/);
  });
  afterAll(async () => {
    mock.child.kill('SIGINT');
    await mock.exit;
    rmSync(state, { recursive: true, force: true });
  });
  const env = () => ({ TOGO_MOCK_ISSUER: issuer, XDG_STATE_HOME: state });

  it('`togo mock --auto-login <email>` makes `togo login --headless` sign in', async () => {
    const r = await runCli(['login', '--env', 'mock', '--headless'], { env: env(), now: Date.now() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Result: VALID');
  });

  it('`togo login --save <file>` writes the session file that session commands read', async () => {
    const file = join(state, 'session.json');
    const login = await runCli(
      ['login', '--env', 'mock', '--headless', '--response-type', 'id_token token', '--save', file],
      {
        env: env(),
        now: Date.now(),
      },
    );
    expect(login.code, login.stderr).toBe(0);
    const userinfo = await runCli(['userinfo', '--session', file], { env: env(), now: Date.now() });
    expect(userinfo.code, userinfo.stderr).toBe(0);
    expect(userinfo.stdout).toContain('sub matches');
  });

  it('the refresh token hint (revoke --use refresh_token without one): its login gets one, and revoke uses it', async () => {
    const hint = TABLE.find(([command]) => command.includes('offline_access'));
    expect(hint).toBeDefined();
    const file = join(state, 'refreshable.json');
    const argv = hint![2].map((w) => (w === 'x.json' ? file : w));
    // As the hint says for the emulator: its client that may have refresh tokens.
    const login = await runCli([...argv, '--env', 'mock', '--client-id', 'togo-offline', '--headless'], {
      env: env(),
      now: Date.now(),
    });
    expect(login.code, login.stderr).toBe(0);
    const revoke = await runCli(['revoke', '--use', 'refresh_token', '--session', file], { env: env() });
    expect(revoke.code, revoke.stderr).toBe(0);
    expect(revoke.stdout).toContain('revoked the refresh token');
  });

  it('`togo token` serves the session `togo login` kept (NOT_LOGGED_IN)', async () => {
    const r = await runCli(['token', '--env', 'mock'], { env: env(), now: Date.now() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toMatch(/^[\w.-]{20,}$/);
  });

  it('`togo decode <token>` lists the claims a --claim path is made of (CLAIM_NOT_FOUND)', async () => {
    const r = await runCli(['decode', SEED_TOKEN]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('user');
  });

  it('`togo mock --help` lists every fault (MOCK_FAULT_UNKNOWN)', async () => {
    const r = await runCli(['mock', '--help']);
    expect(r.code).toBe(0);
    for (const fault of FAULT_NAMES) expect(r.stdout).toContain(fault);
  });

  it('`togo config` shows what is in effect (CONFIG_INVALID)', async () => {
    const r = await runCli(['config', '--env', 'mock'], { env: env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(issuer);
  });
});
