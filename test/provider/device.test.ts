import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient, type HttpClient } from '../../src/http/client.js';
import {
  DEVICE_GRANT,
  type DeviceAuthorization,
  pollForTokens,
  startDeviceAuthorization,
} from '../../src/provider/device.js';
import type { BackChannel } from '../../src/provider/token-endpoint.js';
import { type CannedHttp, useCannedHttp } from '../helpers/canned-http.js';

const ISSUER = 'https://op.example';
const METADATA = {
  issuer: ISSUER,
  token_endpoint: `${ISSUER}/token`,
  device_authorization_endpoint: `${ISSUER}/device`,
  token_endpoint_auth_methods_supported: ['none'],
};

const canned = useCannedHttp();
let http: HttpClient | undefined;
afterEach(() => {
  http?.close();
  http = undefined;
});

function setup(): { c: CannedHttp; p: BackChannel } {
  const c = canned();
  http = createHttpClient({ timeoutMs: 5000, dispatcher: c.dispatcher });
  return { c, p: { issuer: ISSUER, metadata: METADATA, http } };
}

/** Token endpoint answers in order, one per poll; returns the forms the polls sent. */
function answers(c: CannedHttp, list: [number, unknown][]): URLSearchParams[] {
  const sent: URLSearchParams[] = [];
  const pool = c.dispatcher.get(ISSUER);
  for (const [status, body] of list) {
    pool.intercept({ method: 'POST', path: '/token' }).reply(
      status,
      (opts) => {
        sent.push(new URLSearchParams(String(opts.body)));
        return JSON.stringify(body);
      },
      { headers: { 'content-type': 'application/json' } },
    );
  }
  return sent;
}

/** A clock that moves only when the poll sleeps: no real waiting. */
function fakeClock() {
  let t = 0;
  const slept: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      slept.push(ms);
      t += ms;
    },
    slept,
  };
}

const DEVICE: DeviceAuthorization = {
  deviceCode: 'dc',
  userCode: 'ABCD-EFGH',
  verificationUri: `${ISSUER}/activate`,
  expiresIn: 600,
  interval: 5,
};

describe('starting a device login', () => {
  it('reads the user code and verification page, with RFC 8628 defaults for interval and lifetime', async () => {
    const { c, p } = setup();
    c.reply('POST', `${ISSUER}/device`, 200, {
      device_code: 'dc',
      user_code: 'ABCD-EFGH',
      verification_uri: `${ISSUER}/activate`,
    });
    expect(await startDeviceAuthorization(p, 'tv-app', 'openid')).toEqual({
      deviceCode: 'dc',
      userCode: 'ABCD-EFGH',
      verificationUri: `${ISSUER}/activate`,
      expiresIn: 600,
      interval: 5,
    });
    expect(new URLSearchParams(c.requests[0]?.body).get('scope')).toBe('openid');
  });

  it('says so when the provider has no device endpoint or answers without a user code', async () => {
    const { c, p } = setup();
    await expect(
      startDeviceAuthorization(
        { ...p, metadata: { ...METADATA, device_authorization_endpoint: undefined } },
        'a',
        'openid',
      ),
    ).rejects.toMatchObject({ code: 'PROVIDER_ERROR' });
    c.reply('POST', `${ISSUER}/device`, 200, { device_code: 'dc' });
    await expect(startDeviceAuthorization(p, 'a', 'openid')).rejects.toMatchObject({
      code: 'PROVIDER_ERROR',
    });
  });
});

describe('polling for the tokens', () => {
  it('keeps polling while pending, slows down by 5 seconds when told, and returns the tokens', async () => {
    const { c, p } = setup();
    const sent = answers(c, [
      [400, { error: 'authorization_pending' }],
      [400, { error: 'slow_down' }],
      [200, { access_token: 'at', token_type: 'Bearer' }],
    ]);
    const clock = fakeClock();
    const reply = await pollForTokens(p, { clientId: 'tv-app' }, DEVICE, {
      signal: new AbortController().signal,
      deadlineMs: 300_000,
      ...clock,
    });
    expect(reply.status).toBe(200);
    expect(clock.slept).toEqual([5000, 5000, 10_000]);
    expect(sent.map((f) => [f.get('grant_type'), f.get('device_code'), f.get('client_id')])).toEqual(
      Array(3).fill([DEVICE_GRANT, 'dc', 'tv-app']),
    );
  });

  it('ends with exit-4 errors when the user refuses or the code expires', async () => {
    for (const [error, code] of [
      ['access_denied', 'LOGIN_PROVIDER_ERROR'],
      ['expired_token', 'LOGIN_TIMEOUT'],
    ]) {
      const { c, p } = setup();
      answers(c, [[400, { error }]]);
      await expect(
        pollForTokens(p, { clientId: 'tv-app' }, DEVICE, {
          signal: new AbortController().signal,
          deadlineMs: 300_000,
          ...fakeClock(),
        }),
      ).rejects.toMatchObject({ code });
    }
  });

  it('gives up with LOGIN_TIMEOUT once the wait is over, without polling past it', async () => {
    const { c, p } = setup();
    const sent = answers(
      c,
      Array.from({ length: 5 }, () => [400, { error: 'authorization_pending' }] as [number, unknown]),
    );
    const clock = fakeClock();
    await expect(
      pollForTokens(p, { clientId: 'tv-app' }, DEVICE, {
        signal: new AbortController().signal,
        deadlineMs: 12_000,
        ...clock,
      }),
    ).rejects.toMatchObject({
      code: 'LOGIN_TIMEOUT',
      message: expect.stringContaining('the device code is still valid'),
    });
    expect(clock.slept).toEqual([5000, 5000, 2000]);
    expect(sent).toHaveLength(2);
  });
});
