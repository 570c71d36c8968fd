/**
 * Polling for the device login's tokens against a real local token endpoint that answers from a
 * script: waiting, slowing down, refusing, expiring.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../src/http/client.js';
import { pollForTokens } from '../../src/provider/device.js';
import { startServer, type TestServer } from '../helpers/servers.js';
import { CLIENT } from '../helpers/tokens.js';

let server: TestServer;
let script: Array<{ status: number; body: unknown }> = [];

beforeAll(async () => {
  server = await startServer((_req, res) => {
    const next = script.shift() ?? { status: 400, body: { error: 'authorization_pending' } };
    res.writeHead(next.status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(next.body));
  });
});
afterAll(() => server.close());

/** Polls with a sleep that only records the waits asked for; the clock moves by them. */
async function poll(answers: typeof script) {
  script = [...answers];
  const waits: number[] = [];
  let clock = 0;
  const http = createHttpClient();
  try {
    const reply = await pollForTokens(
      {
        issuer: server.origin,
        metadata: { issuer: server.origin, token_endpoint: `${server.origin}/token` },
        http,
      },
      { clientId: CLIENT },
      {
        deviceCode: 'dc',
        userCode: 'ABCD-EFGH',
        verificationUri: 'http://x/device',
        expiresIn: 600,
        interval: 5,
      },
      {
        signal: new AbortController().signal,
        deadlineMs: 600_000,
        now: () => clock,
        sleep: async (ms) => {
          waits.push(ms);
          clock += ms;
        },
      },
    ).catch((err: unknown) => err);
    return { reply, waits };
  } finally {
    await http.close();
  }
}

const tokens = { status: 200, body: { access_token: 'at', token_type: 'Bearer' } };
const error = (code: string) => ({ status: 400, body: { error: code } });

describe('polling for the device login tokens', () => {
  it('keeps polling at the interval while the sign-in is pending, and 5 s slower after slow_down', async () => {
    const { reply, waits } = await poll([error('authorization_pending'), error('slow_down'), tokens]);
    expect((reply as { status: number }).status).toBe(200);
    expect(waits).toEqual([5000, 5000, 10000]);
  });

  it('ends with LOGIN_PROVIDER_ERROR when the sign-in is refused', async () => {
    const { reply } = await poll([error('access_denied')]);
    expect(reply).toMatchObject({ code: 'LOGIN_PROVIDER_ERROR' });
  });

  it('ends with LOGIN_TIMEOUT when the provider says the device code expired', async () => {
    const { reply } = await poll([error('expired_token')]);
    expect(reply).toMatchObject({
      code: 'LOGIN_TIMEOUT',
      message: expect.stringContaining('device code expired'),
    });
  });
});
