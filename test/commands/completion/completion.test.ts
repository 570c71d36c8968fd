import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAULT_NAMES } from '../../../src/mock/faults.js';
import { runCli } from '../../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'togo-completion-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Asks the generated bash script what it completes, in a real bash, as readline would. */
function complete(script: string, words: string[]): string[] {
  const file = join(dir, 'togo.bash');
  writeFileSync(file, script);
  const run = spawnSync(
    'bash',
    [
      '-c',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: bash's own expansion, run by bash
      'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); _togo; printf "%s\\n" "${COMPREPLY[@]}"; complete -p togo >&2',
      'bash',
      file,
      ...words,
    ],
    { encoding: 'utf8', cwd: dir },
  );
  expect(run.status).toBe(0);
  expect(run.stderr).toContain('complete -o default -F _togo togo');
  return run.stdout.split('\n').filter((l) => l !== '');
}

/**
 * Asks the generated zsh script what it completes, in a real zsh: it must register itself through
 * bashcompinit, and its function answers as zsh's _bash_complete calls it (sh emulation).
 */
function completeZsh(script: string, words: string[]): string[] {
  const file = join(dir, '_togo.zsh');
  writeFileSync(file, script);
  const run = spawnSync(
    'zsh',
    [
      '-f',
      '-c',
      [
        'source "$1"; shift',
        '[[ $_comps[togo] == "_bash_complete -o default -F _togo" ]] || { print -u2 "not registered: $_comps[togo]"; exit 3; }',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: zsh's own expansion, run by zsh
        'ask() { emulate -L sh; setopt kshglob noshglob braceexpand; COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); _togo; printf "%s\\n" "${COMPREPLY[@]}"; }',
        'ask "$@"',
      ].join('\n'),
      'zsh',
      file,
      ...words,
    ],
    { encoding: 'utf8', cwd: dir },
  );
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return run.stdout.split('\n').filter((l) => l !== '');
}

/** Asks a real fish what it completes for a command line, with the generated script loaded. */
function completeFish(script: string, line: string): string[] {
  const file = join(dir, 'togo.fish');
  writeFileSync(file, script);
  const run = spawnSync('fish', ['--no-config', '-c', 'source $argv[1]; complete -C $argv[2]', file, line], {
    encoding: 'utf8',
    cwd: dir,
  });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  // Each candidate, without the description fish prints after a tab.
  return run.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\t')[0]!);
}

describe('togo completion', () => {
  let bash: string;
  let zsh: string;
  let fish: string;
  beforeAll(async () => {
    const cwd = mkdtempSync(join(dir, 'project-'));
    writeFileSync(
      join(cwd, 'togo.config.json'),
      JSON.stringify({ environments: { 'acme-dev': { issuer: 'https://id.acme.example' } } }),
    );
    const r = await runCli(['completion', 'bash'], { cwd });
    expect(r.code).toBe(0);
    bash = r.stdout;
    zsh = (await runCli(['completion', 'zsh'], { cwd })).stdout;
    fish = (await runCli(['completion', 'fish'], { cwd })).stdout;
  });

  it('completes a command in a real bash', () => {
    expect(complete(bash, ['togo', 'ch'])).toEqual(['check']);
    expect(complete(bash, ['togo', 'comp'])).toEqual(['completion']);
    expect(complete(bash, ['togo', '--json', 'dec'])).toEqual(['decode']);
  });

  it("completes a command's flags, and the global ones", () => {
    expect(complete(bash, ['togo', 'check', '--expect-s'])).toEqual(['--expect-scope']);
    expect(complete(bash, ['togo', 'login', '--qu'])).toEqual(['--quiet']);
    expect(complete(bash, ['togo', 'mock', '--'])).toContain('--fault');
  });

  it('completes environments, the built-in ones and those of the config file', () => {
    expect(complete(bash, ['togo', 'check', '--env', 'togo-'])).toEqual(['togo-production', 'togo-staging']);
    expect(complete(bash, ['togo', 'login', '--env', 'ac'])).toEqual(['acme-dev']);
  });

  it('completes --use values, fault names and quoted response types', () => {
    expect(complete(bash, ['togo', 'revoke', '--use', ''])).toEqual([
      'access_token',
      'refresh_token',
      'id_token',
    ]);
    expect(complete(bash, ['togo', 'decode', '--use', 'ref'])).toEqual(['refresh_token']);
    expect(complete(bash, ['togo', 'mock', '--fault', ''])).toEqual(FAULT_NAMES);
    expect(complete(bash, ['togo', 'login', '--response-type', 'id_'])).toEqual([
      'id_token',
      'id_token\\ token',
    ]);
    expect(complete(bash, ['togo', 'completion', ''])).toEqual(['bash', 'zsh', 'fish']);
  });

  it('completes commands, flags, environments and values in a real zsh', () => {
    expect(completeZsh(zsh, ['togo', 'ch'])).toEqual(['check']);
    expect(completeZsh(zsh, ['togo', 'check', '--expect-s'])).toEqual(['--expect-scope']);
    expect(completeZsh(zsh, ['togo', 'check', '--env', 'togo-'])).toEqual([
      'togo-production',
      'togo-staging',
    ]);
    expect(completeZsh(zsh, ['togo', 'login', '--env', 'ac'])).toEqual(['acme-dev']);
    expect(completeZsh(zsh, ['togo', 'revoke', '--use', 'ref'])).toEqual(['refresh_token']);
    expect(completeZsh(zsh, ['togo', 'login', '--response-type', 'id_'])).toEqual([
      'id_token',
      'id_token\\ token',
    ]);
  });

  it("leaves a file flag's value to zsh's own file completion", () => {
    // bashcompinit's compgen -f lists only the current directory; an empty reply lets -o default
    // complete the path instead (bash has no mapfile trouble here, zsh had: "command not found").
    expect(completeZsh(zsh, ['togo', 'decode', '--ca', 'x'])).toEqual([]);
  });

  it('completes commands, flags, environments and values in a real fish', () => {
    expect(completeFish(fish, 'togo ch')).toEqual(['check']);
    expect(completeFish(fish, 'togo check --expect-s')).toEqual(['--expect-scope']);
    expect(completeFish(fish, 'togo check --env togo-')).toEqual(['togo-production', 'togo-staging']);
    expect(completeFish(fish, 'togo login --env ac')).toEqual(['acme-dev']);
    // fish sorts the candidates it shows.
    expect(completeFish(fish, 'togo mock --fault ')).toEqual([...FAULT_NAMES].sort());
    expect(completeFish(fish, 'togo login --response-type id_')).toEqual(['id_token', 'id_token token']);
    expect(completeFish(fish, 'togo completion ')).toEqual(['bash', 'fish', 'zsh']);
  });

  it('refuses a shell it does not know', async () => {
    const r = await runCli(['completion', 'powershell']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[USAGE]');
  });
});
