import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAULT_NAMES } from '../../src/mock/faults.js';
import { runCli } from '../helpers/run-cli.js';

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

describe('togo completion', () => {
  let bash: string;
  beforeAll(async () => {
    const cwd = mkdtempSync(join(dir, 'project-'));
    writeFileSync(
      join(cwd, 'togo.config.json'),
      JSON.stringify({ environments: { 'acme-dev': { issuer: 'https://id.acme.example' } } }),
    );
    const r = await runCli(['completion', 'bash'], { cwd });
    expect(r.code).toBe(0);
    bash = r.stdout;
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

  it('refuses a shell it does not know', async () => {
    const r = await runCli(['completion', 'powershell']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[USAGE]');
  });
});
