import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('the built library', () => {
  it('starts the emulator from an ES module program, as a user of the package would', () => {
    const program = `
      import { startMockProvider } from './dist/index.js';
      const mock = await startMockProvider({ port: 0 });
      const doc = await (await fetch(mock.discoveryUrl)).json();
      console.log(doc.issuer === mock.issuer ? 'ok' : 'mismatch');
      await mock.close();
    `;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', program], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.stderr).not.toMatch(/Dynamic require|Error/);
    expect(run.stdout.trim()).toBe('ok');
  });
});
