/**
 * Failing networks, through the CLI: real local servers that never answer, trickle, flood, fail,
 * loop, reset or present a self-signed certificate. Each run ends with exit 3, the right code and a
 * hint. A timeout is judged by its outcome (NET_TIMEOUT, exit 3) and by never ending before the
 * deadline; the time above the deadline is not asserted (a busy machine stretches it), only bounded
 * generously to catch a hang (see docs/security-details.md). Servers that fail in other ways get a
 * deadline no busy machine reaches, so what ends the run is their failure, not the clock.
 */
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orHang } from '../helpers/hang.js';
import { runBin, runCli } from '../helpers/run-cli.js';
import { selfSignedCert, sendJson, startServer, type TestServer } from '../helpers/servers.js';

const TIMEOUT_S = 1;
/** For servers whose failure is not a timeout. */
const NO_TIMEOUT_S = 60;

let server: TestServer;
let tlsServer: TestServer;
let tls: ReturnType<typeof selfSignedCert>;
const timers = new Set<NodeJS.Timeout>();

function trickle(res: ServerResponse, bytes: string) {
  let i = 0;
  const t = setInterval(() => {
    if (i >= bytes.length || res.destroyed) return clearInterval(t);
    res.write(bytes[i++]);
  }, 1000);
  timers.add(t);
  res.on('close', () => clearInterval(t));
}

function flood(res: ServerResponse, declared: boolean) {
  const TEN_MIB = 10 * 1024 * 1024;
  res.writeHead(200, {
    'content-type': 'application/json',
    ...(declared ? { 'content-length': String(TEN_MIB) } : {}),
  });
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  let sent = 0;
  const pump = () => {
    while (sent < TEN_MIB) {
      sent += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    res.end();
  };
  pump();
}

beforeAll(async () => {
  server = await startServer((req, res) => {
    const first = new URL(req.url ?? '/', 'http://x').pathname.split('/')[1];
    switch (first) {
      case 'silent':
        return; // accepts the connection, never answers
      case 'byte-a-second':
        // Headers at once, then the body one byte a second: undici's per-chunk body timeout never fires.
        res.writeHead(200, { 'content-type': 'application/json' });
        res.flushHeaders();
        return trickle(res, '{"issuer":"http://x","padding":"....................."}');
      case 'headers-a-byte-a-second': {
        // The status line and headers themselves, one byte a second, on the raw socket.
        const socket = req.socket;
        const head = 'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}';
        let i = 0;
        const t = setInterval(() => {
          if (i >= head.length || socket.destroyed) return clearInterval(t);
          socket.write(head[i++]!);
        }, 1000);
        timers.add(t);
        socket.on('close', () => clearInterval(t));
        return;
      }
      case 'flood':
        return flood(res, true);
      case 'flood-chunked':
        return flood(res, false);
      case 'html-500':
        res.writeHead(500, { 'content-type': 'text/html; charset=utf-8' });
        return res.end(
          '<!DOCTYPE html><html><head><title>500 Internal Server Error</title></head><body><h1>Something went wrong</h1></body></html>',
        );
      case 'loop':
        res.writeHead(302, { location: req.url ?? '/' });
        return res.end();
      case 'ping-pong':
        res.writeHead(302, { location: (req.url ?? '').replace('ping-pong', 'pong-ping') });
        return res.end();
      case 'pong-ping':
        res.writeHead(302, { location: (req.url ?? '').replace('pong-ping', 'ping-pong') });
        return res.end();
      case 'reset':
        return req.socket.destroy();
      case 'traps':
        // A discovery document whose values break String(): it must be linted, not crash togo.
        return sendJson(
          res,
          `{"issuer":{"toString":null},"jwks_uri":[{"toString":null}],"response_types_supported":[{"toString":null}],"scopes_supported":{"valueOf":null,"toString":null},"__proto__":{"issuer":"x"}}`,
        );
      default:
        res.writeHead(404);
        res.end();
    }
  });
  tls = selfSignedCert();
  tlsServer = await startServer((_req, res) => sendJson(res, {}), tls);
  // Warm up: the first run loads the network modules, which is not the timeout's time.
  await runCli(['discover', `${server.origin}/nothing`, '--timeout', '1']);
});

afterAll(async () => {
  for (const t of timers) clearInterval(t);
  await server.close();
  await tlsServer.close();
  tls.cleanup();
});

async function discover(url: string, extra: string[] = [], timeoutS = NO_TIMEOUT_S) {
  const started = performance.now();
  const r = await orHang(
    runCli(['discover', url, '--timeout', String(timeoutS), ...extra]),
    `discover ${url}`,
  );
  return { ...r, ms: performance.now() - started };
}

function expectNetworkError(r: { code: number; stderr: string; stdout: string }, code: string) {
  expect(r.code, r.stderr).toBe(3);
  expect(r.stderr).toMatch(new RegExp(`^error \\[${code}\\] \\S`, 'm'));
  expect(r.stderr).toMatch(/^hint: \S/m);
  expect(r.stderr).not.toMatch(/^ {4}at /m);
}

// Side by side: the server keeps no state between requests.
describe.concurrent('a provider that never answers', () => {
  it('--timeout 1: gives up with NET_TIMEOUT (exit 3), never before the second is over', async () => {
    const r = await discover(`${server.origin}/silent`, [], TIMEOUT_S);
    expectNetworkError(r, 'NET_TIMEOUT');
    expect(r.stderr).toContain('no response within 1 s');
    expect(r.ms).toBeGreaterThanOrEqual(TIMEOUT_S * 1000 - 5);
  });

  it('the built binary gives up the same way and exits (no socket or timer keeps it alive)', async () => {
    const started = performance.now();
    // runBin kills the process at this bound, which only a hang reaches.
    const r = await runBin(['discover', `${server.origin}/silent`, '--timeout', String(TIMEOUT_S)], {
      timeoutMs: 30_000,
    });
    const ms = performance.now() - started;
    expectNetworkError(r, 'NET_TIMEOUT');
    expect(ms).toBeGreaterThanOrEqual(TIMEOUT_S * 1000);
  });
});

describe.concurrent('servers that misbehave: exit 3, the right code, a hint', () => {
  it.each([
    ['answers one byte a second', 'byte-a-second', 'NET_TIMEOUT', /body did not arrive within 1 s/],
    [
      'sends its headers one byte a second',
      'headers-a-byte-a-second',
      'NET_TIMEOUT',
      /no response within 1 s/,
    ],
    [
      'sends 10 MiB (declared)',
      'flood',
      'HTTP_BODY_TOO_LARGE',
      /more than 1\.0 MB \(Content-Length 10\.5 MB\)/,
    ],
    ['sends 10 MiB (chunked)', 'flood-chunked', 'HTTP_BODY_TOO_LARGE', /more than 1\.0 MB/],
    [
      'answers 500 with an HTML page',
      'html-500',
      'HTTP_STATUS',
      /HTTP 500 \(text\/html\): an HTML page: "500 Internal Server Error"/,
    ],
    ['redirects to itself', 'loop', 'HTTP_REDIRECTS', /redirects in a loop/],
    ['redirects back and forth', 'ping-pong', 'HTTP_REDIRECTS', /loop/],
    ['resets the connection', 'reset', 'NET_RESET', /closed the connection/],
  ])('a server that %s', async (_what, path, code, message) => {
    const timeout = code === 'NET_TIMEOUT' ? TIMEOUT_S : NO_TIMEOUT_S;
    const r = await discover(`${server.origin}/${path}/identity`, [], timeout);
    expectNetworkError(r, code);
    expect(r.stderr).toMatch(message);
  });

  it('a self-signed certificate: NET_TLS, and the hint names --ca', async () => {
    const r = await discover(`${tlsServer.origin}/identity`);
    expectNetworkError(r, 'NET_TLS');
    expect(r.stderr).toContain('self-signed');
    expect(r.stderr).toMatch(/^hint: .*--ca <file>/m);
  });

  it('the same failures end togo decode --verify and togo login the same way', async () => {
    for (const argv of [
      ['decode', 'e30.e30.', '--verify', '--issuer', `${server.origin}/silent/identity`, '--timeout', '1'],
      [
        'login',
        '--issuer',
        `${server.origin}/reset/identity`,
        '--client-id',
        'c',
        '--headless',
        '--redirect-uri',
        'http://127.0.0.1/cb',
      ],
      ['check', `${server.origin}/html-500/identity`, '--timeout', String(NO_TIMEOUT_S)],
    ]) {
      const r = await orHang(runCli(argv), argv[0]!);
      expect(r.code, `${argv[0]}: ${r.stderr}`).toBe(3);
      expect(r.stderr).toMatch(/^error \[(NET_TIMEOUT|NET_RESET|HTTP_STATUS)\] /m);
      expect(r.stderr).toMatch(/^hint: \S/m);
    }
  });
});

describe('a discovery document with values that break careless code', () => {
  it('is linted and reported (exit 1), not a crash', async () => {
    const r = await discover(`${server.origin}/traps/identity`, ['--json']);
    expect(r.stderr).not.toContain('[INTERNAL]');
    expect(r.stderr).not.toMatch(/^ {4}at /m);
    expect(r.code, r.stderr).toBe(1);
    const doc = JSON.parse(r.stdout) as { findings: { id: string; status: string }[] };
    expect(doc.findings).toContainEqual(
      expect.objectContaining({ id: 'disc.issuer-syntax', status: 'fail' }),
    );
    expect(doc.findings).toContainEqual(
      expect.objectContaining({ id: 'disc.required-fields', status: 'fail' }),
    );
  });
});
