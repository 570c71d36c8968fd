import {
  existsSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/run-cli.js';
import { elements, parseXmlStrict } from '../../helpers/xml.js';

const dir = mkdtempSync(join(tmpdir(), 'togo-check-reports-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The one failing testcase a run that could not check anything leaves in its JUnit file. */
function failureOf(file: string) {
  const doc = parseXmlStrict(readFileSync(file, 'utf8'));
  const [failure] = elements(doc, 'failure');
  return { doc, failure, cases: elements(doc, 'testcase') };
}

describe('togo check always writes its reports', () => {
  // A server that accepts connections and never answers: the provider hangs.
  let silent: Server;
  let silentUrl: string;
  beforeAll(async () => {
    silent = createServer(() => {
      // never answers
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/identity`;
  });
  afterAll(async () => {
    silent.closeAllConnections();
    await new Promise((r) => silent.close(r));
  });

  it('names the refused connection in the JUnit file and an ::error annotation when the provider is down', async () => {
    const file = join(dir, 'down.xml');
    const r = await runCli(['check', 'http://127.0.0.1:9/identity', '--junit', file], {
      env: { GITHUB_ACTIONS: 'true' },
    });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('[NET_REFUSED]');
    const { doc, failure, cases } = failureOf(file);
    expect(cases).toHaveLength(1);
    expect(cases[0]?.attributes.name).toBe('check.run');
    expect(doc.attributes.failures).toBe('1');
    expect(failure?.attributes.message).toMatch(/^\[NET_REFUSED\] /);
    expect(r.stdout).toMatch(/^::error title=togo check check.run::\[NET_REFUSED\] .+\(hint: .+\)$/m);
  });

  it('reports a provider that never answers as a timeout, exit 3', async () => {
    const file = join(dir, 'timeout.xml');
    const r = await runCli(['check', silentUrl, '--timeout', '1', '--junit', file, '--json'], {
      env: { GITHUB_ACTIONS: 'true' },
    });
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { code: 'NET_TIMEOUT' } });
    // With --json the annotation goes to stderr: stdout stays one document.
    expect(r.stderr).toMatch(/^::error title=togo check check.run::\[NET_TIMEOUT\]/m);
    expect(failureOf(file).failure?.attributes.message).toMatch(/^\[NET_TIMEOUT\] /);
  }, 20_000);

  it('names a broken config file in the JUnit file, exit 2', async () => {
    const cwd = mkdtempSync(join(dir, 'broken-config-'));
    writeFileSync(join(cwd, 'togo.config.json'), '{ "environments": ');
    const r = await runCli(['check', '--junit', 'report.xml'], { cwd, env: { GITHUB_ACTIONS: 'true' } });
    expect(r.code).toBe(2);
    const code = /\[([A-Z_]+)\]/.exec(r.stderr)?.[1];
    expect(code).toBeDefined();
    const { failure } = failureOf(join(cwd, 'report.xml'));
    expect(failure?.attributes.message).toContain(`[${code}]`);
    expect(failure?.attributes.message).toContain('togo.config.json');
    expect(r.stdout).toContain(`::error title=togo check check.run::[${code}]`);
  });

  it('refuses to write the JUnit report through a symbolic link and leaves its target alone', async () => {
    const target = join(dir, 'precious.txt');
    writeFileSync(target, 'keep me\n');
    const link = join(dir, 'link.xml');
    symlinkSync(target, link);
    const r = await runCli(['check', 'http://127.0.0.1:9/identity', '--junit', link]);
    expect(r.stderr).toContain('[OUTPUT_REFUSED]');
    expect(r.code).toBe(2);
    expect(readFileSync(target, 'utf8')).toBe('keep me\n');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });

  it('refuses a JUnit path that is a directory', async () => {
    const r = await runCli(['check', 'http://127.0.0.1:9/identity', '--junit', dir]);
    expect(r.stderr).toContain('[OUTPUT_REFUSED]');
    expect(r.code).toBe(2);
  });

  it('replaces an existing report with a new file, leaving no temporary file behind', async () => {
    const cwd = mkdtempSync(join(dir, 'replace-'));
    const file = join(cwd, 'junit.xml');
    writeFileSync(file, 'old');
    const before = lstatSync(file).ino;
    const r = await runCli(['check', 'http://127.0.0.1:9/identity', '--junit', file]);
    expect(r.code).toBe(3);
    expect(readFileSync(file, 'utf8')).toContain('<testsuites');
    expect(lstatSync(file).ino).not.toBe(before);
    expect(existsSync(file)).toBe(true);
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(cwd)).toEqual(['junit.xml']);
  });
});
