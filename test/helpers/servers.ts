import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Real local servers for tests: node:http / node:https on 127.0.0.1, a random port. */

export type Handler = (req: IncomingMessage, res: ServerResponse, server: TestServer) => void;

export interface TestServer {
  /** http://127.0.0.1:<port> (no trailing slash). */
  origin: string;
  port: number;
  /** Every request seen: method, path and headers. */
  requests: { method: string; url: string; headers: IncomingMessage['headers'] }[];
  close(): Promise<void>;
}

export interface Tls {
  key: string;
  cert: string;
  /** The certificate's path on disk, for --ca. */
  certFile: string;
}

export async function startServer(handler: Handler, tls?: Tls): Promise<TestServer> {
  const requests: TestServer['requests'] = [];
  let self: TestServer | undefined;
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers });
    handler(req, res, self!);
  };
  const server = tls
    ? https.createServer({ key: tls.key, cert: tls.cert }, listener)
    : http.createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  self = {
    origin: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return self;
}

/** A port where nothing listens (bound, then released). */
export async function freePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** A self-signed certificate made with openssl for the given subjectAltName. */
export function selfSignedCert(san = 'IP:127.0.0.1,DNS:localhost'): Tls & { cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'togo-tls-'));
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '1',
      '-subj',
      '/CN=togo test',
      '-addext',
      `subjectAltName=${san}`,
    ],
    { stdio: 'ignore' },
  );
  return {
    key: readFileSync(keyFile, 'utf8'),
    cert: readFileSync(certFile, 'utf8'),
    certFile,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function sendJson(
  res: ServerResponse,
  body: unknown,
  status = 200,
  type = 'application/json; charset=UTF-8',
) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** A public RSA or EC signing key as a JWK, as a provider publishes it. */
export function publicJwk(kind: 'RSA' | 'EC' = 'RSA', extra: Record<string, unknown> = {}) {
  const { publicKey, privateKey } =
    kind === 'RSA'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'P-384' });
  const jwk = publicKey.export({ format: 'jwk' }) as JsonWebKey;
  return {
    publicJwk: { ...jwk, use: 'sig', ...extra } as Record<string, unknown>,
    privateJwk: { ...(privateKey.export({ format: 'jwk' }) as JsonWebKey), ...extra } as Record<
      string,
      unknown
    >,
  };
}
