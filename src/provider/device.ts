/**
 * The device authorization grant (RFC 8628): ask for a user code, show it, and poll the token
 * endpoint at the interval the provider sets, slowing down when it says so.
 */
import { TogoError } from '../errors.js';
import type { HttpClient } from '../http/client.js';
import { formatSeconds } from '../http/errors.js';
import type { PendingRequest } from './complete-login.js';
import {
  type BackChannel,
  postClientForm,
  postToTokenEndpoint,
  type TokenEndpointReply,
  tokenEndpointFailure,
  tokenError,
} from './token-endpoint.js';

export const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

export interface DeviceAuthorization {
  deviceCode: string;
  userCode: string;
  verificationUri: string;
  verificationUriComplete?: string;
  expiresIn: number;
  /** Seconds between polls (RFC 8628 §3.2: 5 when the provider names none). */
  interval: number;
}

export async function startDeviceAuthorization(
  provider: Omit<BackChannel, 'dpop'>,
  clientId: string,
  scope: string,
): Promise<DeviceAuthorization> {
  const endpoint = provider.metadata.device_authorization_endpoint;
  if (typeof endpoint !== 'string') {
    throw new TogoError('PROVIDER_ERROR', 'the provider has no device authorization endpoint', {
      hint: 'Its discovery document names no device_authorization_endpoint: log in with a browser instead.',
    });
  }
  const reply = await postClientForm(provider, 'device_authorization', clientId, { scope });
  if (reply.status !== 200)
    throw tokenEndpointFailure(reply, 'the device authorization endpoint refused the request');
  const body = reply.json as Record<string, unknown> | undefined;
  const str = (k: string) => (typeof body?.[k] === 'string' ? (body[k] as string) : undefined);
  const deviceCode = str('device_code');
  const userCode = str('user_code');
  const verificationUri = str('verification_uri');
  if (!deviceCode || !userCode || !verificationUri) {
    throw new TogoError(
      'PROVIDER_ERROR',
      'the device authorization response lacks device_code, user_code or verification_uri',
    );
  }
  const complete = str('verification_uri_complete');
  return {
    deviceCode,
    userCode,
    verificationUri,
    ...(complete ? { verificationUriComplete: complete } : {}),
    expiresIn: typeof body?.expires_in === 'number' ? body.expires_in : 600,
    interval: typeof body?.interval === 'number' && body.interval > 0 ? body.interval : 5,
  };
}

/**
 * Polls until the user approves (the token response), refuses (exit 4), the code expires (exit 4),
 * the deadline passes (exit 4) or Ctrl-C (130). `slow_down` adds 5 seconds to the interval (§3.5).
 */
export async function pollForTokens(
  provider: BackChannel,
  pending: Pick<PendingRequest, 'clientId'>,
  device: DeviceAuthorization,
  options: {
    signal: AbortSignal;
    deadlineMs: number;
    sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
    /** The clock, for tests; Date.now by default. */
    now?: () => number;
  },
): Promise<TokenEndpointReply> {
  const sleep = options.sleep ?? abortableSleep;
  const now = options.now ?? Date.now;
  let interval = device.interval;
  const waitEnds = device.expiresIn * 1000 > options.deadlineMs;
  const expiresAt = now() + Math.min(device.expiresIn * 1000, options.deadlineMs);
  const ended = () =>
    waitEnds
      ? new TogoError(
          'LOGIN_TIMEOUT',
          `the sign-in was not approved within ${formatSeconds(options.deadlineMs)} (the device code is still valid)`,
          { hint: 'Start again and wait longer (--wait).' },
        )
      : new TogoError('LOGIN_TIMEOUT', 'the device code expired before the sign-in was approved', {
          hint: 'Start again and enter the code sooner.',
        });
  // A poll under way when the wait ends is stopped too: --wait is the deadline, not --wait plus
  // one request's --timeout.
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(ended()), Math.max(0, expiresAt - now()));
  const http: HttpClient = {
    getJson: (url, o) => provider.http.getJson(url, o),
    request: (url, o = {}) => provider.http.request(url, { ...o, signal: stop.signal }),
    get requestCount() {
      return provider.http.requestCount;
    },
    close: () => provider.http.close(),
  };
  try {
    return await poll({ ...provider, http });
  } finally {
    clearTimeout(timer);
  }

  async function poll(provider: BackChannel): Promise<TokenEndpointReply> {
    for (;;) {
      if (now() + interval * 1000 > expiresAt) {
        // No poll fits before the end: wait out the rest (the user may still be typing the code, and
        // --wait is what the user asked for), then say which ended, our wait or the code's life.
        const rest = expiresAt - now();
        if (rest > 0) await sleep(rest, options.signal);
        throw ended();
      }
      await sleep(interval * 1000, options.signal);
      const reply = await postToTokenEndpoint(provider, pending.clientId, {
        grant_type: DEVICE_GRANT,
        device_code: device.deviceCode,
      });
      if (reply.status === 200) return reply;
      const err = tokenError(reply);
      if (err?.error === 'authorization_pending') continue;
      if (err?.error === 'slow_down') {
        interval += 5;
        continue;
      }
      if (err?.error === 'access_denied') {
        throw new TogoError(
          'LOGIN_PROVIDER_ERROR',
          'the sign-in was refused on the verification page (access_denied)',
        );
      }
      if (err?.error === 'expired_token') {
        throw new TogoError('LOGIN_TIMEOUT', 'the device code expired before the sign-in was approved', {
          hint: 'Start again and enter the code sooner.',
        });
      }
      throw tokenEndpointFailure(reply, 'the token endpoint refused the device code');
    }
  }
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new TogoError('INTERRUPTED', 'login interrupted'));
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new TogoError('INTERRUPTED', 'login interrupted'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
