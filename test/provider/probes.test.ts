import { afterEach, describe, expect, it } from 'vitest';
import { TogoError } from '../../src/errors.js';
import { createHttpClient, type HttpClient } from '../../src/http/client.js';
import type { Discovery } from '../../src/provider/discovery.js';
import { failedCheck, probeAuthorize, probeCors, probeUrl } from '../../src/provider/probes.js';
import { type CannedHttp, useCannedHttp } from '../helpers/canned-http.js';

const ISSUER = 'https://op.example';
const REDIRECT = 'http://127.0.0.1:8400/callback';
const CLIENT = { clientId: 'my-app', redirectUri: REDIRECT, responseType: 'code', scope: 'openid' };
const METADATA = {
  issuer: ISSUER,
  authorization_endpoint: `${ISSUER}/authorize`,
  token_endpoint: `${ISSUER}/token`,
};

const canned = useCannedHttp();
let http: HttpClient | undefined;
afterEach(() => {
  http?.close();
  http = undefined;
});

function setup(): { c: CannedHttp; http: HttpClient } {
  const c = canned();
  http = createHttpClient({ timeoutMs: 5000, dispatcher: c.dispatcher });
  return { c, http };
}

/** Answers every GET of the authorize endpoint, whatever its (random) state and nonce. */
function authorizeAnswers(
  c: CannedHttp,
  status: number,
  headers: Record<string, string>,
  seen: string[] = [],
) {
  c.dispatcher
    .get(ISSUER)
    .intercept({ method: 'GET', path: (p: string) => p.startsWith('/authorize?') })
    .reply(
      status,
      (opts) => {
        seen.push(String(opts.path));
        return '';
      },
      { headers },
    )
    .persist();
  return seen;
}

describe('the authorize URL of the probe', () => {
  it('is what a real client sends: fresh state and nonce, and PKCE for a code flow', () => {
    const a = new URL(probeUrl(`${ISSUER}/authorize`, CLIENT));
    const b = new URL(probeUrl(`${ISSUER}/authorize`, CLIENT));
    expect(a.searchParams.get('client_id')).toBe('my-app');
    expect(a.searchParams.get('redirect_uri')).toBe(REDIRECT);
    expect(a.searchParams.get('code_challenge_method')).toBe('S256');
    expect(a.searchParams.get('state')).not.toBe(b.searchParams.get('state'));
    const implicit = new URL(probeUrl(`${ISSUER}/authorize`, { ...CLIENT, responseType: 'id_token' }));
    expect(implicit.searchParams.has('code_challenge')).toBe(false);
  });
});

describe('probing the authorize endpoint', () => {
  it('passes when the provider sends the browser to its login page', async () => {
    const { c, http } = setup();
    const seen = authorizeAnswers(c, 302, { location: '/account/login?ReturnUrl=x' });
    const check = await probeAuthorize(http, ISSUER, METADATA, CLIENT);
    expect(check).toMatchObject({ id: 'probe.authorize', status: 'pass' });
    expect(check.message).toContain('https://op.example/account/login');
    expect(seen).toHaveLength(1);
  });

  it("fails with the reason read from the provider's error page", async () => {
    const { c, http } = setup();
    authorizeAnswers(c, 302, { location: '/home/error?errorId=42' });
    c.reply(
      'GET',
      `${ISSUER}/home/error?errorId=42`,
      200,
      '<h1>Error</h1><p>unauthorized_client</p><p>Unknown client</p>',
    );
    const check = await probeAuthorize(http, ISSUER, METADATA, CLIENT);
    expect(check.status).toBe('fail');
    expect(check.message).toContain('unauthorized_client: Unknown client');
    expect(check.hint).toContain('redirect URI');
  });

  it('fails without a request when the document has no authorization endpoint', async () => {
    const { c, http } = setup();
    const check = await probeAuthorize(http, ISSUER, { issuer: ISSUER }, CLIENT);
    expect(check).toMatchObject({ status: 'fail', message: 'the document has no authorization_endpoint' });
    expect(c.requests).toHaveLength(0);
  });
});

describe('a probe that meets a network failure', () => {
  it("fails that check with the error's code and hint instead of ending the run", () => {
    const check = failedCheck('cors.jwks', 'the JWKS', new TogoError('NET_TIMEOUT', 'no answer within 10 s'));
    expect(check).toMatchObject({
      id: 'cors.jwks',
      status: 'fail',
      message: 'the JWKS: no answer within 10 s [NET_TIMEOUT]',
    });
    expect(check.hint).toBeTruthy();
  });

  it('still ends the run on Ctrl-C or a bug', () => {
    expect(() => failedCheck('x', 'y', new TogoError('INTERRUPTED', 'interrupted'))).toThrow('interrupted');
    expect(() => failedCheck('x', 'y', new TypeError('bug'))).toThrow(TypeError);
  });
});

describe('probing CORS', () => {
  it('reads the documents with simple requests and the APIs with preflights from the given origin', async () => {
    const { c, http } = setup();
    const origin = 'http://localhost:3000';
    c.reply(
      'GET',
      `${ISSUER}/.well-known/openid-configuration`,
      200,
      {},
      { 'access-control-allow-origin': '*' },
    );
    c.reply('GET', `${ISSUER}/jwks`, 200, { keys: [] });
    c.reply('OPTIONS', `${ISSUER}/token`, 204, '', {
      'access-control-allow-origin': origin,
      'access-control-allow-headers': 'content-type',
    });
    const discovery = {
      url: `${ISSUER}/.well-known/openid-configuration`,
      metadata: METADATA,
    } as unknown as Discovery;
    const checks = await probeCors(http, discovery, `${ISSUER}/jwks`, origin);
    expect(checks.map((k) => [k.id, k.status])).toEqual([
      ['cors.discovery', 'pass'],
      ['cors.jwks', 'fail'],
      ['cors.token', 'pass'],
    ]);
    const preflight = c.requests.find((r) => r.method === 'OPTIONS');
    expect(preflight?.headers).toMatchObject({ origin, 'access-control-request-method': 'POST' });
  });
});
