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
  const now = options.now ?? Date.now;
  const waitEnds = device.expiresIn * 1000 > options.deadlineMs;
  const expiresAt = now() + Math.min(device.expiresIn * 1000, options.deadlineMs);
  const ended = () => (waitEnds ? waitEnded(options.deadlineMs) : codeExpired());
  // A poll under way when the wait ends is stopped too: --wait is the deadline, not --wait plus
  // one request's --timeout.
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(ended()), Math.max(0, expiresAt - now()));
  try {
    return await poll(
      { ...provider, http: stoppedBy(provider.http, stop.signal) },
      {
        clientId: pending.clientId,
        device,
        expiresAt,
        ended,
        now,
        sleep: options.sleep ?? abortableSleep,
        signal: options.signal,
      },
    );
  } finally {
    clearTimeout(timer);
  }
}

interface Polling {
  clientId: string;
  device: DeviceAuthorization;
  expiresAt: number;
  /** The error for the end of the wait: ours (--wait) or the device code's life. */
  ended: () => TogoError;
  now: () => number;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  signal: AbortSignal;
}

/** Asks the token endpoint every interval until it answers with tokens or an error that ends the wait. */
async function poll(provider: BackChannel, p: Polling): Promise<TokenEndpointReply> {
  let interval = p.device.interval;
  for (;;) {
    if (p.now() + interval * 1000 > p.expiresAt) {
      // No poll fits before the end: wait out the rest (the user may still be typing the code, and
      // --wait is what the user asked for), then say which ended, our wait or the code's life.
      const rest = p.expiresAt - p.now();
      if (rest > 0) await p.sleep(rest, p.signal);
      throw p.ended();
    }
    await p.sleep(interval * 1000, p.signal);
    const reply = await postToTokenEndpoint(provider, p.clientId, {
      grant_type: DEVICE_GRANT,
      device_code: p.device.deviceCode,
    });
    if (reply.status === 200) return reply;
    if (stillPending(reply) === 'slow_down') interval += 5;
  }
}

/** Whether the sign-in is still waiting (and whether to poll slower); any other answer is thrown. */
function stillPending(reply: TokenEndpointReply): 'authorization_pending' | 'slow_down' {
  const err = tokenError(reply);
  if (err?.error === 'authorization_pending' || err?.error === 'slow_down') return err.error;
  if (err?.error === 'access_denied') {
    throw new TogoError(
      'LOGIN_PROVIDER_ERROR',
      'the sign-in was refused on the verification page (access_denied)',
    );
  }
  if (err?.error === 'expired_token') throw codeExpired();
  throw tokenEndpointFailure(reply, 'the token endpoint refused the device code');
}

function waitEnded(deadlineMs: number): TogoError {
  return new TogoError(
    'LOGIN_TIMEOUT',
    `the sign-in was not approved within ${formatSeconds(deadlineMs)} (the device code is still valid)`,
    { hint: 'Start again and wait longer (--wait).' },
  );
}

function codeExpired(): TogoError {
  return new TogoError('LOGIN_TIMEOUT', 'the device code expired before the sign-in was approved', {
    hint: 'Start again and enter the code sooner.',
  });
}

/** The same HTTP client, its requests also stopped when the wait ends. */
function stoppedBy(http: HttpClient, signal: AbortSignal): HttpClient {
  return {
    getJson: (url, o) => http.getJson(url, o),
    request: (url, o = {}) => http.request(url, { ...o, signal }),
    get requestCount() {
      return http.requestCount;
    },
    close: () => http.close(),
  };
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
