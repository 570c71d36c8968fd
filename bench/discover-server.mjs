// A Togo-shaped provider (IdentityServer: JWKS under the discovery URL) on loopback, run in a worker
// thread so the bench's spawnSync does not stop it from answering. Every request is counted in the
// shared Int32Array: [0] all requests, [1] discovery, [2] JWKS.
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

const counts = new Int32Array(workerData.counts);
const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwks = { keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'bench-1', use: 'sig', alg: 'RS256' }] };

let issuer = '';
// The same Togo-shaped document the tests serve, `$ISSUER` standing for the issuer.
const template = readFileSync(new URL('../test/fixtures/togo-discovery.json', import.meta.url), 'utf8');
function doc() {
  return JSON.parse(template.replaceAll('$ISSUER', issuer));
}

const server = createServer((req, res) => {
  Atomics.add(counts, 0, 1);
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  let body;
  if (path === '/identity/.well-known/openid-configuration') {
    Atomics.add(counts, 1, 1);
    body = doc();
  } else if (path === '/identity/.well-known/openid-configuration/jwks') {
    Atomics.add(counts, 2, 1);
    body = jwks;
  }
  if (!body) {
    res.writeHead(404).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
});
server.listen(0, '127.0.0.1', () => {
  issuer = `http://127.0.0.1:${server.address().port}/identity`;
  parentPort.postMessage({ issuer });
});
parentPort.on('message', (m) => {
  if (m === 'close') {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  }
});
