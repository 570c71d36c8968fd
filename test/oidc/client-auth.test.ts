import { decodeProtectedHeader, exportJWK, generateKeyPair, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { TogoError } from '../../src/errors.js';
import { ASSERTION_TTL_SECONDS, signClientAssertion } from '../../src/oidc/client-assertion.js';
import {
  applyClientAuth,
  chooseClientAuth,
  describeClientAuth,
  JWT_BEARER_ASSERTION,
} from '../../src/oidc/client-auth.js';

const ALL = ['client_secret_basic', 'client_secret_jwt', 'client_secret_post', 'private_key_jwt', 'none'];
const EC = { type: 'ec', curve: 'P-256' };
const RSA = { type: 'rsa' };

function refused(f: () => unknown): TogoError {
  try {
    f();
  } catch (error) {
    if (error instanceof TogoError) return error;
    throw error;
  }
  throw new Error('expected a TogoError');
}

describe('choosing the client authentication method', () => {
  it('uses the first method the provider lists for which togo has the credential', () => {
    const listed = { token_endpoint_auth_methods_supported: ALL };
    expect(chooseClientAuth(listed, 'token', { secret: true }).method).toBe('client_secret_basic');
    expect(chooseClientAuth(listed, 'token', { secret: false, key: EC })).toEqual({
      method: 'private_key_jwt',
      alg: 'ES256',
    });
    const jwtFirst = {
      token_endpoint_auth_methods_supported: ['private_key_jwt', 'client_secret_jwt', 'client_secret_post'],
    };
    expect(chooseClientAuth(jwtFirst, 'token', { secret: true })).toEqual({
      method: 'client_secret_jwt',
      alg: 'HS256',
    });
    expect(chooseClientAuth(jwtFirst, 'token', { secret: true, key: EC }).method).toBe('private_key_jwt');
    const postOnly = { token_endpoint_auth_methods_supported: ['client_secret_post', 'none'] };
    expect(chooseClientAuth(postOnly, 'token', { secret: true }).method).toBe('client_secret_post');
  });

  it('is a public client (none) without a secret or a key, whatever the provider lists first', () => {
    expect(
      chooseClientAuth({ token_endpoint_auth_methods_supported: ALL }, 'token', { secret: false }),
    ).toEqual({
      method: 'none',
    });
  });

  it('takes a provider that lists nothing at its default, client_secret_basic (RFC 8414 §2)', () => {
    expect(chooseClientAuth({}, 'token', { secret: true })).toEqual({ method: 'client_secret_basic' });
  });

  it("reads an endpoint's own list for introspection and revocation, else the token endpoint's", () => {
    const metadata = {
      token_endpoint_auth_methods_supported: ['client_secret_basic'],
      introspection_endpoint_auth_methods_supported: ['client_secret_jwt'],
      introspection_endpoint_auth_signing_alg_values_supported: ['HS512'],
    };
    expect(chooseClientAuth(metadata, 'introspection', { secret: true })).toEqual({
      method: 'client_secret_jwt',
      alg: 'HS512',
    });
    expect(chooseClientAuth(metadata, 'revocation', { secret: true }).method).toBe('client_secret_basic');
    // PAR and the device endpoint use the token endpoint's list.
    expect(chooseClientAuth(metadata, 'pushed_authorization_request', { secret: true }).method).toBe(
      'client_secret_basic',
    );
  });

  it("picks the assertion's algorithm from the key and what the provider lists", () => {
    const algs = (list: string[]) => ({
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
      token_endpoint_auth_signing_alg_values_supported: list,
    });
    expect(chooseClientAuth(algs(['PS256', 'RS256']), 'token', { secret: false, key: RSA }).alg).toBe(
      'RS256',
    );
    expect(chooseClientAuth(algs(['PS256', 'ES256']), 'token', { secret: false, key: RSA }).alg).toBe(
      'PS256',
    );
    expect(
      chooseClientAuth(algs(['ES384']), 'token', { secret: false, key: { type: 'ec', curve: 'P-384' } }).alg,
    ).toBe('ES384');
    expect(chooseClientAuth(algs(['EdDSA']), 'token', { secret: false, key: { type: 'ed25519' } }).alg).toBe(
      'EdDSA',
    );
    // A JWK that names its alg signs with that alone.
    expect(
      chooseClientAuth(algs(['RS256', 'PS384']), 'token', {
        secret: false,
        key: { type: 'rsa', alg: 'PS384' },
      }).alg,
    ).toBe('PS384');
    // An EC key where the provider lists RSA only: signed with what the key allows, and said.
    const ec = chooseClientAuth(algs(['RS256']), 'token', { secret: false, key: EC });
    expect(ec).toMatchObject({ method: 'private_key_jwt', alg: 'ES256' });
    expect(ec.note).toContain('lists RS256');
  });

  it('skips client_secret_jwt when the provider lists no HMAC algorithm, and refuses it when asked for', () => {
    const metadata = {
      token_endpoint_auth_methods_supported: ['client_secret_jwt', 'client_secret_post'],
      token_endpoint_auth_signing_alg_values_supported: ['RS256'],
    };
    expect(chooseClientAuth(metadata, 'token', { secret: true }).method).toBe('client_secret_post');
    const e = refused(() => chooseClientAuth(metadata, 'token', { secret: true }, 'client_secret_jwt'));
    expect(e.code).toBe('CLIENT_AUTH_UNSUPPORTED');
    expect(e.message).toContain('HS256');
  });

  it('--client-auth: the method asked for, when the provider lists it and togo has its credential', () => {
    const listed = { token_endpoint_auth_methods_supported: ALL };
    expect(chooseClientAuth(listed, 'token', { secret: true }, 'client_secret_post')).toEqual({
      method: 'client_secret_post',
    });
    expect(chooseClientAuth(listed, 'token', { secret: true }, 'none')).toEqual({ method: 'none' });
    expect(chooseClientAuth({}, 'token', { secret: true }, 'client_secret_jwt')).toEqual({
      method: 'client_secret_jwt',
      alg: 'HS256',
    });
  });

  it('--client-auth: a method the provider does not list is refused with the ones it lists', () => {
    const e = refused(() =>
      chooseClientAuth(
        { token_endpoint_auth_methods_supported: ['client_secret_basic', 'none'] },
        'token',
        { secret: false, key: EC },
        'private_key_jwt',
      ),
    );
    expect(e.code).toBe('CLIENT_AUTH_UNSUPPORTED');
    expect(e.message).toBe(
      'the provider does not accept private_key_jwt at its token endpoint (it lists client_secret_basic, none)',
    );
  });

  it('--client-auth: a method without its credential names the credential it needs', () => {
    const listed = { token_endpoint_auth_methods_supported: ALL };
    const noKey = refused(() => chooseClientAuth(listed, 'token', { secret: true }, 'private_key_jwt'));
    expect(noKey.code).toBe('SETTING_MISSING');
    expect(noKey.message).toContain('--client-key');
    const noSecret = refused(() =>
      chooseClientAuth(listed, 'revocation', { secret: false, key: EC }, 'client_secret_jwt'),
    );
    expect(noSecret.code).toBe('SETTING_MISSING');
    expect(noSecret.message).toContain('TOGO_CLIENT_SECRET');
  });

  it('a credential for no method the provider lists is tried, and said', () => {
    const noneOnly = { token_endpoint_auth_methods_supported: ['none'] };
    const secret = chooseClientAuth(noneOnly, 'token', { secret: true });
    expect(secret.method).toBe('client_secret_basic');
    expect(secret.note).toContain('trying client_secret_basic');
    const key = chooseClientAuth(noneOnly, 'introspection', { secret: false, key: EC });
    expect(key).toMatchObject({ method: 'private_key_jwt', alg: 'ES256' });
    expect(key.note).toContain('introspection endpoint');
  });

  it('narration names the method and the algorithm of its assertion', () => {
    expect(describeClientAuth({ method: 'private_key_jwt', alg: 'ES256' })).toBe('private_key_jwt, ES256');
    expect(describeClientAuth({ method: 'none' })).toContain('public client');
  });
});

describe('the credentials in the request', () => {
  it('client_secret_basic: the Authorization header, id and secret form-encoded first (RFC 6749 §2.3.1)', () => {
    const form = new URLSearchParams();
    const headers: Record<string, string> = {};
    applyClientAuth('client_secret_basic', { clientId: 'my app', clientSecret: 'p:w' }, form, headers);
    expect(headers.authorization).toBe(`Basic ${Buffer.from('my+app:p%3Aw').toString('base64')}`);
    expect(form.toString()).toBe('');
  });

  it('client_secret_jwt and private_key_jwt: the assertion and its type in the body, never the secret', () => {
    for (const method of ['client_secret_jwt', 'private_key_jwt'] as const) {
      const form = new URLSearchParams();
      const headers: Record<string, string> = {};
      applyClientAuth(
        method,
        { clientId: 'app', clientSecret: 's3cret', clientAssertion: 'a.b.c' },
        form,
        headers,
      );
      expect(Object.fromEntries(form)).toEqual({
        client_id: 'app',
        client_assertion_type: JWT_BEARER_ASSERTION,
        client_assertion: 'a.b.c',
      });
      expect(headers.authorization).toBeUndefined();
    }
  });
});

describe('client assertions (RFC 7523 §3)', () => {
  const NOW = Date.UTC(2026, 0, 1, 10, 0, 0);

  it('client_secret_jwt: HMAC with the secret; iss = sub = the client, aud the token endpoint, jti, 60 s', async () => {
    const secret = new TextEncoder().encode('a-secret-long-enough-for-hs256-0123456789');
    const a = await signClientAssertion(
      'app',
      'https://op.example/token',
      { key: secret, alg: 'HS384' },
      NOW,
    );
    const { payload, protectedHeader } = await jwtVerify(a, secret, {
      currentDate: new Date(NOW),
      algorithms: ['HS384'],
    });
    expect(protectedHeader).toEqual({ alg: 'HS384', typ: 'JWT' });
    expect(payload).toMatchObject({ iss: 'app', sub: 'app', aud: 'https://op.example/token' });
    expect(payload.exp! - payload.iat!).toBe(ASSERTION_TTL_SECONDS);
    expect(payload.iat).toBe(NOW / 1000);
    expect(typeof payload.jti).toBe('string');
  });

  it('private_key_jwt: signed with the key, its kid in the header, a fresh jti each time', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const sign = () =>
      signClientAssertion(
        'machine',
        'https://op.example/token',
        { key: privateKey, alg: 'ES256', kid: 'k1' },
        NOW,
      );
    const [a, b] = [await sign(), await sign()];
    expect(decodeProtectedHeader(a)).toEqual({ alg: 'ES256', typ: 'JWT', kid: 'k1' });
    const one = await jwtVerify(a, publicKey, { currentDate: new Date(NOW) });
    const two = await jwtVerify(b, publicKey, { currentDate: new Date(NOW) });
    expect(one.payload).toMatchObject({ iss: 'machine', sub: 'machine', aud: 'https://op.example/token' });
    expect(one.payload.jti).not.toBe(two.payload.jti);
    // Not verifiable with another key.
    const other = await generateKeyPair('ES256');
    await expect(jwtVerify(a, other.publicKey, { currentDate: new Date(NOW) })).rejects.toThrow();
    expect((await exportJWK(publicKey)).kty).toBe('EC');
  });
});
