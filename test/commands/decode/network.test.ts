import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeProvider, startProvider } from '../../helpers/providers.js';
import { runCli } from '../../helpers/run-cli.js';
import { freePort } from '../../helpers/servers.js';
import { CLIENT, makeKey, NOW, signToken, type TestKey } from '../../helpers/tokens.js';

let key: TestKey;
let rotated: TestKey;
let provider: FakeProvider | undefined;

beforeAll(async () => {
  key = await makeKey('RS256', 'togo-1');
  rotated = await makeKey('RS256', 'togo-2');
});
afterEach(async () => {
  await provider?.close();
  provider = undefined;
});

const jwksRequests = (p: FakeProvider) => p.requests.filter((r) => r.url.endsWith('/jwks')).length;

describe('togo decode --verify against a provider on the network', () => {
  it('finds the keys through discovery and verifies the token, fetching each document once', async () => {
    provider = await startProvider({ keys: [key.publicJwk] });
    const token = await signToken(key, { iss: provider.issuer });
    const { code, stdout } = await runCli(
      [
        'decode',
        token,
        '--verify',
        '--issuer',
        provider.issuer,
        '--audience',
        CLIENT,
        '--nonce',
        'n-0S6_WzA2Mj',
      ],
      { now: NOW },
    );
    expect(stdout).toContain('Result: VALID');
    expect(stdout).toMatch(/PASS +D6 +alg +RS256 is advertised by the provider/);
    expect(code).toBe(0);
    expect(provider.requests.map((r) => new URL(r.url, provider!.origin).pathname)).toEqual([
      '/identity/.well-known/openid-configuration',
      '/identity/.well-known/openid-configuration/jwks',
    ]);
  });

  it('uses the JWKS at a URL given with --jwks', async () => {
    provider = await startProvider({ keys: [key.publicJwk] });
    const token = await signToken(key, { iss: provider.issuer });
    const jwksUrl = provider.doc.jwks_uri as string;
    const { code, stdout } = await runCli(
      ['decode', token, '--verify', '--jwks', jwksUrl, '--issuer', provider.issuer, '--client-id', CLIENT],
      { now: NOW },
    );
    expect(stdout).toMatch(/PASS +D5 +signature +signature verified with key togo-1 from the JWKS at http/);
    expect(code).toBe(0);
  });

  it('fetches the JWKS once more after an unknown kid and succeeds when the key has rotated in', async () => {
    provider = await startProvider({ keys: [key.publicJwk] });
    const p = provider;
    // The provider publishes the new key only after the first JWKS request: a rotation mid-run.
    const original = p.routes;
    const jwksPath = new URL(p.doc.jwks_uri as string).pathname;
    let served = 0;
    original.set(jwksPath, (res) => {
      served++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: served === 1 ? [key.publicJwk] : [key.publicJwk, rotated.publicJwk] }));
    });
    const token = await signToken(rotated, { iss: p.issuer });
    const { code, stdout } = await runCli(
      ['decode', token, '--verify', '--issuer', p.issuer, '--client-id', CLIENT],
      {
        now: NOW,
      },
    );
    expect(stdout).toMatch(/PASS +D5 +signature .*fetched again after an unknown kid/);
    expect(code).toBe(0);
    expect(jwksRequests(p)).toBe(2);
  });

  it('fails clearly when the kid is still unknown after fetching the JWKS again', async () => {
    provider = await startProvider({ keys: [key.publicJwk] });
    const token = await signToken(rotated, { iss: provider.issuer });
    const { code, stdout } = await runCli(['decode', token, '--verify', '--issuer', provider.issuer], {
      now: NOW,
    });
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /FAIL +D5 +signature +no key in the JWKS at .* \(fetched twice\) matches kid togo-2 and alg RS256 \[JWKS_NO_MATCHING_KEY\]/,
    );
    expect(jwksRequests(provider)).toBe(2);
  });

  it('fails an algorithm the provider does not advertise (D6)', async () => {
    const ec = await makeKey('ES256', 'togo-ec');
    provider = await startProvider({ keys: [ec.publicJwk] });
    const token = await signToken(ec, { iss: provider.issuer });
    const { code, stdout } = await runCli(['decode', token, '--verify', '--issuer', provider.issuer], {
      now: NOW,
    });
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /FAIL +D6 +alg +alg ES256 is not among the provider's RS256 \[TOKEN_ALG_NOT_ALLOWED\]/,
    );
  });

  it('refuses a discovery document whose issuer differs by a trailing slash, and says so', async () => {
    provider = await startProvider({ keys: [key.publicJwk] });
    provider.doc = { ...provider.doc, issuer: `${provider.issuer}/` };
    const token = await signToken(key, { iss: provider.issuer });
    const { code, stderr } = await runCli(['decode', token, '--verify', '--issuer', provider.issuer], {
      now: NOW,
    });
    expect(code).toBe(1);
    expect(stderr).toContain('[DISCOVERY_ISSUER_MISMATCH]');
    expect(stderr).toContain('trailing slash');
    expect(jwksRequests(provider)).toBe(0);
  });

  it('exits 3 with NET_REFUSED when nothing listens at the issuer', async () => {
    const port = await freePort();
    const token = await signToken(key);
    const { code, stderr } = await runCli([
      'decode',
      token,
      '--verify',
      '--issuer',
      `http://127.0.0.1:${port}/identity`,
    ]);
    expect(code).toBe(3);
    expect(stderr).toContain('[NET_REFUSED]');
    expect(stderr).toMatch(/^hint: /m);
  });
});
