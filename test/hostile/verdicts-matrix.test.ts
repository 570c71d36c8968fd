/**
 * Every kind of token togo judges goes through one policy: for each profile (ID token, RFC 9068
 * access token, plain JWT access token, logout token, signed userinfo), a token that is right in
 * every way reads VALID, and each single thing an attacker or a mistake can change — no pinned
 * issuer, another iss, another aud, no expected audience, another key, exp reached, a critical
 * header extension — never does: not VALID, not ok, exit non-zero.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FlattenedSign } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeToken } from '../../src/oidc/token.js';
import { verifySignedUserinfo } from '../../src/oidc/userinfo-jwt.js';
import { staticKeys } from '../../src/oidc/verify.js';
import { runCli } from '../helpers/run-cli.js';
import { CLIENT, ISSUER, makeKey, NOW, NOW_S, signToken, type TestKey } from '../helpers/tokens.js';

const RESOURCE = 'https://api.example.test/';
const LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

let key: TestKey;
let stranger: TestKey;
let dir: string;
let jwksFile: string;
beforeAll(async () => {
  key = await makeKey('ES256', 'provider-key');
  // The same kid, another key: what a forger publishes nowhere but uses anyway.
  stranger = await makeKey('ES256', 'provider-key');
  dir = await mkdtemp(join(tmpdir(), 'togo-matrix-'));
  jwksFile = join(dir, 'jwks.json');
  await writeFile(jwksFile, JSON.stringify({ keys: [key.publicJwk] }));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

interface ProfileCase {
  name: string;
  claims: Record<string, unknown>;
  header: Record<string, unknown>;
  /** The flag naming the expected audience for this kind of token. */
  audienceFlag: string[];
  /** True when no token of this kind is ever VALID through decode (a logout token is no ID token). */
  neverValid?: boolean;
}

const PROFILES: ProfileCase[] = [
  { name: 'ID token', claims: {}, header: {}, audienceFlag: ['--client-id', CLIENT] },
  {
    name: 'RFC 9068 access token',
    claims: { aud: RESOURCE, client_id: CLIENT, jti: 'j-1', scope: 'read', nonce: undefined },
    header: { typ: 'at+jwt' },
    audienceFlag: ['--audience', RESOURCE],
  },
  {
    name: 'plain JWT access token',
    claims: { aud: RESOURCE, scope: 'read', nonce: undefined },
    header: {},
    audienceFlag: ['--audience', RESOURCE],
  },
  {
    name: 'logout token (typed)',
    claims: { events: { [LOGOUT_EVENT]: {} }, jti: 'l-1', nonce: undefined },
    header: { typ: 'logout+jwt' },
    audienceFlag: ['--client-id', CLIENT],
    neverValid: true,
  },
  {
    name: 'logout token (untyped)',
    claims: { events: { [LOGOUT_EVENT]: {} }, jti: 'l-1', nonce: undefined },
    header: {},
    audienceFlag: ['--client-id', CLIENT],
    neverValid: true,
  },
];

interface Attack {
  name: string;
  claims?: Record<string, unknown>;
  header?: Record<string, unknown>;
  signer?: 'stranger';
  /** Leave out the pinned issuer / the expected audience. */
  unpinned?: boolean;
  noAudience?: boolean;
  flags?: string[];
  code: string;
}

const ATTACKS: Attack[] = [
  { name: 'issuer unpinned', unpinned: true, code: 'ISSUER_NOT_PINNED' },
  { name: 'wrong iss', claims: { iss: 'https://evil.example' }, code: 'TOKEN_ISSUER_MISMATCH' },
  { name: 'iss differing by a trailing slash', claims: { iss: `${ISSUER}/` }, code: 'TOKEN_ISSUER_MISMATCH' },
  { name: 'wrong aud', claims: { aud: 'someone-else' }, code: 'TOKEN_AUDIENCE_MISMATCH' },
  { name: 'no expected audience', noAudience: true, code: 'AUDIENCE_NOT_CHECKED' },
  { name: 'wrong key', signer: 'stranger', code: 'TOKEN_SIGNATURE_INVALID' },
  { name: 'exp = now, no skew', claims: { exp: NOW_S }, flags: ['--clock-skew', '0'], code: 'TOKEN_EXPIRED' },
  { name: 'exp = now - skew', claims: { exp: NOW_S - 60 }, code: 'TOKEN_EXPIRED' },
  { name: 'nbf beyond the skew', claims: { nbf: NOW_S + 61 }, code: 'TOKEN_NOT_YET_VALID' },
  {
    name: 'crit b64 (unencoded payload)',
    header: { b64: false, crit: ['b64'] },
    code: 'TOKEN_CRIT_UNSUPPORTED',
  },
  { name: 'an unknown crit', header: { crit: ['exp'], exp: NOW_S + 300 }, code: 'TOKEN_CRIT_UNSUPPORTED' },
];

/**
 * A token whose header names critical extensions: jose's SignJWT refuses to make one, so it is
 * signed as a plain JWS. With b64: false the payload part is signed as it stands; it is made of
 * the base64url of the claims, so a decoder that ignores crit reads the claims as usual.
 */
async function signCritical(
  signer: TestKey,
  claims: Record<string, unknown>,
  header: Record<string, unknown>,
) {
  const template = decodeToken(await signToken(signer, claims, {}));
  const json = JSON.stringify(template.payload);
  const payload = Buffer.from(json).toString('base64url');
  const unencoded = header.b64 === false;
  const crit = Object.fromEntries(((header.crit as string[]) ?? []).map((name) => [name, true]));
  const jws = await new FlattenedSign(new TextEncoder().encode(unencoded ? payload : json))
    .setProtectedHeader({ alg: signer.alg, kid: signer.kid, typ: 'JWT', ...header } as never)
    .sign(signer.privateKey, { crit });
  return `${jws.protected}.${unencoded ? payload : jws.payload}.${jws.signature}`;
}

async function sign(signer: TestKey, claims: Record<string, unknown>, header: Record<string, unknown>) {
  return header.crit === undefined ? signToken(signer, claims, header) : signCritical(signer, claims, header);
}

async function judge(profile: ProfileCase, attack?: Attack) {
  const claims = { ...profile.claims, ...attack?.claims };
  const header = { ...profile.header, ...attack?.header };
  const token = await sign(attack?.signer === 'stranger' ? stranger : key, claims, header);
  const args = [
    'decode',
    token,
    '--verify',
    '--jwks',
    jwksFile,
    ...(attack?.unpinned ? [] : ['--issuer', ISSUER]),
    ...(attack?.noAudience ? [] : profile.audienceFlag),
    ...(attack?.flags ?? []),
  ];
  const human = await runCli(args, { now: NOW });
  const json = await runCli([...args, '--json'], { now: NOW });
  return { human, json, doc: JSON.parse(json.stdout) };
}

describe('every profile × every attack: never VALID', () => {
  for (const profile of PROFILES) {
    describe(profile.name, () => {
      it(
        profile.neverValid
          ? 'is never VALID, even when right in every way'
          : 'reads VALID when right in every way',
        async () => {
          const { human, json, doc } = await judge(profile);
          if (profile.neverValid) {
            expect(human.stdout).not.toContain('Result: VALID');
            expect(human.code).toBe(1);
            expect(doc.ok).toBe(false);
            expect(doc.error.code).toBe('TOKEN_TYPE_MISMATCH');
          } else {
            expect(human.stdout, human.stdout).toContain('Result: VALID');
            expect(human.code).toBe(0);
            expect(json.code).toBe(0);
            expect(doc).toMatchObject({ ok: true, verification: { ok: true, verdict: 'valid' } });
          }
        },
      );

      for (const attack of ATTACKS) {
        it(`${attack.name}: not VALID, not ok, exit 1`, async () => {
          const { human, json, doc } = await judge(profile, attack);
          expect(human.stdout).not.toContain('Result: VALID');
          expect(human.code).toBe(1);
          expect(json.code).toBe(1);
          expect(doc.ok).toBe(false);
          expect(doc.verification.ok).toBe(false);
          expect(doc.verification.verdict).not.toBe('valid');
          if (!profile.neverValid) {
            const codes = doc.verification.checks.map((c: { code?: string }) => c.code);
            expect(codes, JSON.stringify(doc.verification.checks)).toContain(attack.code);
          }
        });
      }
    });
  }

  it('a typ of " at+jwt" (with a space) is not at+jwt: it is not verified as an access token', async () => {
    const { human, doc } = await judge(PROFILES[1]!, { name: 'typ', header: { typ: ' at+jwt' }, code: '' });
    expect(human.stdout).not.toContain('Result: VALID');
    expect(human.code).toBe(1);
    expect(doc.verification.profile).toMatch(/ID token/);
    expect(doc.error.code).toBe('TOKEN_TYPE_MISMATCH');
  });

  it('--use access_token does not lift the audience check off an ID token', async () => {
    const token = await signToken(key, { aud: 'someone-else' });
    const args = [
      'decode',
      token,
      '--use',
      'access_token',
      '--verify',
      '--jwks',
      jwksFile,
      '--issuer',
      ISSUER,
    ];
    const withClient = await runCli([...args, '--client-id', CLIENT], { now: NOW });
    expect(withClient.stdout).not.toContain('Result: VALID');
    expect(withClient.code).toBe(1);
    const bare = await runCli(args, { now: NOW });
    expect(bare.stdout).not.toContain('Result: VALID');
    expect(bare.code).toBe(1);
  });

  it('an ID token that carries a scope claim still needs its audience', async () => {
    const token = await signToken(key, { aud: 'someone-else', nonce: undefined, scope: 'openid email' });
    const r = await runCli(
      ['decode', token, '--verify', '--jwks', jwksFile, '--issuer', ISSUER, '--client-id', CLIENT],
      { now: NOW },
    );
    expect(r.stdout).not.toContain('Result: VALID');
    expect(r.code).toBe(1);
  });
});

describe('signed userinfo × every attack: never verified', () => {
  const userinfo = async (attack?: Attack) => {
    const token = await sign(
      attack?.signer === 'stranger' ? stranger : key,
      { nonce: undefined, ...attack?.claims },
      attack?.header ?? {},
    );
    return verifySignedUserinfo(decodeToken(token), {
      keys: staticKeys({ keys: [key.publicJwk] }, 'the provider JWKS'),
      issuer: ISSUER,
      ...(attack?.noAudience ? {} : { clientId: CLIENT }),
      now: NOW,
      ...(attack?.flags ? { clockSkew: 0 } : {}),
    });
  };

  it('verifies a response right in every way', async () => {
    expect(await userinfo()).toMatchObject({ ok: true, verdict: 'valid' });
  });

  // Its issuer is always the provider whose endpoint answered: "unpinned" has no userinfo case.
  for (const attack of ATTACKS.filter((a) => !a.unpinned)) {
    it(`${attack.name}: not verified`, async () => {
      const v = await userinfo(attack);
      expect(v.ok).toBe(false);
      expect(v.verdict).not.toBe('valid');
    });
  }
});
