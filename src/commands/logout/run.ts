import type { ConfigOptionValues } from '../../config/resolve.js';
import { TogoError } from '../../errors.js';
import { formatSeconds } from '../../http/errors.js';
import type { LogoutListener } from '../../http/logout-listener.js';
import { type ComposedLogout, composeLogoutUrl } from '../../oidc/logout-url.js';
import { newState } from '../../oidc/pkce.js';
import { lines, t } from '../../ui/safe.js';
import { describeToken } from '../../ui/session.js';
import { table } from '../../ui/table.js';
import { openInBrowser } from '../shared/browser.js';
import type { Ctx } from '../shared/context.js';
import {
  discoverEndpoint,
  fingerprint,
  type PickedToken,
  pickToken,
  providerSettings,
  readTokenSources,
} from '../shared/session.js';
import type { LogoutFlags, LogoutUrlFlags } from './command.js';

interface Prepared {
  composed: ComposedLogout;
  endSessionEndpoint: string;
  idToken: PickedToken | undefined;
  /** The parameters with the ID token replaced by a description, for output. */
  shownParams: [string, string][];
  /** The session file the ID token came from, if any. */
  sessionPath?: string;
}

/** --state as given: visible ASCII, never empty (an empty state is one anyone can send back). */
function givenState(state: string | undefined): string | undefined {
  if (state === undefined) return undefined;
  if (!/^[\x20-\x7e]+$/.test(state) || state.trim() === '') {
    throw new TogoError('USAGE', '--state must be non-empty visible ASCII (RFC 6749 Appendix A.5)', {
      hint: 'Leave --state out and togo generates one.',
    });
  }
  return state;
}

async function prepare(
  ctx: Ctx,
  config: ConfigOptionValues,
  flags: LogoutUrlFlags,
  postLogoutRedirectUri: string | undefined,
  state = givenState(flags.state),
): Promise<Prepared> {
  const sources = await readTokenSources(ctx, flags, config);
  const idToken = await pickToken(sources, 'id_token', { required: false, what: 'ID token' });
  const provider = await providerSettings(ctx, config, sources.session);
  const endSessionEndpoint =
    flags.endSessionEndpoint ??
    (await discoverEndpoint(ctx, provider.issuer, 'end_session_endpoint', flags)).endpoint;

  let hintText = '';
  if (idToken) {
    hintText = await describeToken(idToken.token, ctx.now());
    ctx.note(ctx.styleErr.dim(`id_token_hint: ${hintText} (from ${idToken.source})`));
  }
  const composed = composeLogoutUrl({
    endSessionEndpoint,
    ...(idToken ? { idTokenHint: idToken.token } : {}),
    ...(postLogoutRedirectUri ? { postLogoutRedirectUri } : {}),
    ...(state !== undefined ? { state } : {}),
    ...(provider.clientId ? { clientId: provider.clientId } : {}),
    ...(flags.uiLocales ? { uiLocales: flags.uiLocales } : {}),
  });
  for (const w of composed.warnings) ctx.warn(t`${w.message}`);
  const shownParams = composed.params.map(([k, v]): [string, string] =>
    k === 'id_token_hint' ? [k, `(${hintText})`] : [k, v],
  );
  return {
    composed,
    endSessionEndpoint,
    idToken,
    shownParams,
    ...(sources.session ? { sessionPath: sources.session.path } : {}),
  };
}

function printUrl(ctx: Ctx, p: Prepared): void {
  // The URL alone on the first line keeps `$(togo logout-url)` working; the rest is narration.
  ctx.print(t`${p.composed.url}`);
  ctx.note(
    lines(
      table(
        p.shownParams.map(([k, v]) => [ctx.styleErr.bold(k), v]),
        { width: ctx.styleErr.columns },
      ),
    ),
  );
}

/** The logout URL with the ID token in id_token_hint replaced by its description. */
function describedUrl(p: Prepared): string {
  if (!p.idToken) return p.composed.url;
  const url = new URL(p.composed.url);
  url.searchParams.set(
    'id_token_hint',
    p.shownParams.find(([k]) => k === 'id_token_hint')?.[1] ?? '(ID token)',
  );
  return url.href;
}

async function jsonBase(p: Prepared) {
  return {
    url: p.composed.url,
    state: p.composed.state,
    endSessionEndpoint: p.endSessionEndpoint,
    params: Object.fromEntries(p.shownParams),
    idTokenHint: p.idToken ? await fingerprint(p.idToken.token) : null,
    warnings: p.composed.warnings,
  };
}

export async function logoutUrlCommand(
  ctx: Ctx,
  config: ConfigOptionValues,
  flags: LogoutUrlFlags & { postLogoutRedirectUri?: string },
): Promise<number> {
  const p = await prepare(ctx, config, flags, flags.postLogoutRedirectUri);
  if (ctx.json) {
    ctx.printJson({
      ok: true,
      ...(await jsonBase(p)),
      postLogoutRedirectUri: flags.postLogoutRedirectUri ?? null,
    });
  } else {
    printUrl(ctx, p);
  }
  return 0;
}

type WaitResult = { kind: 'arrived' } | { kind: 'timeout' } | { kind: 'interrupted' };

/** Waits for the first of: the promise, the deadline, Ctrl-C; clears its timer and listener either way. */
function waitFor(promise: Promise<unknown>, ms: number, signal: AbortSignal): Promise<WaitResult> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve({ kind: 'interrupted' });
    const finish = (r: WaitResult) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(r);
    };
    const onAbort = () => finish({ kind: 'interrupted' });
    const timer = setTimeout(() => finish({ kind: 'timeout' }), ms);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      () => finish({ kind: 'arrived' }),
      () => finish({ kind: 'arrived' }),
    );
  });
}

export async function logoutCommand(
  ctx: Ctx,
  config: ConfigOptionValues,
  flags: LogoutFlags,
): Promise<number> {
  const { listener, state } = await listen(ctx, flags);
  const p = await prepare(ctx, config, flags, listener.redirectUri, state);
  showRequest(ctx, p, flags);
  const waitMs = (flags.waitTimeout ?? flags.wait) * 1000;
  let following: Following | undefined;
  if (flags.headless) following = await followHeadless(ctx, flags, p, listener, waitMs);
  else await handToBrowser(ctx, flags, p, listener, waitMs);
  await waitForRedirect(ctx, listener, following, waitMs);
  await signedOut(ctx, p, listener);
  return 0;
}

/**
 * The listener starts first (the URL must carry the port it got), but with its state already
 * chosen: a redirect that arrives before the URL exists cannot match anything togo sent.
 */
async function listen(ctx: Ctx, flags: LogoutFlags): Promise<{ listener: LogoutListener; state: string }> {
  const { startLogoutListener } = await import('../../http/logout-listener.js');
  const state = givenState(flags.state) ?? newState();
  const listener = await startLogoutListener({
    redirectUri: flags.postLogoutRedirectUri ?? 'http://127.0.0.1/logout-callback',
    expectedState: state,
    onEvent: (line) => ctx.warn(t`${line}`),
  });
  ctx.defer(() => listener.close());
  return { listener, state };
}

/**
 * The URL carries the ID token (id_token_hint): it never goes to stdout. It is shown on stderr
 * only when a person has to open it; otherwise the parameters are, with the token described.
 */
function showRequest(ctx: Ctx, p: Prepared, flags: LogoutFlags): void {
  const byHand = !flags.open && flags.browser === undefined && !flags.headless;
  if (byHand) ctx.note(t`Open this URL to sign out:\n${p.composed.url}`);
  ctx.note(lines(table(p.shownParams.map(([k, v]) => [ctx.styleErr.bold(k), v]))));
}

/** A logout under way without a browser: its run, and how to stop its deadline. */
interface Following {
  headless: Promise<unknown>;
  clearDeadline(): void;
}

async function followHeadless(
  ctx: Ctx,
  flags: LogoutFlags,
  p: Prepared,
  listener: LogoutListener,
  waitMs: number,
): Promise<Following> {
  const [{ runHeadlessLogout, deadline }, { httpFor }] = await Promise.all([
    import('../../provider/headless.js'),
    import('../shared/http.js'),
  ]);
  const http = httpFor(ctx, { timeoutMs: flags.timeout * 1000, ...(flags.ca ? { caFile: flags.ca } : {}) });
  ctx.note(ctx.styleErr.dim('Following the logout redirects without a browser…'));
  // --wait bounds the whole chain of redirects, however slow each hop is.
  const wait = deadline(
    waitMs,
    () =>
      new TogoError(
        'LOGOUT_TIMEOUT',
        `no post-logout redirect arrived at ${listener.redirectUri} within ${formatSeconds(waitMs)} (following the provider's redirects without a browser)`,
      ),
  );
  const headless = runHeadlessLogout(http, p.composed.url, listener.redirectUri, { signal: wait.signal });
  // A provider that refuses ends the run now, not when the wait runs out.
  headless.catch(() => {});
  return { headless, clearDeadline: wait.clear };
}

async function handToBrowser(
  ctx: Ctx,
  flags: LogoutFlags,
  p: Prepared,
  listener: LogoutListener,
  waitMs: number,
): Promise<void> {
  const browser = flags.browser ?? (flags.open ? ctx.env.TOGO_BROWSER : undefined);
  if (flags.open || flags.browser !== undefined) await openInBrowser(ctx, p.composed.url, browser);
  ctx.note(
    t`Waiting for the post-logout redirect to ${listener.redirectUri} (up to ${formatSeconds(waitMs)}; Ctrl-C to stop)…`,
  );
}

/** Returns once the redirect with the expected state arrived; throws on Ctrl-C, the wait running out, or a failed headless run. */
async function waitForRedirect(
  ctx: Ctx,
  listener: LogoutListener,
  following: Following | undefined,
  waitMs: number,
): Promise<void> {
  const headless = following?.headless;
  const result = await waitFor(
    headless ? Promise.race([listener.arrived, headless.then(() => listener.arrived)]) : listener.arrived,
    waitMs,
    ctx.signal,
  );
  following?.clearDeadline();
  // A headless run that failed says why; one still running past the wait is stopped by its deadline.
  if (headless && result.kind === 'arrived') await headless;
  if (result.kind === 'interrupted') {
    throw new TogoError('INTERRUPTED', 'stopped waiting for the post-logout redirect');
  }
  if (result.kind === 'timeout') throw timedOut(listener, waitMs);
}

function timedOut(listener: LogoutListener, waitMs: number): TogoError {
  if (listener.refused > 0) {
    return new TogoError(
      'STATE_MISMATCH',
      `${listener.refused} post-logout redirect${listener.refused > 1 ? 's' : ''} arrived with a wrong state, and none with the right one within ${formatSeconds(waitMs)}`,
      {
        hint: 'The redirect answered another logout request (or was forged); start the logout again.',
        details: { refused: listener.refused },
      },
    );
  }
  return new TogoError(
    'LOGOUT_TIMEOUT',
    `no post-logout redirect arrived at ${listener.redirectUri} within ${formatSeconds(waitMs)}`,
    {
      hint: `Likely causes: ${listener.redirectUri.replace(/:\d+\//, '/')} is not registered as a post_logout_redirect_uri of the client, the id_token_hint is missing or unknown to the provider, or the logout page waits for a confirmation. Raise --wait if you need more time.`,
    },
  );
}

/** The provider's session has ended: the stored session it came from ends with it. */
async function signedOut(ctx: Ctx, p: Prepared, listener: LogoutListener): Promise<void> {
  const { forgetStoredSession } = await import('../shared/store.js');
  const forgotten = p.sessionPath ? forgetStoredSession(ctx, p.sessionPath) : false;
  if (ctx.json) {
    ctx.printJson({
      ok: true,
      ...(await jsonBase(p)),
      ...(forgotten ? { removedSession: p.sessionPath } : {}),
      // The ID token stays out of stdout: the URL is shown with the hint described.
      url: describedUrl(p),
      postLogoutRedirectUri: listener.redirectUri,
      redirected: true,
      refused: listener.refused,
    });
  } else {
    ctx.print(t`${ctx.style.green('signed out')}: the provider redirected back with the expected state`);
  }
}
