/**
 * The relying-party attacks of the OpenID Foundation's RP certification (implicit, hybrid and code
 * flows), and more, in ONE table. Each case runs through `togo decode --verify` (the token crafted
 * here, the discovery document and JWKS served by a real local provider) and through
 * `togo login --headless` against a hostile provider that answers the authorization request with
 * the crafted response; response-level attacks (state, RFC 9207 iss, the token endpoint) have no
 * decode column. docs/security-details.md is the summary of this table.
 */
import { createPublicKey } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CheckStatus } from '../../src/check.js';
import type { FaultName } from '../../src/mock/types.js';
import { halfHash } from '../../src/oidc/id-token-checks.js';
import {
  type AuthorizeRequest,
  type HostileProvider,
  s256,
  startHostileProvider,
  type TokenAnswer,
} from '../helpers/hostile-provider.js';
import { runCli } from '../helpers/run-cli.js';
import { b64, CLIENT, makeKey, NOW, NOW_S, signToken, type TestKey } from '../helpers/tokens.js';

const DECODE_NONCE = 'n-0S6_WzA2Mj';
const DECODE_ACCESS_TOKEN = 'decode-access-token';
const DECODE_CODE = 'decode-code';
const FRONT_ACCESS_TOKEN = 'front-access-token';
const BACK_ACCESS_TOKEN = 'back-access-token';
const CODE = 'hostile-code';

interface Keys {
  /** The provider's signing key, kid k1. */
  k1: TestKey;
  /** A second published key, kid k2. */
  k2: TestKey;
  /** Another key pair under the published kid k1. */
  impostor: TestKey;
  /** The key rotated in, kid k3. */
  rotated: TestKey;
  /** A key the provider never publishes, kid k9. */
  stranger: TestKey;
  /** An ES256 key, kid ec. */
  ec: TestKey;
}
let K: Keys;

/** What a case crafts tokens with: the values of this request, and a signer with good defaults. */
interface Craft {
  issuer: string;
  nonce: string;
  accessToken?: string;
  code?: string;
  /** A well-formed ID token for this request signed with k1; `claims`/`header` override (undefined removes). */
  sign(claims?: Record<string, unknown>, header?: Record<string, unknown>, key?: TestKey): Promise<string>;
}

function craft(issuer: string, nonce: string, accessToken?: string, code?: string): Craft {
  return {
    issuer,
    nonce,
    ...(accessToken ? { accessToken } : {}),
    ...(code ? { code } : {}),
    sign: (claims = {}, header = {}, key = K.k1) => {
      const alg = key.alg;
      return signToken(
        key,
        {
          iss: issuer,
          nonce,
          ...(accessToken ? { at_hash: halfHash(accessToken, alg) } : {}),
          ...(code ? { c_hash: halfHash(code, alg) } : {}),
          ...claims,
        },
        header,
      );
    },
  };
}

/** The outcome of one run: exit code, and the failing (or passing) check, or the error's code. */
interface Outcome {
  exit: number;
  /** A check id (D1–D15, F1–F4) that must be there with `status` and, when given, `code`. */
  check?: string;
  status?: CheckStatus;
  /** The check's code; without `check`, the code of the error the run ended with. */
  code?: string;
  message?: RegExp;
  /** How many times the JWKS was fetched (key rotation: exactly twice). */
  jwksRequests?: number;
  /** How many token requests were made (none after a failed front channel). */
  tokenRequests?: number;
}

interface RpCase {
  name: string;
  /** How the attack is produced. */
  produced: string;
  /** The response type of the login (default id_token). */
  flow?: string;
  /** The JWKS the provider serves; `n` counts requests from 1 (default: k1's public key). */
  jwks?: (n: number) => Record<string, unknown>[];
  /** Extra discovery metadata. */
  metadata?: Record<string, unknown>;
  /** The ID token (front channel in a login); default: a good one. */
  idToken?: (c: Craft) => Promise<string>;
  /** Login only: the authorization response, from the default one. */
  response?: (
    c: Craft,
    defaults: Record<string, string | undefined>,
    request: AuthorizeRequest,
  ) => Record<string, string | undefined>;
  /** Login only: the token endpoint's answer (`c` carries the back channel's access token). */
  tokenEndpoint?: (c: Craft) => Promise<TokenAnswer>;
  decode?: Outcome;
  login?: Outcome;
  /** The same attack from the emulator (`--fault`), run in test/commands/login/headless.test.ts. */
  emulator?: FaultName;
}

const pass = (check: string, extra: Partial<Outcome> = {}): Outcome => ({
  exit: 0,
  check,
  status: 'pass',
  ...extra,
});
const fail = (check: string, code: string, extra: Partial<Outcome> = {}): Outcome => ({
  exit: 1,
  check,
  status: 'fail',
  code,
  ...extra,
});
const warn = (check: string, code?: string): Outcome => ({
  exit: 0,
  check,
  status: 'warn',
  ...(code ? { code } : {}),
});
const both = (o: Outcome) => ({ decode: o, login: o });

async function hs256(c: Craft, secret: Uint8Array, kid = 'k1'): Promise<string> {
  return new SignJWT({
    iss: c.issuer,
    sub: 'user-123',
    aud: CLIENT,
    exp: NOW_S + 300,
    iat: NOW_S - 10,
    nonce: c.nonce,
  })
    .setProtectedHeader({ alg: 'HS256', kid })
    .sign(secret);
}

function unsigned(c: Craft, alg: string | undefined): string {
  const header = alg === undefined ? { typ: 'JWT' } : { alg, typ: 'JWT' };
  return `${b64(header)}.${b64({ iss: c.issuer, sub: 'user-123', aud: CLIENT, exp: NOW_S + 300, iat: NOW_S - 10, nonce: c.nonce })}.`;
}

const OCT_SECRET = 'a-shared-secret-published-by-mistake-32b';

/** A good token endpoint answer: an access token and an ID token for the same user. */
async function goodTokens(c: Craft, claims: Record<string, unknown> = {}): Promise<TokenAnswer> {
  return {
    body: {
      access_token: BACK_ACCESS_TOKEN,
      token_type: 'Bearer',
      expires_in: 300,
      id_token: await c.sign(claims),
    },
  };
}

const CASES: RpCase[] = [
  // ── well-formed: the provider and the harness work, so every failure below is the attack's ──
  ...['id_token', 'id_token token', 'code', 'code id_token', 'code id_token token'].map(
    (flow): RpCase => ({
      name: `a well-formed ${flow} response is accepted`,
      produced: 'good token, signed with the published key',
      flow,
      ...(flow === 'id_token' ? { decode: pass('D5') } : {}),
      login: pass(flow.includes('code') ? 'F3' : 'F1', flow.includes('code') ? { tokenRequests: 1 } : {}),
    }),
  ),
  // ── signature (D1, D5, D6) ──
  {
    name: 'bad signature',
    produced: 'payload altered after signing (sub: admin)',
    idToken: async (c) => {
      const [h, , s] = (await c.sign()).split('.');
      const [, p] = (await c.sign({ sub: 'admin' })).split('.');
      return `${h}.${p}.${s}`;
    },
    ...both(fail('D5', 'TOKEN_SIGNATURE_INVALID')),
  },
  {
    name: 'signature stripped',
    produced: 'RS256 header, empty signature',
    idToken: async (c) => `${(await c.sign()).split('.').slice(0, 2).join('.')}.`,
    ...both(fail('D5', 'TOKEN_SIGNATURE_INVALID')),
  },
  ...(['none', 'None', 'NONE'] as const).map(
    (alg): RpCase => ({
      name: `alg ${alg}`,
      produced: `unsigned token, alg "${alg}"`,
      idToken: async (c) => unsigned(c, alg),
      ...both(fail('D1', 'TOKEN_ALG_NONE')),
      ...(alg === 'none' ? { emulator: 'alg-none' as const } : {}),
    }),
  ),
  {
    name: 'no alg at all',
    produced: 'header without alg',
    idToken: async (c) => unsigned(c, undefined),
    ...both(fail('D1', 'TOKEN_ALG_NONE')),
  },
  {
    name: "HS256 signed with the provider's public key as the secret",
    produced: 'HMAC over the PEM of the published RSA key, kid k1',
    idToken: async (c) =>
      hs256(
        c,
        new TextEncoder().encode(
          createPublicKey({ key: K.k1.publicJwk as never, format: 'jwk' }).export({
            type: 'spki',
            format: 'pem',
          }) as string,
        ),
      ),
    ...both(fail('D5', 'TOKEN_ALG_NOT_ALLOWED')),
  },
  {
    name: "HS256 signed with the provider's public JWK as the secret",
    produced: 'HMAC over the JSON of the published JWK',
    idToken: async (c) => hs256(c, new TextEncoder().encode(JSON.stringify(K.k1.publicJwk))),
    ...both(fail('D6', 'TOKEN_ALG_NOT_ALLOWED')),
  },
  {
    name: 'right kid, wrong key material',
    produced: 'signed by another key pair under the published kid k1',
    idToken: (c) => c.sign({}, {}, K.impostor),
    ...both(fail('D5', 'TOKEN_SIGNATURE_INVALID')),
    emulator: 'bad-signature',
  },
  {
    name: "attacker's key embedded in the header",
    produced: 'signed by an unpublished key, its public JWK in the jwk header and a jku to it',
    idToken: (c) =>
      c.sign({}, { kid: 'k9', jwk: K.stranger.publicJwk, jku: 'http://127.0.0.1:9/jwks' }, K.stranger),
    ...both(fail('D5', 'JWKS_NO_MATCHING_KEY', { jwksRequests: 2 })),
  },
  {
    name: 'an algorithm the provider does not advertise',
    produced: 'ES256 key published, discovery advertises RS256 only',
    jwks: () => [K.k1.publicJwk, K.ec.publicJwk],
    idToken: (c) => c.sign({}, {}, K.ec),
    ...both(fail('D6', 'TOKEN_ALG_NOT_ALLOWED')),
  },
  {
    name: 'kid absent, one key in the JWKS',
    produced: 'no kid header; the JWKS holds only k1',
    idToken: (c) => c.sign({}, { kid: undefined }),
    ...both(pass('D5')),
  },
  {
    name: 'kid absent, several keys in the JWKS',
    produced: 'no kid header; the JWKS holds k1 and k2 (both RS256)',
    jwks: () => [K.k1.publicJwk, K.k2.publicJwk],
    idToken: (c) => c.sign({}, { kid: undefined }),
    ...both(fail('D5', 'JWKS_MULTIPLE_MATCHING_KEYS')),
  },
  {
    name: 'unknown kid, then key rotation',
    produced: 'signed by k3, which the JWKS publishes from its second fetch on',
    jwks: (n) => (n === 1 ? [K.k1.publicJwk] : [K.k1.publicJwk, K.rotated.publicJwk]),
    idToken: (c) => c.sign({}, {}, K.rotated),
    ...both(pass('D5', { message: /fetched again after an unknown kid/, jwksRequests: 2 })),
    emulator: 'rotate-keys',
  },
  {
    name: 'unknown kid, no rotation',
    produced: 'signed by k9, never published',
    idToken: (c) => c.sign({}, {}, K.stranger),
    ...both(fail('D5', 'JWKS_NO_MATCHING_KEY', { message: /fetched twice/, jwksRequests: 2 })),
    emulator: 'unknown-kid',
  },
  {
    name: 'JWKS holding the private key',
    produced: 'the JWKS publishes k1 with its private members (d, p, q, …)',
    jwks: () => [K.k1.privateJwk],
    ...both(fail('D5', 'JWKS_UNUSABLE_KEY', { message: /private key/ })),
  },
  {
    name: "JWKS holding a symmetric key under the token's kid",
    produced: 'the JWKS publishes an oct key as k1; the token is RS256',
    jwks: () => [{ kty: 'oct', kid: 'k1', k: b64(OCT_SECRET) }],
    ...both(fail('D5', 'JWKS_UNUSABLE_KEY', { message: /symmetric key/ })),
  },
  {
    name: "HS256 signed with the JWKS's symmetric key",
    produced: 'the JWKS publishes an oct key as k1; the token is HS256 with it',
    jwks: () => [{ kty: 'oct', kid: 'k1', alg: 'HS256', k: b64(OCT_SECRET) }],
    idToken: (c) => hs256(c, new TextEncoder().encode(OCT_SECRET)),
    ...both(fail('D5', 'TOKEN_ALG_NOT_ALLOWED')),
  },
  {
    name: 'duplicate kids, the token verifies with one of them',
    produced: 'the JWKS publishes k1 and another key also named k1',
    jwks: () => [K.impostor.publicJwk, K.k1.publicJwk],
    ...both(warn('D5', 'JWKS_MULTIPLE_MATCHING_KEYS')),
  },
  {
    name: 'duplicate kids, the token verifies with neither',
    produced: 'two keys named k1 published; signed by a third key named k1',
    jwks: () => [K.impostor.publicJwk, K.k1.publicJwk],
    idToken: async (c) => c.sign({}, {}, await makeKey('RS256', 'k1')),
    ...both(fail('D5', 'TOKEN_SIGNATURE_INVALID')),
  },
  // ── claims (D2–D4, D7–D9, D14) ──
  {
    name: 'wrong iss',
    produced: "iss is Togo ID's production issuer",
    idToken: (c) => c.sign({ iss: 'https://id2.runswithtogo.com/identity' }),
    ...both(fail('D2', 'TOKEN_ISSUER_MISMATCH')),
    emulator: 'wrong-issuer',
  },
  {
    name: 'iss differing by a trailing slash',
    produced: 'iss is the issuer plus "/"',
    idToken: (c) => c.sign({ iss: `${c.issuer}/` }),
    ...both(fail('D2', 'TOKEN_ISSUER_MISMATCH', { message: /differ only by a trailing slash/ })),
  },
  {
    name: 'iss missing',
    produced: 'no iss claim',
    idToken: (c) => c.sign({ iss: undefined }),
    ...both(fail('D2', 'TOKEN_CLAIM_MISSING')),
  },
  {
    name: 'wrong aud',
    produced: 'aud is another client',
    idToken: (c) => c.sign({ aud: 'some-other-client' }),
    ...both(fail('D3', 'TOKEN_AUDIENCE_MISMATCH')),
    emulator: 'wrong-audience',
  },
  {
    name: 'several audiences, none of them the client',
    produced: 'aud is [api, other-client]',
    idToken: (c) => c.sign({ aud: ['api', 'other-client'], azp: 'other-client' }),
    ...both(fail('D3', 'TOKEN_AUDIENCE_MISMATCH')),
  },
  {
    name: 'several audiences with azp naming the client',
    produced: 'aud is [client, api], azp is the client',
    idToken: (c) => c.sign({ aud: [CLIENT, 'api'], azp: CLIENT }),
    ...both(warn('D3')),
  },
  {
    name: 'several audiences without azp',
    produced: 'aud is [client, api], no azp',
    idToken: (c) => c.sign({ aud: [CLIENT, 'api'] }),
    ...both(warn('D4')),
  },
  {
    name: 'azp naming another client',
    produced: 'aud is [client, other-client], azp is other-client',
    idToken: (c) => c.sign({ aud: [CLIENT, 'other-client'], azp: 'other-client' }),
    ...both(warn('D4', 'TOKEN_AUDIENCE_MISMATCH')),
  },
  {
    name: 'expired',
    produced: 'exp ten minutes ago',
    idToken: (c) => c.sign({ exp: NOW_S - 600, iat: NOW_S - 900 }),
    ...both(fail('D7', 'TOKEN_EXPIRED')),
    emulator: 'expired-id-token',
  },
  {
    name: 'exp missing',
    produced: 'no exp claim',
    idToken: (c) => c.sign({ exp: undefined }),
    ...both(fail('D7', 'TOKEN_CLAIM_MISSING')),
  },
  {
    name: 'nbf in the future',
    produced: 'nbf in an hour',
    idToken: (c) => c.sign({ nbf: NOW_S + 3600 }),
    ...both(fail('D7', 'TOKEN_NOT_YET_VALID')),
  },
  {
    name: 'iat in the future',
    produced: 'iat in an hour',
    idToken: (c) => c.sign({ iat: NOW_S + 3600 }),
    ...both(fail('D8', 'TOKEN_ISSUED_IN_FUTURE')),
  },
  {
    name: 'iat missing',
    produced: 'no iat claim',
    idToken: (c) => c.sign({ iat: undefined }),
    ...both(fail('D8', 'TOKEN_CLAIM_MISSING')),
  },
  {
    name: 'sub missing',
    produced: 'no sub claim',
    idToken: (c) => c.sign({ sub: undefined }),
    ...both(fail('D14', 'TOKEN_CLAIM_MISSING')),
  },
  {
    name: 'sub not a string',
    produced: 'sub is the number 42',
    idToken: (c) => c.sign({ sub: 42 }),
    ...both(fail('D14', 'TOKEN_SUB_INVALID')),
  },
  {
    name: 'nonce missing',
    produced: 'no nonce claim, though one was sent',
    idToken: (c) => c.sign({ nonce: undefined }),
    ...both(fail('D9', 'TOKEN_NONCE_MISMATCH')),
  },
  {
    name: 'nonce mismatch',
    produced: 'nonce of another request',
    idToken: (c) => c.sign({ nonce: 'another-request' }),
    ...both(fail('D9', 'TOKEN_NONCE_MISMATCH')),
    emulator: 'wrong-nonce',
  },
  // ── hashes (D10, D11): required in the flows that return the token or code with the ID token ──
  {
    name: 'at_hash missing',
    produced: 'id_token token response, ID token without at_hash',
    flow: 'id_token token',
    idToken: (c) => c.sign({ at_hash: undefined }),
    // decode cannot know the flow: at_hash is optional beside a token endpoint's access token, so the
    // check the user asked for (--access-token) is a warning with the reason, never a silent skip.
    decode: { exit: 0, check: 'D10', status: 'warn' },
    login: fail('D10', 'TOKEN_AT_HASH_MISMATCH'),
    emulator: 'missing-at-hash',
  },
  {
    name: 'at_hash wrong',
    produced: 'at_hash of another access token',
    flow: 'id_token token',
    idToken: (c) => c.sign({ at_hash: halfHash('another-access-token', 'RS256') }),
    ...both(fail('D10', 'TOKEN_AT_HASH_MISMATCH')),
    emulator: 'bad-at-hash',
  },
  {
    name: 'c_hash missing',
    produced: 'code id_token response, ID token without c_hash',
    flow: 'code id_token',
    idToken: (c) => c.sign({ c_hash: undefined }),
    decode: { exit: 0, check: 'D11', status: 'warn' },
    login: fail('D11', 'TOKEN_C_HASH_MISMATCH', { tokenRequests: 0 }),
  },
  {
    name: 'c_hash wrong',
    produced: 'c_hash of another code',
    flow: 'code id_token',
    idToken: (c) => c.sign({ c_hash: halfHash('another-code', 'RS256') }),
    ...both(fail('D11', 'TOKEN_C_HASH_MISMATCH', { tokenRequests: 0 })),
  },
  // ── explicit typing (D16, RFC 8725 §3.11): another kind of token is never an ID token ──
  {
    name: 'an access token (typ at+jwt) as the ID token',
    produced: 'a well-signed token typed as an RFC 9068 access token in place of the ID token',
    idToken: (c) => c.sign({}, { typ: 'at+jwt' }),
    ...both(fail('D16', 'TOKEN_TYPE_MISMATCH')),
  },
  {
    name: 'a logout token (typ logout+jwt) as the ID token',
    produced: 'a well-signed token typed as a back-channel logout token in place of the ID token',
    idToken: (c) => c.sign({}, { typ: 'logout+jwt' }),
    ...both(fail('D16', 'TOKEN_TYPE_MISMATCH')),
  },
  // ── the authorization response (F1–F3): login only ──
  {
    name: 'state missing',
    produced: 'the response carries no state',
    response: (_c, d) => ({ ...d, state: undefined }),
    login: { exit: 1, code: 'STATE_MISMATCH' },
  },
  {
    name: 'state wrong',
    produced: 'the response carries the state of another request',
    response: (_c, d) => ({ ...d, state: 'AnotherLoginsState0123' }),
    login: { exit: 1, code: 'STATE_MISMATCH' },
  },
  {
    name: 'RFC 9207 iss wrong',
    produced: 'code response with iss naming another provider',
    flow: 'code',
    response: (_c, d) => ({ ...d, iss: 'https://id2.runswithtogo.com/identity' }),
    login: fail('F2', 'RESPONSE_ISSUER_MISMATCH', { tokenRequests: 0 }),
  },
  {
    name: 'RFC 9207 iss differing by a trailing slash',
    produced: 'code response with iss = issuer + "/"',
    flow: 'code',
    response: (c, d) => ({ ...d, iss: `${c.issuer}/` }),
    login: fail('F2', 'RESPONSE_ISSUER_MISMATCH', { tokenRequests: 0 }),
  },
  {
    name: 'RFC 9207 iss missing though advertised',
    produced: 'authorization_response_iss_parameter_supported: true, code response without iss',
    flow: 'code',
    metadata: { authorization_response_iss_parameter_supported: true },
    login: fail('F2', 'RESPONSE_ISSUER_MISMATCH', { tokenRequests: 0 }),
  },
  {
    name: 'RFC 9207 iss right',
    produced: 'authorization_response_iss_parameter_supported: true, iss = issuer',
    flow: 'code',
    metadata: { authorization_response_iss_parameter_supported: true },
    response: (c, d) => ({ ...d, iss: c.issuer }),
    login: pass('F2', { tokenRequests: 1 }),
  },
  {
    name: 'response lacking a part of the response type',
    produced: 'id_token token response without the access token',
    flow: 'id_token token',
    response: (_c, d) => ({ ...d, access_token: undefined, token_type: undefined }),
    idToken: (c) => c.sign({ at_hash: undefined }),
    login: fail('F3', 'TOKEN_INVALID'),
  },
  {
    name: 'an ID token that is not a JWT',
    produced: 'id_token=not-a-jwt in the response',
    response: (_c, d) => ({ ...d, id_token: 'not-a-jwt' }),
    login: { exit: 1, code: 'TOKEN_INVALID', message: /not a JWT|parts/ },
  },
  // ── the token endpoint (F3, F4): login only ──
  {
    name: "the token endpoint's ID token names another sub",
    produced: 'code id_token: front channel sub user-123, token endpoint sub user-666',
    flow: 'code id_token',
    tokenEndpoint: (c) => goodTokens(c, { sub: 'user-666' }),
    login: fail('F4', 'TOKEN_INVALID', { tokenRequests: 1 }),
  },
  {
    name: "the token endpoint's ID token is for another client",
    produced: 'code: token endpoint ID token with aud another client',
    flow: 'code',
    tokenEndpoint: (c) => goodTokens(c, { aud: 'some-other-client' }),
    login: fail('D3', 'TOKEN_AUDIENCE_MISMATCH'),
  },
  {
    name: "the token endpoint's ID token has another nonce",
    produced: 'code: token endpoint ID token with the nonce of another request',
    flow: 'code',
    tokenEndpoint: (c) => goodTokens(c, { nonce: 'another-request' }),
    login: fail('D9', 'TOKEN_NONCE_MISMATCH'),
  },
  {
    name: "the token endpoint's ID token is signed by an unknown key",
    produced: 'code: token endpoint ID token signed by k9',
    flow: 'code',
    tokenEndpoint: async (c) => ({
      body: {
        access_token: BACK_ACCESS_TOKEN,
        token_type: 'Bearer',
        id_token: await c.sign({}, {}, K.stranger),
      },
    }),
    login: fail('D5', 'JWKS_NO_MATCHING_KEY'),
  },
  {
    name: 'the token response without an access token',
    produced: 'code: {"token_type":"Bearer","id_token":…}',
    flow: 'code',
    tokenEndpoint: async (c) => ({ body: { token_type: 'Bearer', id_token: await c.sign() } }),
    login: fail('F3', 'PROVIDER_ERROR'),
  },
  {
    name: 'the token response without an ID token',
    produced: 'code with scope openid: {"access_token":…,"token_type":"Bearer"}',
    flow: 'code',
    tokenEndpoint: async () => ({ body: { access_token: BACK_ACCESS_TOKEN, token_type: 'Bearer' } }),
    login: fail('F3', 'PROVIDER_ERROR'),
  },
  {
    name: 'the token endpoint refuses the code',
    produced: 'code: HTTP 400 {"error":"invalid_grant"}',
    flow: 'code',
    tokenEndpoint: async () => ({ status: 400, body: { error: 'invalid_grant' } }),
    login: { exit: 4, code: 'LOGIN_PROVIDER_ERROR' },
  },
  {
    name: 'the token endpoint fails with an HTML page',
    produced: 'code: HTTP 500 text/html',
    flow: 'code',
    tokenEndpoint: async () => ({
      status: 500,
      contentType: 'text/html',
      body: '<html><body><h1>Internal Server Error</h1></body></html>',
    }),
    login: { exit: 3, code: 'HTTP_STATUS' },
  },
];

// ── the harness ──

let provider: HostileProvider | undefined;
afterEach(async () => {
  await provider?.close();
  provider = undefined;
});

beforeAll(async () => {
  K = {
    k1: await makeKey('RS256', 'k1'),
    k2: await makeKey('RS256', 'k2'),
    impostor: await makeKey('RS256', 'k1'),
    rotated: await makeKey('RS256', 'k3'),
    stranger: await makeKey('RS256', 'k9'),
    ec: await makeKey('ES256', 'ec'),
  };
});

const has = (rt: string, part: string) => rt.split(' ').includes(part);

async function hostile(c: RpCase): Promise<HostileProvider> {
  provider = await startHostileProvider({
    ...(c.metadata ? { metadata: () => c.metadata! } : {}),
    jwks: (n) => ({ keys: c.jwks ? c.jwks(n) : [K.k1.publicJwk] }),
    authorize: async (request) => {
      const rt = request.responseType;
      const front = craft(
        provider!.issuer,
        request.nonce ?? '',
        has(rt, 'token') ? FRONT_ACCESS_TOKEN : undefined,
        has(rt, 'code') ? CODE : undefined,
      );
      const defaults: Record<string, string | undefined> = {
        state: request.state,
        ...(has(rt, 'id_token') ? { id_token: await (c.idToken ?? ((x: Craft) => x.sign()))(front) } : {}),
        ...(has(rt, 'token') ? { access_token: FRONT_ACCESS_TOKEN, token_type: 'Bearer' } : {}),
        ...(has(rt, 'code') ? { code: CODE } : {}),
      };
      return { params: c.response ? c.response(front, defaults, request) : defaults };
    },
    token: async (form, request) => {
      // PKCE and the code are checked, so a good login proves togo sent them.
      if (form.get('code') !== CODE || s256(form.get('code_verifier') ?? '') !== request?.codeChallenge) {
        return { status: 400, body: { error: 'invalid_grant', error_description: 'code or PKCE verifier' } };
      }
      const back = craft(provider!.issuer, request.nonce ?? '', BACK_ACCESS_TOKEN);
      if (c.tokenEndpoint) return c.tokenEndpoint(back);
      // The token endpoint's ID token names the same user as the front channel's.
      return goodTokens(back);
    },
  });
  return provider;
}

interface Json {
  ok: boolean;
  error?: { code: string; message: string };
  checks?: { id: string; status: string; code?: string; message: string }[];
  verification?: { checks: { id: string; status: string; code?: string; message: string }[] };
  idTokens?: { verification: { checks: { id: string; status: string; code?: string; message: string }[] } }[];
}

function judge(r: { code: number; stdout: string; stderr: string }, o: Outcome, p: HostileProvider) {
  expect(r.stderr, 'no stack trace, ever').not.toMatch(/^\s+at /m);
  const doc = JSON.parse(r.stdout) as Json;
  const checks = [
    ...(doc.checks ?? []),
    ...(doc.verification?.checks ?? []),
    ...(doc.idTokens ?? []).flatMap((t) => t.verification.checks),
  ];
  if (o.check) {
    const found = checks.filter((c) => c.id === o.check && c.status === o.status);
    expect(
      found,
      `${o.check} ${o.status} among ${JSON.stringify(checks.map((c) => `${c.id} ${c.status} ${c.code ?? ''}`))}`,
    ).not.toEqual([]);
    if (o.code) expect(found.map((c) => c.code)).toContain(o.code);
    if (o.message) expect(found.map((c) => c.message).join('\n')).toMatch(o.message);
  } else {
    expect(doc.error?.code).toBe(o.code);
    if (o.message) expect(doc.error?.message).toMatch(o.message);
    expect(r.stderr).toMatch(/^hint: \S/m);
  }
  expect(r.code, r.stderr).toBe(o.exit);
  expect(doc.ok).toBe(o.exit === 0);
  if (o.exit !== 0) expect(checks.some((c) => c.status === 'fail') || doc.error !== undefined).toBe(true);
  if (o.jwksRequests !== undefined) expect(p.counts.jwks).toBe(o.jwksRequests);
  if (o.tokenRequests !== undefined) expect(p.counts.token).toBe(o.tokenRequests);
}

describe('relying-party attacks through togo decode --verify', () => {
  it.each(CASES.filter((c) => c.decode).map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const p = await hostile(c);
    const token = await (c.idToken ?? ((x: Craft) => x.sign()))(
      craft(p.issuer, DECODE_NONCE, DECODE_ACCESS_TOKEN, DECODE_CODE),
    );
    const r = await runCli(
      [
        'decode',
        token,
        '--verify',
        '--issuer',
        p.issuer,
        '--audience',
        CLIENT,
        '--nonce',
        DECODE_NONCE,
        '--access-token',
        DECODE_ACCESS_TOKEN,
        '--code',
        DECODE_CODE,
        '--json',
      ],
      { now: NOW },
    );
    judge(r, c.decode!, p);
  });
});

describe('relying-party attacks through togo login --headless against a hostile provider', () => {
  it.each(CASES.filter((c) => c.login).map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const p = await hostile(c);
    const r = await runCli(
      [
        'login',
        '--issuer',
        p.issuer,
        '--client-id',
        CLIENT,
        '--redirect-uri',
        'http://127.0.0.1/callback',
        '--response-type',
        c.flow ?? 'id_token',
        '--headless',
        '--json',
      ],
      { now: NOW },
    );
    judge(r, c.login!, p);
    expect(p.counts.authorize).toBe(1);
  });
});

describe('the table itself', () => {
  it('runs every case through at least one path, and names each case once', () => {
    expect(CASES.every((c) => c.decode || c.login)).toBe(true);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  it('refers only to emulator faults that test/commands/login/headless.test.ts runs', async () => {
    const { readFile } = await import('node:fs/promises');
    const headless = await readFile(new URL('../commands/login/headless.test.ts', import.meta.url), 'utf8');
    for (const c of CASES.filter((x) => x.emulator)) expect(headless).toContain(`'${c.emulator}'`);
  });
});
