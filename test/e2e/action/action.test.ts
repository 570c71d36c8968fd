/**
 * The GitHub Action (action.yml at the root) does what its steps say: each `run:` step is taken
 * from action.yml and run with bash as a runner would (`bash --noprofile --norc -eo pipefail`),
 * with the runner's variables (GITHUB_ACTION_PATH, RUNNER_TEMP, GITHUB_PATH) and the step's
 * `${{ inputs.* }}` filled in. The action path is a copy of this checkout's files, so the install
 * step really runs `npm ci`, packs and installs togo; the check step runs it against the emulator.
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockProvider, startMockProvider } from '../../../src/index.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

interface Step {
  name: string;
  env: Record<string, string>;
  run: string;
}

/** The composite steps of action.yml: name, env and the literal `run: |` block of each. */
function actionSteps(text: string): Step[] {
  const steps: Step[] = [];
  const body = text.slice(text.indexOf('\n  steps:\n'));
  for (const chunk of body.split(/\n {4}- /).slice(1)) {
    const lines = chunk.split('\n');
    const name = lines[0]?.match(/^name: (.*)$/)?.[1] ?? '';
    const env: Record<string, string> = {};
    const run: string[] = [];
    let section = '';
    for (const line of lines.slice(1)) {
      const key = line.match(/^ {6}(\w[\w-]*):(.*)$/);
      if (key) {
        section = key[1] ?? '';
        continue;
      }
      if (section === 'env') {
        const m = line.match(/^ {8}(\w+): (.*)$/);
        if (m) env[m[1] ?? ''] = m[2] ?? '';
      } else if (section === 'run' && (line.startsWith('        ') || line === '')) {
        run.push(line.slice(8));
      }
    }
    steps.push({ name, env, run: run.join('\n').trim() });
  }
  return steps;
}

/** Steps still running; stopped after the file, however it ended. */
const runningSteps = new Set<ReturnType<typeof spawn>>();
afterAll(() => {
  for (const child of runningSteps) if (child.pid) process.kill(-child.pid, 'SIGKILL');
});

function runStep(
  step: Step,
  inputs: Record<string, string>,
  env: Record<string, string>,
): Promise<{ code: number; out: string }> {
  const stepEnv = Object.fromEntries(
    Object.entries(step.env).map(([k, v]) => [
      k,
      v.replace(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g, (_m, name: string) => inputs[name] ?? ''),
    ]),
  );
  return new Promise((resolve) => {
    // A process group of its own, so a step cut short by the test's bound is stopped whole (npm and
    // what it started), not left running on the machine.
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run], {
      env: { ...env, ...stepEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    runningSteps.add(child);
    child.on('close', () => runningSteps.delete(child));
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code: code ?? -1, out }));
  });
}

describe('the GitHub Action', () => {
  const steps = actionSteps(readFileSync(join(ROOT, 'action.yml'), 'utf8'));
  let mock: MockProvider;
  let work = '';
  let runner: Record<string, string> = {};

  beforeAll(async () => {
    mock = await startMockProvider({});
    work = mkdtempSync(join(tmpdir(), 'togo-action-'));
    // The action's own path: this checkout's files (tracked, and new ones not ignored).
    const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      cwd: ROOT,
      encoding: 'utf8',
    })
      .split('\0')
      .filter((f) => f && existsSync(join(ROOT, f)));
    for (const f of files) {
      mkdirSync(dirname(join(work, 'action', f)), { recursive: true });
      cpSync(join(ROOT, f), join(work, 'action', f));
    }
    mkdirSync(join(work, 'temp'));
    mkdirSync(join(work, 'workspace'));
    writeFileSync(join(work, 'github_path'), '');
    runner = {
      PATH: `${dirname(process.execPath)}:/usr/bin:/bin`,
      HOME: join(work, 'home'),
      GITHUB_ACTION_PATH: join(work, 'action'),
      RUNNER_TEMP: join(work, 'temp'),
      GITHUB_PATH: join(work, 'github_path'),
      GITHUB_ACTIONS: 'true',
      TOGO_MOCK_ISSUER: mock.issuer,
      // A runner with a warm npm cache (actions/setup-node's `cache: npm`): this machine's cache.
      npm_config_cache: execFileSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8' }).trim(),
      npm_config_prefer_offline: 'true',
      // A registry request that stalls is given up after a minute and tried again, as a runner's
      // npm would be configured; npm's own default waits five minutes per try.
      npm_config_fetch_timeout: '60000',
      npm_config_fetch_retries: '4',
    };
  }, 60_000);

  afterAll(async () => {
    await mock?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('has an install step and a check step, each a bash script', () => {
    expect(steps.map((s) => s.name)).toEqual(['Install togo', 'togo check']);
    expect(steps.every((s) => s.run.length > 0)).toBe(true);
  });

  it('installs togo from its own path, then gates on togo check: passes, and fails with annotations', async () => {
    const [install, check] = steps;
    if (!install || !check) throw new Error('action.yml lost a step');
    const installed = await runStep(install, {}, runner);
    expect(installed.code, installed.out).toBe(0);
    // The runner prepends each line of GITHUB_PATH to PATH for the later steps.
    const added = readFileSync(join(work, 'github_path'), 'utf8').trim().split('\n').reverse();
    const later = { ...runner, PATH: [...added, runner.PATH].join(':') };
    const cwd = join(work, 'workspace');

    const passing = await runStep(
      check,
      {
        env: 'mock',
        'client-id': 'togo-cli',
        args: `--expect-response-type "id_token token" --junit ${cwd}/togo-check.xml`,
      },
      later,
    );
    expect(passing.code, passing.out).toBe(0);
    expect(passing.out).toMatch(/PASS\s+expect\.response-type:id_token token/);
    expect(passing.out).toMatch(/PASS\s+probe\.authorize/);
    expect(readFileSync(join(cwd, 'togo-check.xml'), 'utf8')).toContain('<testsuite');

    const failing = await runStep(
      check,
      { issuer: mock.issuer, args: '--expect-scope no-such-scope' },
      later,
    );
    expect(failing.code, failing.out).toBe(1);
    expect(failing.out).toContain('::error title=togo check expect.scope%3Ano-such-scope::');
  }, 900_000); // npm ci, pack and install: minutes on a busy machine; the bound only catches a hang
});
