/**
 * Every request is bounded by --timeout whatever the proxy does. A "proxy" that accepts each
 * connection, reads the CONNECT and drops it makes undici's proxy agent reconnect in a loop and
 * ignore the abort signal; togo's own deadline ends the request, stops the loop, and one Ctrl-C
 * ends the command.
 */

import type { AddressInfo } from 'node:net';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../src/http/client.js';
import { startBin } from '../helpers/run-cli.js';

interface DropProxy {
  url: string;
  /** Connections accepted so far. */
  readonly connections: number;
  close(): Promise<void>;
}

/** Accepts each connection, reads the CONNECT line and drops the connection without an answer. */
async function dropProxy(): Promise<DropProxy> {
  let connections = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.once('data', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get connections() {
      return connections;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let proxy: DropProxy;
let witness: DropProxy;
beforeAll(async () => {
  proxy = await dropProxy();
  witness = await dropProxy();
});
afterAll(async () => {
  await proxy.close();
  await witness.close();
});

/** Resolves once the proxy has accepted a connection after this call. */
async function nextConnection(p: DropProxy): Promise<void> {
  const target = p.connections + 1;
  while (p.connections < target) await new Promise((r) => setTimeout(r, 10));
}

describe('a proxy that drops every CONNECT', () => {
  it('the request ends with NET_TIMEOUT at the deadline, and the reconnect loop stops', async () => {
    const http = createHttpClient({ timeoutMs: 1000, env: { HTTPS_PROXY: proxy.url } });
    try {
      const error = await http.request('https://provider.example/.well-known/openid-configuration').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ code: 'NET_TIMEOUT', exitCode: 3 });
      // After the request ended nothing connects to its proxy any more: while a second client's
      // whole request runs through another proxy, a loop still running would add many.
      const after = proxy.connections;
      const other = createHttpClient({ timeoutMs: 1000, env: { HTTPS_PROXY: witness.url } });
      await expect(other.request('https://provider.example/')).rejects.toMatchObject({ code: 'NET_TIMEOUT' });
      await other.close();
      // A connection already under way when the pool was destroyed may still land; a loop would
      // have made about as many as the witness saw (hundreds a second).
      expect(witness.connections).toBeGreaterThan(10);
      expect(proxy.connections - after).toBeLessThanOrEqual(3);
    } finally {
      await http.close();
    }
  });

  it('a later request of the same client still runs (with a fresh connection pool)', async () => {
    const http = createHttpClient({ timeoutMs: 500, env: { HTTPS_PROXY: proxy.url } });
    try {
      await expect(http.request('https://provider.example/a')).rejects.toMatchObject({ code: 'NET_TIMEOUT' });
      const before = proxy.connections;
      await expect(http.request('https://provider.example/b')).rejects.toMatchObject({ code: 'NET_TIMEOUT' });
      expect(proxy.connections).toBeGreaterThan(before);
    } finally {
      await http.close();
    }
  });

  it('togo discover --timeout 2 exits 3 (NET_TIMEOUT) instead of running forever', async () => {
    const bin = startBin(['discover', 'https://provider.example/identity', '--timeout', '2', '--json'], {
      HTTPS_PROXY: proxy.url,
    });
    const code = await Promise.race([bin.exit, new Promise((r) => setTimeout(() => r('hung'), 30_000))]);
    if (code === 'hung') bin.child.kill('SIGKILL');
    expect(code).toBe(3);
    expect(JSON.parse(bin.stdout())).toMatchObject({ ok: false, error: { code: 'NET_TIMEOUT' } });
  }, 40_000);

  it('one Ctrl-C ends togo discover at once (exit 130)', async () => {
    const bin = startBin(['discover', 'https://provider.example/identity', '--timeout', '60'], {
      HTTPS_PROXY: proxy.url,
    });
    await bin.waitForStderr(/Fetching the discovery document/);
    await nextConnection(proxy);
    bin.child.kill('SIGINT');
    const code = await Promise.race([bin.exit, new Promise((r) => setTimeout(() => r('hung'), 20_000))]);
    if (code === 'hung') bin.child.kill('SIGKILL');
    expect(code).toBe(130);
    expect(bin.stderr()).toContain('[INTERRUPTED]');
  }, 30_000);
});
