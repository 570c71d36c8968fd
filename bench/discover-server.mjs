// A Togo-shaped provider (IdentityServer: JWKS under the discovery URL) on loopback, run in a worker
// thread so the bench's spawnSync does not stop it from answering. Every request is counted in the
// shared Int32Array: [0] all requests, [1] discovery, [2] JWKS.
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

const counts = new Int32Array(workerData.counts);
const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwks = { keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'bench-1', use: 'sig', alg: 'RS256' }] };

let issuer = '';
function doc() {
  return {
    issuer,
    jwks_uri: `${issuer}/.well-known/openid-configuration/jwks`,
    authorization_endpoint: `${issuer}/connect/authorize`,
    token_endpoint: `${issuer}/connect/token`,
    userinfo_endpoint: `${issuer}/connect/userinfo`,
    end_session_endpoint: `${issuer}/connect/endsession`,
    check_session_iframe: `${issuer}/connect/checksession`,
    revocation_endpoint: `${issuer}/connect/revocation`,
    introspection_endpoint: `${issuer}/connect/introspect`,
    device_authorization_endpoint: `${issuer}/connect/deviceauthorization`,
    frontchannel_logout_supported: true,
    frontchannel_logout_session_supported: true,
    backchannel_logout_supported: true,
    backchannel_logout_session_supported: true,
    scopes_supported: ['openid', 'email', 'profile', 'cosmos', 'offline_access'],
    claims_supported: ['sub', 'email', 'email_verified', 'family_name', 'given_name', 'user', 'name'],
    grant_types_supported: [
      'authorization_code',
      'client_credentials',
      'refresh_token',
      'implicit',
      'urn:ietf:params:oauth:grant-type:device_code',
    ],
    response_types_supported: [
      'code',
      'token',
      'id_token',
      'id_token token',
      'code id_token',
      'code token',
      'code id_token token',
    ],
    response_modes_supported: ['form_post', 'query', 'fragment'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    id_token_signing_alg_values_supported: ['RS256'],
    subject_types_supported: ['public'],
    code_challenge_methods_supported: ['plain', 'S256'],
    request_parameter_supported: true,
  };
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
