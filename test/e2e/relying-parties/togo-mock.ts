/**
 * `togo mock` as a team runs it for their application's tests: the built binary in a child
 * process (npm test builds first), on a free port, stopped with Ctrl-C.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { BIN } from '../../helpers/run-cli.js';

export interface RunningMock {
  issuer: string;
  discoveryUrl: string;
  stop(): Promise<void>;
}

export async function startTogoMock(faults: readonly string[]): Promise<RunningMock> {
  const args = [
    'mock',
    '--json',
    '--port',
    '0',
    '--auto-login',
    'joe@m.test',
    ...faults.flatMap((f) => ['--fault', f]),
  ];
  const child: ChildProcess = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 20_000;
  while (!err.includes('Serving until Ctrl-C')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`togo mock did not start: ${err}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  const doc = JSON.parse(out) as { issuer: string; discoveryUrl: string };
  return {
    issuer: doc.issuer,
    discoveryUrl: doc.discoveryUrl,
    async stop() {
      if (child.exitCode === null) child.kill('SIGINT');
      await exited;
    },
  };
}
