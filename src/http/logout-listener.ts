/**
 * A one-shot loopback listener for the post-logout redirect (RP-Initiated Logout §3): the provider
 * sends the browser to `post_logout_redirect_uri?state=…`. Binds a loopback address only, answers
 * every request with `Connection: close`, refuses a wrong state and keeps waiting (as the login
 * listener does), and stops listening once the right state has arrived.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { TogoError } from '../errors.js';
import { escapeHtml } from './html.js';
import { listenOnLoopback, loopbackTarget, sameHost, sameSecret } from './listener.js';

export interface LogoutArrival {
  /** The query the provider sent, e.g. { state }. */
  params: Record<string, string>;
  /** Wrong-state redirects refused before this one. */
  refused: number;
}

export interface LogoutListener {
  /** The post-logout redirect URI to send, port included. */
  redirectUri: string;
  /** Settles when a redirect with the expected state arrives. */
  arrived: Promise<LogoutArrival>;
  /** How many redirects with a wrong (or no) state were refused so far. */
  readonly refused: number;
  close(): Promise<void>;
}

export interface LogoutListenerOptions {
  /** http, a loopback host, a path; no port (or 0) means a free port. */
  redirectUri: string;
  /**
   * The state the logout URL will carry, generated before the listener listens: a redirect that
   * arrives before the URL is composed can only match what togo generated. Never empty.
   */
  expectedState: string;
  onEvent?: (line: string) => void;
}

function reply(res: ServerResponse, status: number, title: string, message: string): void {
  res.writeHead(status, {
    connection: 'close',
    'cache-control': 'no-store',
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
  });
  res.end(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
      '<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36em;margin:4em auto;padding:0 1em}</style></head>' +
      `<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></body></html>\n`,
  );
}

export async function startLogoutListener(options: LogoutListenerOptions): Promise<LogoutListener> {
  if (options.expectedState === '') {
    throw new TogoError('INTERNAL', 'the logout listener needs the state of its logout before it listens');
  }
  const target = logoutTarget(options.redirectUri);
  let arrive!: (a: LogoutArrival) => void;
  const arrived = new Promise<LogoutArrival>((r) => {
    arrive = r;
  });
  const waiting: Waiting = {
    target,
    expectedState: options.expectedState,
    event: options.onEvent ?? (() => {}),
    origin: '',
    refused: 0,
    done: false,
    arrive,
  };
  const server = createServer((req, res) => answer(waiting, req, res));
  const bound = await listenOnLoopback(server, target, {
    port: target.port,
    portHint: 'use a post-logout redirect URI without a port (a free one is picked)',
  });
  waiting.origin = bound.origin;
  return {
    redirectUri: bound.redirectUri(options.redirectUri),
    arrived,
    get refused() {
      return waiting.refused;
    },
    close: bound.close,
  };
}

/** What the listener waits for, and how far it got. */
interface Waiting {
  target: ReturnType<typeof loopbackTarget>;
  expectedState: string;
  event: (line: string) => void;
  /** The listener's own origin, once it listens. */
  origin: string;
  refused: number;
  done: boolean;
  arrive: (a: LogoutArrival) => void;
}

/** Where to listen: a loopback post-logout redirect URI, or a usage error that says what to use. */
function logoutTarget(redirectUri: string): ReturnType<typeof loopbackTarget> {
  try {
    return loopbackTarget(redirectUri);
  } catch (error) {
    if (error instanceof TogoError && error.code === 'USAGE') {
      throw new TogoError(
        'USAGE',
        `togo logout listens on a loopback post-logout redirect URI, not ${redirectUri}`,
        {
          hint: 'Use one such as http://127.0.0.1/logout-callback (registered for the client), or `togo logout-url` to print the URL without waiting.',
        },
      );
    }
    throw error;
  }
}

/** One request: another host, another path or a late one is refused; the redirect itself is judged by its state. */
function answer(waiting: Waiting, req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  if (!sameHost(req.headers.host, waiting.origin)) {
    waiting.event(`refused a request for host ${req.headers.host ?? '(none)'}`);
    reply(res, 421, 'Misdirected request', 'This listener answers only for its own address.');
    return;
  }
  const url = new URL(req.url ?? '/', waiting.origin);
  if (url.pathname !== waiting.target.path || req.method !== 'GET') {
    reply(res, 404, 'Not found', 'togo waits for the post-logout redirect elsewhere.');
    return;
  }
  if (waiting.done) {
    reply(res, 409, 'Already done', 'togo already received the post-logout redirect.');
    return;
  }
  takeRedirect(waiting, Object.fromEntries(url.searchParams), res);
}

/** The post-logout redirect: a wrong (or no) state is refused and togo keeps waiting; the right one ends the wait. */
function takeRedirect(waiting: Waiting, params: Record<string, string>, res: ServerResponse): void {
  if (!sameSecret(params.state, waiting.expectedState)) {
    waiting.refused++;
    waiting.event(
      params.state === undefined
        ? 'refused a post-logout redirect without state; still waiting'
        : 'refused a post-logout redirect with a wrong state; still waiting',
    );
    reply(
      res,
      400,
      'Wrong state',
      'This redirect does not answer the logout togo started (its state differs). togo keeps waiting.',
    );
    return;
  }
  waiting.done = true;
  res.on('close', () => waiting.arrive({ params, refused: waiting.refused }));
  reply(
    res,
    200,
    'Signed out',
    'You are signed out. You can close this tab; the result is in your terminal.',
  );
}
