import { once } from 'node:events';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect as netConnect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TogoError } from '../../src/errors.js';
import { createHttpClient, type HttpClient } from '../../src/http/client.js';
import { networkError } from '../../src/http/errors.js';
import { USER_AGENT } from '../../src/version.js';
import { orHang } from '../helpers/hang.js';
import { freePort, selfSignedCert, sendJson, startServer, type TestServer } from '../helpers/servers.js';

async function failure(p: Promise<unknown>): Promise<TogoError> {
  try {
    await p;
  } catch (error) {
    expect(error).toBeInstanceOf(TogoError);
    return error as TogoError;
  }
  throw new Error('expected a failure');
}

const clients: HttpClient[] = [];
/** A client with a deadline no busy machine reaches; the tests of the deadline pass their own 1 s. */
function client(opts: Parameters<typeof createHttpClient>[0] = {}): HttpClient {
  const c = createHttpClient({ timeoutMs: 30_000, ...opts });
  clients.push(c);
  return c;
}

let server: TestServer;
const TEN_MIB = 10 * 1024 * 1024;

beforeAll(async () => {
  server = await startServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    switch (url.pathname) {
      case '/doc':
        return sendJson(res, { hello: 'world', ua: req.headers['user-agent'] });
      case '/vendor-json':
        return sendJson(res, { ok: true }, 200, 'application/jwk-set+json');
      case '/html':
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        return res.end(
          '<!DOCTYPE html><html><head><title>Sign in</title></head><body>Please sign in</body></html>',
        );
      case '/broken-json':
        return sendJson(res, '{"issuer": "https://x",');
      case '/missing':
        res.writeHead(404, { 'content-type': 'text/plain' });
        return res.end('No route matches /missing\n\nsee the docs');
      case '/silent':
        return; // never answers
      case '/trickle':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"a":');
        return; // the body never ends
      case '/huge': {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(TEN_MIB) });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        let sent = 0;
        const pump = () => {
          while (sent < TEN_MIB) {
            sent += chunk.length;
            if (!res.write(chunk)) return res.once('drain', pump);
          }
          res.end();
        };
        return pump();
      }
      case '/huge-chunked': {
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        let sent = 0;
        const pump = () => {
          while (sent < TEN_MIB) {
            sent += chunk.length;
            if (!res.write(chunk)) return res.once('drain', pump);
          }
          res.end();
        };
        return pump();
      }
      case '/loop':
        res.writeHead(302, { location: '/loop' });
        return res.end();
      case '/hop': {
        const n = Number(url.searchParams.get('n'));
        res.writeHead(302, { location: n > 0 ? `/hop?n=${n - 1}` : '/doc' });
        return res.end();
      }
      case '/reset':
        return req.socket.destroy();
      default:
        res.writeHead(404);
        res.end();
    }
  });
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await server.close();
});

describe('getJson', () => {
  it('fetches a JSON document and sends the togo User-Agent', async () => {
    const res = await client().getJson<{ hello: string; ua: string }>(`${server.origin}/doc`);
    expect(res.status).toBe(200);
    expect(res.json.hello).toBe('world');
    expect(res.json.ua).toBe(USER_AGENT);
    expect(res.headers['content-type']).toMatch(/application\/json/);
  });

  it('never requests the same URL twice in one run', async () => {
    const c = client();
    const before = server.requests.length;
    const [a, b] = await Promise.all([c.getJson(`${server.origin}/doc`), c.getJson(`${server.origin}/doc`)]);
    await c.getJson(`${server.origin}/doc`);
    expect(a).toBe(b);
    expect(c.requestCount).toBe(1);
    expect(server.requests.length - before).toBe(1);
  });

  it('accepts +json media types', async () => {
    const res = await client().getJson(`${server.origin}/vendor-json`, { what: 'JWKS' });
    expect(res.json).toEqual({ ok: true });
  });

  it('shows what came instead when a login page answers with HTML', async () => {
    const err = await failure(client().getJson(`${server.origin}/html`, { what: 'discovery document' }));
    expect(err.code).toBe('HTTP_CONTENT_TYPE');
    expect(err.exitCode).toBe(3);
    expect(err.message).toContain('discovery document');
    expect(err.message).toContain('text/html: an HTML page: "Sign in"');
  });

  it('says when a JSON-labelled body is not JSON', async () => {
    const err = await failure(client().getJson(`${server.origin}/broken-json`));
    expect(err.code).toBe('HTTP_NOT_JSON');
    expect(err.message).toContain('{"issuer": "https://x",');
  });

  it('shows the status and the start of the body on one line', async () => {
    const err = await failure(client().getJson(`${server.origin}/missing`, { what: 'JWKS' }));
    expect(err.code).toBe('HTTP_STATUS');
    expect(err.message).toContain('HTTP 404 (text/plain): No route matches /missing see the docs');
    expect(err.message).not.toContain('\n');
    expect(err.details?.status).toBe(404);
  });

  it('gives up on a server that never answers, naming the timeout', async () => {
    const err = await orHang(
      failure(client({ timeoutMs: 1000 }).getJson(`${server.origin}/silent`)),
      'a 1 s timeout',
    );
    expect(err.code).toBe('NET_TIMEOUT');
    expect(err.message).toContain('headers timeout');
    expect(err.message).toContain('1 s');
  });

  it('gives up on a body that never ends', async () => {
    const err = await failure(client({ timeoutMs: 1000 }).getJson(`${server.origin}/trickle`));
    expect(err.code).toBe('NET_TIMEOUT');
    expect(err.message).toContain('body timeout');
  });

  it('stops reading at the size cap (declared length)', async () => {
    const err = await failure(client().getJson(`${server.origin}/huge`));
    expect(err.code).toBe('HTTP_BODY_TOO_LARGE');
    expect(err.message).toContain('1.0 MB');
  });

  it('stops reading at the size cap (chunked)', async () => {
    const err = await failure(client().getJson(`${server.origin}/huge-chunked`));
    expect(err.code).toBe('HTTP_BODY_TOO_LARGE');
  });

  it('follows up to three redirects', async () => {
    const res = await client().getJson(`${server.origin}/hop?n=2`);
    expect(res.url).toBe(`${server.origin}/doc`);
  });

  it('refuses a fourth redirect', async () => {
    const err = await failure(client().getJson(`${server.origin}/hop?n=3`));
    expect(err.code).toBe('HTTP_REDIRECTS');
  });

  it('detects a redirect loop', async () => {
    const err = await failure(client().getJson(`${server.origin}/loop`));
    expect(err.code).toBe('HTTP_REDIRECTS');
    expect(err.message).toContain('loop');
  });
});

describe('request', () => {
  it('does not follow redirects unless asked', async () => {
    const res = await client().request(`${server.origin}/loop`);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/loop');
  });

  it('narrates each request for --debug', async () => {
    const lines: string[] = [];
    await client({ onEvent: (l) => lines.push(l) }).request(`${server.origin}/doc`);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/doc → 200 \(\d+ B, \d+ ms\)$/);
  });

  it('stops when Ctrl-C aborts the run', async () => {
    const controller = new AbortController();
    const pending = client({ signal: controller.signal }).request(`${server.origin}/silent`);
    setTimeout(() => controller.abort(), 50);
    const err = await failure(pending);
    expect(err.code).toBe('INTERRUPTED');
  });
});

describe('network failures', () => {
  it('reports a refused connection', async () => {
    const port = await freePort();
    const err = await failure(client().getJson(`http://127.0.0.1:${port}/x`));
    expect(err.code).toBe('NET_REFUSED');
    expect(err.message).toContain(`127.0.0.1:${port}`);
  });

  it('reports a host that does not resolve', async () => {
    const err = await failure(client().getJson('http://togo-test.invalid/x'));
    expect(err.code).toBe('NET_DNS');
    expect(err.message).toContain('togo-test.invalid');
  });

  it('reports a connection closed before any answer', async () => {
    const err = await failure(client().getJson(`${server.origin}/reset`));
    expect(err.code).toBe('NET_RESET');
  });

  it('names certificate problems', () => {
    const cases: [string, RegExp][] = [
      ['CERT_HAS_EXPIRED', /expired/],
      ['ERR_TLS_CERT_ALTNAME_INVALID', /hostname mismatch/],
      ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', /unknown certificate authority/],
      ['DEPTH_ZERO_SELF_SIGNED_CERT', /self-signed/],
    ];
    for (const [code, message] of cases) {
      const err = networkError(Object.assign(new Error('x'), { code }), 'https://id.example/x', 1000);
      expect(err.code, code).toBe('NET_TLS');
      expect(err.message, code).toMatch(message);
    }
  });
});

describe('TLS', () => {
  const cert = selfSignedCert();
  const wrongName = selfSignedCert('DNS:other.example');
  let tlsServer: TestServer;
  let wrongServer: TestServer;
  beforeAll(async () => {
    tlsServer = await startServer((_req, res) => sendJson(res, { secure: true }), cert);
    wrongServer = await startServer((_req, res) => sendJson(res, { secure: true }), wrongName);
  });
  afterAll(async () => {
    await tlsServer.close();
    await wrongServer.close();
    cert.cleanup();
    wrongName.cleanup();
  });

  it('rejects a self-signed certificate and says so', async () => {
    const err = await failure(client().getJson(`${tlsServer.origin}/x`));
    expect(err.code).toBe('NET_TLS');
    expect(err.message).toContain('self-signed');
    expect(err.hint).toContain('--ca');
  });

  it('trusts a self-signed certificate given with --ca', async () => {
    const res = await client({ caFile: cert.certFile }).getJson(`${tlsServer.origin}/x`);
    expect(res.json).toEqual({ secure: true });
  });

  it('trusts a certificate from NODE_EXTRA_CA_CERTS', async () => {
    const res = await client({ env: { NODE_EXTRA_CA_CERTS: cert.certFile } }).getJson(
      `${tlsServer.origin}/y`,
    );
    expect(res.json).toEqual({ secure: true });
  });

  it('names a hostname mismatch even when the CA is trusted', async () => {
    const err = await failure(client({ caFile: wrongName.certFile }).getJson(`${wrongServer.origin}/x`));
    expect(err.code).toBe('NET_TLS');
    expect(err.message).toContain('hostname mismatch');
  });

  it('reports an unreadable --ca file as a usage problem', () => {
    expect(() => createHttpClient({ caFile: '/nonexistent/ca.pem' })).toThrow(
      expect.objectContaining({ code: 'INPUT_UNREADABLE' }),
    );
  });
});

describe('proxies', () => {
  // A CONNECT proxy, as corporate proxies are: it records the tunnels it opens.
  let proxyPort = 0;
  const tunnels: string[] = [];
  const proxy = createHttpServer();
  const sockets = new Set<Socket>();
  proxy.on('connect', (req, clientSocket: Socket, head) => {
    tunnels.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':');
    const upstream = netConnect(Number(port), host, () => {
      clientSocket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(clientSocket);
      clientSocket.pipe(upstream);
    });
    for (const s of [clientSocket, upstream]) {
      sockets.add(s);
      s.on('error', () => {});
    }
  });
  beforeAll(async () => {
    proxy.listen(0, '127.0.0.1');
    await once(proxy, 'listening');
    proxyPort = (proxy.address() as AddressInfo).port;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => proxy.close(() => resolve()));
  });

  it('goes through HTTP_PROXY (any case)', async () => {
    tunnels.length = 0;
    const res = await client({ env: { http_proxy: `http://127.0.0.1:${proxyPort}` } }).getJson(
      `${server.origin}/doc`,
    );
    expect(res.status).toBe(200);
    expect(tunnels).toEqual([`127.0.0.1:${server.port}`]);
  });

  it('bypasses the proxy for NO_PROXY hosts', async () => {
    tunnels.length = 0;
    await client({
      env: { HTTP_PROXY: `http://127.0.0.1:${proxyPort}`, NO_PROXY: 'example.org,127.0.0.1' },
    }).getJson(`${server.origin}/doc`);
    expect(tunnels).toEqual([]);
  });
});

describe('a request that does not answer at once is announced', () => {
  it('names the host and what is awaited while it waits, and ends the announcement when it answers', async () => {
    // The answer goes out once both have happened: the request reached the server, and it was announced.
    let announced = false;
    let answer: (() => void) | undefined;
    const release = () => {
      if (announced) answer?.();
    };
    const held = await startServer((_req, res) => {
      answer = () => sendJson(res, { late: true });
      release();
    });
    try {
      const said: string[] = [];
      const http = client({
        slowAfterMs: 1,
        onSlow: (r) => {
          said.push(`${r.method} ${r.host} ${r.what} up to ${r.timeoutMs} ms`);
          // Told while the request still waits: answering now ends it.
          announced = true;
          release();
          return () => said.push('answered');
        },
      });
      const res = await orHang(
        http.getJson(`${held.origin}/slow`, { what: 'discovery document' }),
        'the held request',
      );
      expect(res.json).toEqual({ late: true });
      expect(said).toEqual([
        `GET ${new URL(held.origin).host} discovery document up to 30000 ms`,
        'answered',
      ]);
    } finally {
      await held.close();
    }
  });

  it('says nothing of a request that answers before the delay', async () => {
    const said: string[] = [];
    const http = client({
      slowAfterMs: 60_000,
      onSlow: () => {
        said.push('slow');
        return () => {};
      },
    });
    await http.getJson(`${server.origin}/doc`);
    expect(said).toEqual([]);
  });
});
