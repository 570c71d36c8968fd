/**
 * Every `togo …` example in README.md and docs/ (the generated command pages carry the `Examples:`
 * of `--help`) runs as written, in bash, against the emulator, and ends with the exit code the
 * page states: 0 unless the line ends with a `# exit N` comment.
 *
 * What stands in for the outside world, and nothing else:
 * - the providers: two emulators in this process. The working directory holds a togo.config.json
 *   that points the environments the examples name (togo-staging, dev, staging, logto) at the
 *   first and togo-production at the second (so "distinct keys" has two providers to compare),
 *   and TOGO_MOCK_ISSUER points the built-in `mock` environment at the first;
 * - the URLs of real providers in examples become the first emulator's issuer, an API host
 *   becomes a local HTTP server, a fixed loopback port (`:8765`) becomes a free one, and client
 *   ids the emulator does not know become its public client `togo-cli`;
 * - the browser: `--open` and `--browser <command>` become `--headless` (the emulator signs its
 *   test user in at once); `pbpaste` prints a token, or a login URL for `inspect-url`;
 * - placeholders: `$TOKEN`, `$ID_TOKEN`, `$ACCESS_TOKEN`, `$NONCE`, `$ISSUER`, `$URL` are set
 *   from a real login, a token abbreviated with … or ... is that login's ID token, and the files
 *   examples read (session.json, pending.json, jwks.json, baseline.json, …) are made the same way.
 * - `togo mock` serves until Ctrl-C: it runs on a free port until it has started, then gets SIGINT.
 *
 * An example that cannot run without a person is marked in its page with
 * `<!-- examples: not run (reason) -->` before its code block, or listed in NOT_RUN below when it
 * comes from `--help`; both are counted, and kept few.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockProvider, startMockProvider } from '../../../src/index.js';
import { BIN, runBin } from '../../helpers/run-cli.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

interface Example {
  /** The command as the page shows it (continuation lines joined). */
  text: string;
  /** Where it is: `README.md:42`. */
  where: string;
  exit: number;
  notRun?: string;
}

/** Examples from `--help` that cannot run offline, with the reason. */
const NOT_RUN: Record<string, string> = {
  'togo login --env mock --device                         # enter the code shown, on any device':
    'a person enters the device code',
  'togo conformance --start-url http://127.0.0.1:5055/login --success-text "Signed in as"':
    'needs your own application running on port 5055',
  'togo conformance --start-url http://127.0.0.1:5055/login --success-url "/home$" --faults wrong-audience,alg-none --json':
    'needs your own application running on port 5055',
};

/** Exit codes of `--help` examples that document a failure (a page says it with `# exit N`). */
const EXIT: Record<string, number> = {};

function pages(): string[] {
  const files = ['README.md'];
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.md')) files.push(path);
    }
  };
  walk('docs');
  return files;
}

/** The shell code blocks of a page, split into commands; those that run togo are examples. */
function extractExamples(file: string, text: string): Example[] {
  const lines = text.split('\n');
  const examples: Example[] = [];
  let inBlock = false;
  let shell = false;
  let notRun: string | undefined;
  let pending = '';
  let pendingLine = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const fence = line.match(/^\s*```(\w*)/);
    if (fence) {
      if (!inBlock) {
        shell = ['sh', 'bash', 'shell'].includes(fence[1] ?? '');
        const before =
          lines
            .slice(0, i)
            .reverse()
            .find((l) => l.trim() !== '') ?? '';
        notRun = before.match(/<!--\s*examples:\s*not run\s*\(([^)]*)\)\s*-->/)?.[1];
      }
      inBlock = !inBlock;
      continue;
    }
    if (!inBlock || !shell) continue;
    if (!pending) pendingLine = i + 1;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trimEnd()} `;
      continue;
    }
    const command = (pending + line).trim();
    pending = '';
    if (!/(^|[\s|;(&=])togo\s/.test(command.replace(/\s#.*$/, ''))) continue;
    const exit = Number(command.match(/#\s*exit (\d+)\s*$/)?.[1] ?? EXIT[command] ?? 0);
    examples.push({
      text: command,
      where: `${file}:${pendingLine}`,
      exit,
      ...((notRun ?? NOT_RUN[command]) ? { notRun: notRun ?? NOT_RUN[command] } : {}),
    });
  }
  return examples;
}

function allExamples(): Example[] {
  const seen = new Map<string, Example>();
  for (const file of pages()) {
    for (const ex of extractExamples(file, readFileSync(join(ROOT, file), 'utf8'))) {
      if (!seen.has(ex.text)) seen.set(ex.text, ex);
    }
  }
  return [...seen.values()];
}

const examples = allExamples();

/**
 * What a browser does with a login URL when the emulator signs its user in by itself: follows the
 * redirects with the provider's cookies until one goes to the redirect URI, and returns that URL.
 */
async function followToRedirect(start: string, redirectUri: string): Promise<string> {
  const cookies = new Map<string, string>();
  let url = start;
  for (let hop = 0; hop < 20; hop++) {
    const res = await fetch(url, {
      redirect: 'manual',
      headers: { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair = ''] = c.split(';');
      const at = pair.indexOf('=');
      cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    const location = res.headers.get('location');
    if (!location) throw new Error(`the login stopped at ${url} with HTTP ${res.status}`);
    url = new URL(location, url).href;
    if (url.startsWith(redirectUri)) return url;
  }
  throw new Error('the login never came back to the redirect URI');
}

describe('the examples in the README and docs/', () => {
  let primary: MockProvider;
  let other: MockProvider;
  let api: Server;
  let apiOrigin = '';
  let pristine = '';
  const vars: Record<string, string> = {};

  /** The example as it runs here: the outside world swapped for local stand-ins. */
  function localise(text: string): string {
    const issuer = primary.issuer;
    let s = text
      .replace(/https:\/\/id2(-staging)?\.runswithtogo\.com(\/identity)?(\/(?=[\s'"]|$))?/g, issuer)
      .replace(/https:\/\/id\.example\/oidc/g, issuer)
      .replace(/http:\/\/127\.0\.0\.1:(4444|4000)\/identity/g, issuer)
      .replace(/https:\/\/app\.example\/callback/g, 'http://127.0.0.1/callback')
      .replace(/'http:\/\/127\.0\.0\.1:8765\/callback#[^']*…[^']*'/g, '"$CALLBACK_URL"')
      .replace(/https:\/\/tenant\.logto\.app\/oidc/g, issuer)
      .replace(/https:\/\/api\.(example|togogroup\.com)/g, apiOrigin)
      .replace(/(127\.0\.0\.1|localhost):8765/g, '127.0.0.1')
      .replace(/--(client-id|audience) (my-app|my-client|app|abc123)\b/g, '--$1 togo-cli')
      .replace(/\btogo-staging\b/g, 'staging-here')
      .replace(/\btogo-production\b/g, 'production-here')
      .replace(/eyJ[\w-]*(…|\.\.\.)/g, vars.TOKEN ?? '');
    // A confidential client: the emulator's, with its secret.
    if (/TOGO_CLIENT_SECRET=…/.test(s)) {
      s = s
        .replace(/TOGO_CLIENT_SECRET=…/g, 'TOGO_CLIENT_SECRET=togo-confidential-secret')
        .replace(/--client-id togo-cli\b/g, '--client-id togo-confidential');
    }
    // The person at the browser of a logout: --headless follows the redirects and confirms the
    // sign-out page as a browser would, without starting one per example (a logout through Chromium
    // is tested in test/e2e/interop/, the --browser path in test/commands/logout/).
    if (/\btogo logout(?![\w-])/.test(s)) {
      s = s
        .replace(/--browser ("[^"]*"|'[^']*'|\S+)/g, '')
        .replace(/--open\b/g, '')
        .replace(/\btogo logout(?![\w-])/, 'togo logout --headless');
      s = s.replace(/(--headless\s+)+--headless/g, '--headless');
    }
    if (/\btogo login\b/.test(s)) {
      s = s.replace(/--browser ("[^"]*"|'[^']*'|\S+)/g, '--headless').replace(/--open\b/g, '--headless');
      s = s.replace(/(--headless\s+)+--headless/g, '--headless');
    }
    if (/\btogo inspect-url\b/.test(s)) s = s.replace(/'[^']*…[^']*'/g, '"$URL"');
    return s;
  }

  async function login(args: string[], cwd: string): Promise<void> {
    const result = await runBin(['login', '--env', 'mock', '--headless', ...args], {
      env: { TOGO_MOCK_ISSUER: primary.issuer, HOME: cwd, TOGO_COMPILE_CACHE: 'off' },
      timeoutMs: 30_000,
    });
    if (result.code !== 0) throw new Error(`login for the examples failed: ${result.stderr}`);
    // runBin has no cwd option: the session is written to an absolute path.
  }

  beforeAll(async () => {
    // ID tokens that outlive the file on a busy machine: the examples share tokens taken once, and
    // the emulator's default of 5 minutes (IdentityServer's) expired them before the last example.
    primary = await startMockProvider({ autoLogin: 'joe@m.test', idTokenTtl: 3600 });
    other = await startMockProvider({ autoLogin: 'joe@m.test', idTokenTtl: 3600 });
    api = createServer((req, res) => {
      const authorized = (req.headers.authorization ?? '').startsWith('Bearer ');
      res.writeHead(authorized ? 200 : 401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ method: req.method, path: req.url, authorized }));
    });
    await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
    apiOrigin = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;

    pristine = mkdtempSync(join(tmpdir(), 'togo-examples-'));
    const env = (issuer: string) => ({
      issuer,
      flavor: 'togo',
      clientId: 'togo-cli',
      redirectUri: 'http://127.0.0.1/callback',
    });
    // The user's own config (a directory config would not be trusted with secrets), with the
    // built-in names the examples use renamed to stand-ins: a file cannot redefine a built-in.
    mkdirSync(join(pristine, '.config', 'togo'), { recursive: true });
    writeFileSync(
      join(pristine, '.config', 'togo', 'togo.config.json'),
      JSON.stringify({
        defaultEnvironment: 'dev',
        environments: {
          'staging-here': env(primary.issuer),
          'production-here': env(other.issuer),
          dev: { extends: 'staging-here', description: 'my app against staging' },
          staging: { extends: 'staging-here' },
          logto: { ...env(primary.issuer), flavor: 'standard' },
        },
      }),
    );
    await login(
      [
        '--response-type',
        'code id_token',
        '--scope',
        'openid email profile offline_access',
        '--prompt',
        'consent',
        '--save',
        join(pristine, 'session.json'),
      ],
      pristine,
    );
    const session = JSON.parse(readFileSync(join(pristine, 'session.json'), 'utf8'));
    const idToken: string = session.tokens.id_token;
    const payload = JSON.parse(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString());
    Object.assign(vars, {
      TOKEN: idToken,
      ID_TOKEN: idToken,
      ACCESS_TOKEN: session.tokens.access_token,
      NONCE: payload.nonce,
      ISSUER: primary.issuer,
    });
    writeFileSync(join(pristine, 'id_token.txt'), idToken);
    writeFileSync(join(pristine, 'jwks.json'), await (await fetch(primary.jwksUri)).text());
    const discovered = await runBin(['discover', primary.issuer, '--json'], {
      env: { TOGO_COMPILE_CACHE: 'off' },
    });
    writeFileSync(join(pristine, 'baseline.json'), discovered.stdout);
    const url = await runBin(['login-url', '--env', 'mock', '--save', join(pristine, 'pending.json'), '-q'], {
      env: { TOGO_MOCK_ISSUER: primary.issuer, TOGO_COMPILE_CACHE: 'off' },
    });
    vars.URL = url.stdout.split('\n')[0] ?? '';
    vars.CALLBACK_URL = await followToRedirect(vars.URL, 'http://127.0.0.1/callback');
    writeFileSync(join(pristine, 'order.json'), JSON.stringify({ item: 'campervan', quantity: 1 }));
    const users = readFileSync(join(ROOT, 'src/mock/default-users.json'), 'utf8');
    writeFileSync(join(pristine, 'users.json'), users);
    writeFileSync(join(pristine, 'test-users.json'), users);
    writeFileSync(join(pristine, 'clients.json'), '[]');
    mkdirSync(join(pristine, '.togo'));
    writeFileSync(join(pristine, '.togo/staging-baseline.json'), discovered.stdout);

    // `togo` and `pbpaste` on PATH, in front of the system's tools (bash, jq).
    const bin = join(pristine, '.bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'togo'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
    writeFileSync(join(bin, 'pbpaste'), '#!/bin/sh\nprintf "%s\\n" "$CLIPBOARD"\n');
    chmodSync(join(bin, 'togo'), 0o755);
    chmodSync(join(bin, 'pbpaste'), 0o755);
  }, 60_000);

  afterAll(async () => {
    await primary?.close();
    await other?.close();
    await new Promise((r) => api?.close(r));
    if (pristine) rmSync(pristine, { recursive: true, force: true });
  });

  function run(command: string, cwd: string, clipboard: string): Promise<{ code: number; out: string }> {
    return new Promise((resolve) => {
      const child: ChildProcess = spawn('bash', ['-o', 'pipefail', '-c', command], {
        cwd,
        env: {
          PATH: `${join(cwd, '.bin')}:${process.env.PATH ?? '/usr/bin:/bin'}`,
          HOME: cwd,
          XDG_CONFIG_HOME: join(cwd, '.config'),
          TOGO_COMPILE_CACHE: join(pristine, '.compile-cache'),
          TOGO_MOCK_ISSUER: primary.issuer,
          CLIPBOARD: clipboard,
          ...vars,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      let out = '';
      child.stdout?.on('data', (d) => (out += d));
      child.stderr?.on('data', (d) => (out += d));
      const serves = /\btogo mock\b/.test(command);
      // The emulator serves until Ctrl-C: interrupt it once it says it serves.
      let stopped = false;
      const stop = () => {
        if (stopped || !/Serving until Ctrl-C|"issuer"/.test(out)) return;
        stopped = true;
        if (child.pid) process.kill(-child.pid, 'SIGINT');
      };
      if (serves) child.stdout?.on('data', stop);
      if (serves) child.stderr?.on('data', stop);
      const timer = setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), 30_000);
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        resolve({ code: code ?? (signal === 'SIGINT' ? 130 : -1), out });
      });
    });
  }

  const runnable = examples.filter((e) => !e.notRun);

  it('finds the examples of every page, and runs all but a few', () => {
    expect(runnable.length).toBeGreaterThan(40);
    const skipped = examples.filter((e) => e.notRun);
    expect(
      skipped.map((e) => `${e.where}: ${e.notRun}`).length,
      JSON.stringify(skipped, null, 2),
    ).toBeLessThanOrEqual(8);
  });

  it.each(runnable.map((e) => [`${e.where}: ${e.text}`, e] as const))(
    '%s',
    async (_name, example) => {
      const cwd = mkdtempSync(join(tmpdir(), 'togo-example-'));
      try {
        cpSync(pristine, cwd, { recursive: true });
        let command = localise(example.text);
        if (/\btogo mock\b/.test(command)) {
          command = /--port \d+/.test(command)
            ? command.replace(/--port \d+/, '--port 0')
            : command.replace(/\btogo mock\b/, 'togo mock --port 0');
        }
        // A revoke or logout spends the session: give it a fresh one. An example that works with
        // the refresh token gets a session of togo-offline, the emulator's client that has one
        // (togo-cli, like Togo ID, issues none).
        const refresh = /--use refresh_token\b/.test(command);
        if (refresh || /\btogo (revoke|logout)(?![\w-])/.test(command)) {
          await login(
            [
              ...(refresh ? ['--client-id', 'togo-offline'] : []),
              '--response-type',
              'code id_token',
              '--scope',
              'openid email profile offline_access',
              '--prompt',
              'consent',
              '--save',
              join(cwd, 'session.json'),
            ],
            cwd,
          );
        }
        const clipboard = /inspect-url/.test(command)
          ? (vars.URL ?? '')
          : /\btogo callback\b/.test(command)
            ? (vars.CALLBACK_URL ?? '')
            : (vars.TOKEN ?? '');
        const { code, out } = await run(command, cwd, clipboard);
        expect(code, `${example.where}\n$ ${command}\n${out}`).toBe(example.exit);
      } finally {
        rmSync(cwd, { recursive: true, force: true });
      }
    },
    40_000,
  );
});
