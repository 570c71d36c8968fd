import { beforeAll, describe, expect, it } from 'vitest';
import { halfHash } from '../../src/oidc/id-token-checks.js';
import { staticKeys, type Verification, type VerifyOptions, verifyIdToken } from '../../src/oidc/verify.js';
import {
  b64,
  CLIENT,
  ISSUER,
  makeKey,
  NOW,
  NOW_S,
  SEED_TOKEN,
  signToken,
  type TestAlg,
  type TestKey,
} from '../helpers/tokens.js';

const check = (v: Verification, id: string) => {
  const c = v.checks.find((x) => x.id === id);
  if (!c) throw new Error(`no check ${id}`);
  return c;
};

let rsa: TestKey;
let other: TestKey;
beforeAll(async () => {
  rsa = await makeKey('RS256', 'key-1');
  other = await makeKey('RS256', 'key-2');
});

const base = (keys: TestKey[], extra: VerifyOptions = {}): VerifyOptions => ({
  keys: staticKeys({ keys: keys.map((k) => k.publicJwk) }, 'the test JWKS'),
  issuer: ISSUER,
  audience: CLIENT,
  nonce: 'n-0S6_WzA2Mj',
  now: NOW,
  ...extra,
});

describe('verifying a good token with each kind of key', () => {
  it.each<TestAlg>(['RS256', 'PS256', 'ES256', 'EdDSA'])(
    '%s: every check passes or is skipped',
    async (alg) => {
      const key = await makeKey(alg);
      const v = await verifyIdToken(await signToken(key), base([key], { allowedAlgs: [alg] }));
      expect(v.checks.filter((c) => c.status === 'fail' || c.status === 'warn')).toEqual([]);
      expect(v.ok).toBe(true);
      expect(v.checks.map((c) => c.id)).toEqual([
        'D1',
        'D2',
        'D3',
        'D4',
        'D5',
        'D6',
        'D7',
        'D8',
        'D9',
        'D10',
        'D11',
        'D12',
        'D13',
        'D14',
        'D15',
        'D16',
      ]);
    },
  );
});

describe('each check fails (or warns) when it should', () => {
  const cases: Array<{
    name: string;
    claims?: Record<string, unknown>;
    header?: Record<string, unknown>;
    options?: VerifyOptions;
    id: string;
    status: 'fail' | 'warn';
    code?: string;
    message?: RegExp;
  }> = [
    {
      name: 'wrong issuer',
      claims: { iss: 'https://evil.example' },
      id: 'D2',
      status: 'fail',
      code: 'TOKEN_ISSUER_MISMATCH',
    },
    {
      name: 'issuer differing by a trailing slash',
      claims: { iss: `${ISSUER}/` },
      id: 'D2',
      status: 'fail',
      message: /differ only by a trailing slash/,
    },
    {
      name: 'missing iss',
      claims: { iss: undefined },
      id: 'D2',
      status: 'fail',
      code: 'TOKEN_CLAIM_MISSING',
    },
    {
      name: 'wrong audience',
      claims: { aud: 'someone-else' },
      id: 'D3',
      status: 'fail',
      code: 'TOKEN_AUDIENCE_MISMATCH',
    },
    {
      name: 'missing audience',
      claims: { aud: undefined },
      id: 'D3',
      status: 'fail',
      code: 'TOKEN_CLAIM_MISSING',
    },
    {
      name: 'extra untrusted audiences',
      claims: { aud: [CLIENT, 'api'], azp: CLIENT },
      id: 'D3',
      status: 'warn',
    },
    { name: 'several audiences without azp', claims: { aud: [CLIENT, 'api'] }, id: 'D4', status: 'warn' },
    { name: 'azp naming another client', claims: { azp: 'other' }, id: 'D4', status: 'warn' },
    {
      name: 'an algorithm the provider does not advertise',
      options: { allowedAlgs: ['ES256'] },
      id: 'D6',
      status: 'fail',
      code: 'TOKEN_ALG_NOT_ALLOWED',
    },
    {
      name: 'expired',
      claims: { exp: NOW_S - 3600 },
      id: 'D7',
      status: 'fail',
      code: 'TOKEN_EXPIRED',
      message: /expired .* \(1 hour ago\)/,
    },
    {
      name: 'missing exp',
      claims: { exp: undefined },
      id: 'D7',
      status: 'fail',
      code: 'TOKEN_CLAIM_MISSING',
    },
    {
      name: 'nbf in the future',
      claims: { nbf: NOW_S + 3600 },
      id: 'D7',
      status: 'fail',
      code: 'TOKEN_NOT_YET_VALID',
    },
    {
      name: 'iat in the future',
      claims: { iat: NOW_S + 3600 },
      id: 'D8',
      status: 'fail',
      code: 'TOKEN_ISSUED_IN_FUTURE',
    },
    {
      name: 'missing iat',
      claims: { iat: undefined },
      id: 'D8',
      status: 'fail',
      code: 'TOKEN_CLAIM_MISSING',
    },
    {
      name: 'nonce mismatch',
      claims: { nonce: 'other' },
      id: 'D9',
      status: 'fail',
      code: 'TOKEN_NONCE_MISMATCH',
    },
    {
      name: 'nonce missing when one was sent',
      claims: { nonce: undefined },
      id: 'D9',
      status: 'fail',
      code: 'TOKEN_NONCE_MISMATCH',
    },
    {
      name: 'nonce missing in an implicit flow',
      claims: { nonce: undefined },
      options: { nonce: undefined, responseType: 'id_token' },
      id: 'D9',
      status: 'fail',
      code: 'TOKEN_CLAIM_MISSING',
    },
    {
      name: 'wrong at_hash',
      claims: { at_hash: 'AAAAAAAAAAAAAAAAAAAAAA' },
      options: { accessToken: 'at-1' },
      id: 'D10',
      status: 'fail',
      code: 'TOKEN_AT_HASH_MISMATCH',
    },
    {
      name: 'at_hash missing for id_token token',
      options: { accessToken: 'at-1', responseType: 'id_token token' },
      id: 'D10',
      status: 'fail',
      code: 'TOKEN_AT_HASH_MISMATCH',
    },
    {
      name: 'wrong c_hash',
      claims: { c_hash: 'AAAAAAAAAAAAAAAAAAAAAA' },
      options: { code: 'code-1' },
      id: 'D11',
      status: 'fail',
      code: 'TOKEN_C_HASH_MISMATCH',
    },
    {
      name: 'c_hash missing for code id_token',
      options: { code: 'code-1', responseType: 'code id_token' },
      id: 'D11',
      status: 'fail',
      code: 'TOKEN_C_HASH_MISMATCH',
    },
    {
      name: 'auth_time missing with max_age',
      options: { maxAge: 60 },
      id: 'D12',
      status: 'fail',
      code: 'TOKEN_AUTH_TIME',
    },
    {
      name: 'auth_time older than max_age',
      claims: { auth_time: NOW_S - 7200 },
      options: { maxAge: 600 },
      id: 'D12',
      status: 'fail',
      code: 'TOKEN_AUTH_TIME',
    },
    {
      name: 'acr other than requested',
      claims: { acr: 'pwd' },
      options: { acrValues: ['mfa'] },
      id: 'D13',
      status: 'warn',
    },
    {
      name: 'missing sub',
      claims: { sub: undefined },
      id: 'D14',
      status: 'fail',
      code: 'TOKEN_CLAIM_MISSING',
    },
    {
      name: 'sub longer than 255 characters',
      claims: { sub: 'x'.repeat(256) },
      id: 'D14',
      status: 'fail',
      code: 'TOKEN_SUB_INVALID',
    },
    {
      name: 'sub that is not a string',
      claims: { sub: 42 },
      id: 'D14',
      status: 'fail',
      code: 'TOKEN_SUB_INVALID',
    },
  ];

  it.each(cases)('$name → $id $status', async ({ claims, header, options, id, status, code, message }) => {
    const v = await verifyIdToken(await signToken(rsa, claims, header), base([rsa], options));
    const c = check(v, id);
    expect(c.status).toBe(status);
    if (code) expect(c.code).toBe(code);
    if (message) expect(c.message).toMatch(message);
    expect(v.ok).toBe(status !== 'fail');
  });

  it('the same checks pass when the values are right', async () => {
    const accessToken = 'at-1';
    const code = 'code-1';
    const token = await signToken(rsa, {
      at_hash: halfHash(accessToken, 'RS256'),
      c_hash: halfHash(code, 'RS256'),
      auth_time: NOW_S - 30,
      acr: 'mfa',
      azp: CLIENT,
    });
    const v = await verifyIdToken(
      token,
      base([rsa], {
        accessToken,
        code,
        maxAge: 600,
        acrValues: ['mfa'],
        responseType: 'code id_token token',
        allowedAlgs: ['RS256'],
      }),
    );
    expect(v.checks.map((c) => `${c.id}:${c.status}`)).toEqual([
      'D1:pass',
      'D2:pass',
      'D3:pass',
      'D4:pass',
      'D5:pass',
      'D6:pass',
      'D7:pass',
      'D8:pass',
      'D9:pass',
      'D10:pass',
      'D11:pass',
      'D12:pass',
      'D13:pass',
      'D14:pass',
      'D15:pass',
      'D16:pass',
    ]);
  });

  it('allows the configured clock skew on expiry', async () => {
    const token = await signToken(rsa, { exp: NOW_S - 30 });
    expect(check(await verifyIdToken(token, base([rsa])), 'D7').status).toBe('pass');
    expect(check(await verifyIdToken(token, base([rsa], { clockSkew: 0 })), 'D7').status).toBe('fail');
  });
});

describe('the signature check (D5)', () => {
  it('fails when the signature was made by another key with the same kid', async () => {
    const impostor = await makeKey('RS256', 'key-1');
    const v = await verifyIdToken(await signToken(impostor), base([rsa]));
    expect(check(v, 'D5')).toMatchObject({ status: 'fail', code: 'TOKEN_SIGNATURE_INVALID' });
  });

  it('fails when the payload was altered', async () => {
    const [h, , s] = (await signToken(rsa)).split('.');
    const forged = `${h}.${b64({ iss: ISSUER, sub: 'admin', aud: CLIENT, exp: NOW_S + 300, iat: NOW_S })}.${s}`;
    expect(check(await verifyIdToken(forged, base([rsa])), 'D5').code).toBe('TOKEN_SIGNATURE_INVALID');
  });

  it('rejects alg none always', async () => {
    const unsigned = `${b64({ alg: 'none' })}.${b64({ iss: ISSUER, sub: 's', aud: CLIENT, exp: NOW_S + 60, iat: NOW_S })}.`;
    const v = await verifyIdToken(unsigned, base([rsa]));
    expect(check(v, 'D1')).toMatchObject({ status: 'fail', code: 'TOKEN_ALG_NONE' });
    expect(check(v, 'D5')).toMatchObject({ status: 'fail', code: 'TOKEN_ALG_NONE' });
    expect(v.ok).toBe(false);
  });

  it('never uses a key from the JWKS as an HMAC secret', async () => {
    const { SignJWT } = await import('jose');
    const secretFromJwks = new TextEncoder().encode(JSON.stringify(rsa.publicJwk));
    const token = await new SignJWT({ iss: ISSUER, sub: 's', aud: CLIENT, exp: NOW_S + 60, iat: NOW_S })
      .setProtectedHeader({ alg: 'HS256', kid: 'key-1' })
      .sign(secretFromJwks);
    const v = await verifyIdToken(token, base([rsa]));
    expect(check(v, 'D5')).toMatchObject({ status: 'fail', code: 'TOKEN_ALG_NOT_ALLOWED' });
  });

  it('verifies HS256 with an explicit client secret, and fails with the wrong one', async () => {
    const { SignJWT } = await import('jose');
    const token = await new SignJWT({ iss: ISSUER, sub: 's', aud: CLIENT, exp: NOW_S + 60, iat: NOW_S })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode('s3cret-s3cret-s3cret-s3cret-s3cret'));
    expect(
      check(await verifyIdToken(token, { ...base([]), secret: 's3cret-s3cret-s3cret-s3cret-s3cret' }), 'D5')
        .status,
    ).toBe('pass');
    expect(check(await verifyIdToken(token, { ...base([]), secret: 'wrong' }), 'D5').code).toBe(
      'TOKEN_SIGNATURE_INVALID',
    );
  });

  it('reports an unknown kid as no matching key', async () => {
    const v = await verifyIdToken(await signToken(other), base([rsa]));
    expect(check(v, 'D5')).toMatchObject({ status: 'fail', code: 'JWKS_NO_MATCHING_KEY' });
    expect(check(v, 'D5').message).toContain('kid key-2');
  });

  it('loads the keys once more after an unknown kid, and then succeeds (key rotation)', async () => {
    let loads = 0;
    const v = await verifyIdToken(await signToken(other), {
      ...base([]),
      keys: {
        describe: 'rotating keys',
        load: async () => {
          loads++;
          return { keys: [rsa.publicJwk] };
        },
        reload: async () => {
          loads++;
          return { keys: [rsa.publicJwk, other.publicJwk] };
        },
      },
    });
    expect(loads).toBe(2);
    expect(check(v, 'D5').status).toBe('pass');
    expect(check(v, 'D5').message).toContain('fetched again');
  });

  it('accepts a token without kid when the JWKS has exactly one key', async () => {
    const v = await verifyIdToken(await signToken(rsa, {}, { kid: undefined }), base([rsa]));
    expect(check(v, 'D5').status).toBe('pass');
    expect(check(v, 'D15').status).toBe('skip');
  });

  it('does not guess between several keys when the token has no kid', async () => {
    const v = await verifyIdToken(await signToken(rsa, {}, { kid: undefined }), base([rsa, other]));
    expect(check(v, 'D5')).toMatchObject({ status: 'fail', code: 'JWKS_MULTIPLE_MATCHING_KEYS' });
    expect(check(v, 'D15').status).toBe('warn');
  });

  it('refuses to use a private key published in the JWKS', async () => {
    const v = await verifyIdToken(await signToken(rsa), base([]));
    expect(check(v, 'D5').code).toBe('JWKS_NO_MATCHING_KEY');
    const leaky = await verifyIdToken(await signToken(rsa), {
      ...base([]),
      keys: staticKeys({ keys: [rsa.privateJwk] }, 'a leaky JWKS'),
    });
    expect(check(leaky, 'D5')).toMatchObject({ status: 'fail', code: 'JWKS_UNUSABLE_KEY' });
    expect(check(leaky, 'D5').message).toContain('private key');
  });

  it('refuses a symmetric key published in the JWKS', async () => {
    const v = await verifyIdToken(await signToken(rsa), {
      ...base([]),
      keys: staticKeys({ keys: [{ kty: 'oct', kid: 'key-1', k: 'c2VjcmV0' }] }, 'a JWKS with a secret'),
    });
    expect(check(v, 'D5')).toMatchObject({ status: 'fail', code: 'JWKS_UNUSABLE_KEY' });
  });

  it('says so when there is no key to verify with', async () => {
    const v = await verifyIdToken(await signToken(rsa), { ...base([]), keys: undefined });
    expect(check(v, 'D5')).toMatchObject({ status: 'fail', code: 'NO_VERIFICATION_KEY' });
  });
});

describe('the seed token', () => {
  it('fails verification for its expiry and the missing key, and nothing is shown as valid', async () => {
    const v = await verifyIdToken(SEED_TOKEN, { now: NOW });
    expect(v.ok).toBe(false);
    expect(check(v, 'D5').code).toBe('NO_VERIFICATION_KEY');
    expect(check(v, 'D7').code).toBe('TOKEN_EXPIRED');
    expect(check(v, 'D7').message).toContain('expired 2018-08-31T13:20:17Z (8 years ago)');
  });
});

describe('hash claims', () => {
  it('computes at_hash as OIDC Core §3.1.3.6 describes (the spec example)', () => {
    // OIDC Core A.4: access token "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y" → at_hash "77QmUPtjPfzWtF2AnpK9RQ" (RS256)
    expect(halfHash('jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y', 'RS256')).toBe('77QmUPtjPfzWtF2AnpK9RQ');
    // OIDC Core A.4: code "Qcb0Orv1zh30vL1MPRsbm-diHiMwcLyZvn1arpZv-Jxf_11jnpEX3Tgfvk" → c_hash "LDktKdoQak3Pk0cnXxCltA"
    expect(halfHash('Qcb0Orv1zh30vL1MPRsbm-diHiMwcLyZvn1arpZv-Jxf_11jnpEX3Tgfvk', 'RS256')).toBe(
      'LDktKdoQak3Pk0cnXxCltA',
    );
  });
});
