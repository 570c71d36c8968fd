import { resolveConfig } from '../../config/load.js';
import type { ConfigOptionValues } from '../../config/resolve.js';
import { clientSecretOf, howToSet } from '../../config/resolve.js';
import { TogoError } from '../../errors.js';
import type { Outcome, ResponseVia } from '../../http/listener.js';
import { type AuthorizationResponse, judgeCallback } from '../../oidc/callback.js';
import { newDpopKey, saveDpopKey } from '../../oidc/dpop.js';
import { type AuthorizationMetadata, composeLoginUrl } from '../../oidc/login-url.js';
import { transportChecks } from '../../oidc/transport.js';
import { completeLogin, completeTokenResponse, type PendingRequest } from '../../provider/complete-login.js';
import { dpopSession } from '../../provider/dpop.js';
import { credentialEndpoint } from '../../provider/gate.js';
import { type ConnectedProvider, connectProvider } from '../../provider/keys.js';
import { pushIfNeeded } from '../../provider/par.js';
import type { BackChannel } from '../../provider/token-endpoint.js';
import { loginTabRows } from '../../ui/login-tab.js';
import { t } from '../../ui/safe.js';
import { authorizationRequest, requestWarnings } from '../shared/authorization.js';
import { networkTimeout } from '../shared/authorize-flags.js';
import { openInBrowser } from '../shared/browser.js';
import { announceClientAuth, assertKeyIssuerTrusted, clientAuthOptions } from '../shared/client-key.js';
import { settingsWhere } from '../shared/config-flags.js';
import type { Ctx } from '../shared/context.js';
import { httpFor } from '../shared/http.js';
import { type Ending, finishLogin, refusePrintWithJson } from '../shared/login-result.js';
import type { LoginFlags } from './command.js';

export async function loginCommand(
  ctx: Ctx,
  configValues: ConfigOptionValues,
  flags: LoginFlags,
): Promise<number> {
  refusePrintWithJson(ctx, flags);
  const config = await resolveConfig({ flags: configValues, ...settingsWhere(ctx) });
  const s = config.settings;
  // Refuses when TOGO_CLIENT_SECRET would go to an issuer a directory config chose.
  const clientSecret = clientSecretOf(config);
  if (!s.issuer)
    throw new TogoError('SETTING_MISSING', 'no issuer to log in to', { hint: howToSet('issuer') });
  if (!s.clientId) throw new TogoError('SETTING_MISSING', 'no client id', { hint: howToSet('clientId') });
  const issuer = s.issuer;
  assertKeyIssuerTrusted(flags, config, configValues.trustDirectoryConfig);
  const connect = async (): Promise<ConnectedProvider> => {
    const connected = await connectProvider(
      httpFor(ctx, { timeoutMs: networkTimeout(flags) * 1000, ...(flags.ca ? { caFile: flags.ca } : {}) }),
      issuer,
    );
    // The keys are in hand before anyone logs in: a broken JWKS is reported now, not after the
    // login, and once the response arrives nothing is left to fetch (for the implicit flow, no
    // request at all).
    await connected.keys.load();
    return connected;
  };
  if (flags.device) {
    return deviceLogin(
      ctx,
      { ...(await connect()), ...(await clientAuthOptions(ctx, flags)) },
      { issuer, clientId: s.clientId, scope: s.scope, secret: clientSecret, flavor: s.flavor },
      flags,
    );
  }
  // The device flow has no redirect; every other flow needs one before going on the network.
  const registered = s.redirectUri;
  if (!registered)
    throw new TogoError('SETTING_MISSING', 'no redirect URI', { hint: howToSet('redirectUri') });

  const provider = await connect();
  // A code is redeemed with the verifier (and the secret): an endpoint the gate refuses is said
  // before anyone signs in, not after.
  if (s.responseType.split(/\s+/).includes('code')) credentialEndpoint(provider, 'token_endpoint');
  const metadata = provider.metadata as AuthorizationMetadata;
  const dpop = flags.dpop ? dpopSession(await newDpopKey(), ctx.now) : undefined;
  const client = {
    ...provider,
    ...(clientSecret ? { clientSecret } : {}),
    ...(await clientAuthOptions(ctx, flags)),
    ...(dpop ? { dpop } : {}),
  };
  const clientAuth = s.responseType.split(/\s+/).includes('code')
    ? await announceClientAuth(ctx, client, 'token')
    : undefined;

  /** One response judged against the request: the tab's page and, unless ignored, how the login ended. */
  const judge = async (
    response: AuthorizationResponse,
    via: ResponseVia,
    pending: PendingRequest,
  ): Promise<Judged> => {
    const verdict = judgeCallback(response, pending.state);
    if (verdict.kind === 'ignored') {
      return {
        kind: 'ignored',
        reason: verdict.reason,
        outcome: { final: false, ok: false, title: 'Ignored', message: `togo ignored ${verdict.reason}.` },
      };
    }
    if (verdict.kind === 'error') {
      return {
        kind: 'ended',
        ending: {
          kind: 'provider-error',
          error: verdict.error,
          ...(verdict.description ? { description: verdict.description } : {}),
        },
        outcome: {
          final: true,
          ok: false,
          title: 'Login failed',
          message: `The provider returned ${verdict.error}.`,
        },
      };
    }
    const result = await completeLogin(verdict.response, pending, {
      ...client,
      now: ctx.now,
      clockSkew: flags.clockSkew,
    });
    result.checks.push(...transportChecks(via, pending, verdict.response));
    const rows = loginTabRows(result);
    return {
      kind: 'ended',
      ending: { kind: 'result', result, via },
      outcome: result.ok
        ? { final: true, ok: true, title: 'Login verified', message: 'togo verified the tokens.', rows }
        : {
            final: true,
            ok: false,
            title: 'Login not valid',
            message: 'togo received tokens, but a check failed.',
            rows,
          },
    };
  };

  // The listener is bound first: on a free port it decides the redirect URI, and so the request.
  // Its handler finds the request here once it is composed, and leaves how the login ended.
  const login: { pending?: PendingRequest; ending?: Ending } = {};
  const anyPort = new URL(registered).port === '';
  const listener = flags.headless
    ? undefined
    : await (await import('../../http/listener.js')).startCallbackListener({
        redirectUri: registered,
        anyPort,
        onResponse: async (response, via) => {
          const { pending } = login;
          if (!pending) {
            ctx.warn(t`ignored a response (via ${via}) that came before this login's request was sent`);
            return {
              final: false,
              ok: false,
              title: 'Ignored',
              message: 'togo ignored a response that came before its login request.',
            };
          }
          const judged = await judge(response, via, pending);
          if (judged.kind === 'ignored') {
            ctx.warn(t`ignored ${judged.reason} (via ${via}); still waiting for this login's response`);
          } else {
            login.ending = judged.ending;
          }
          return judged.outcome;
        },
        onEvent: (line) => ctx.warn(t`${line}`),
      });
  const redirectUri = listener ? listener.redirectUri : registered;
  if (listener) {
    ctx.defer(() => listener.close());
    if (new URL(redirectUri).hostname === 'localhost') {
      ctx.warn(
        t`the redirect URI uses localhost, which may resolve to ::1 while togo listens on 127.0.0.1; prefer http://127.0.0.1/… (RFC 8252 §8.3)`,
      );
    }
  }

  const request = authorizationRequest(config, flags, metadata, { redirectUri });
  let composed = composeLoginUrl(request);
  for (const w of requestWarnings(composed, request, metadata)) ctx.warn(t`${w.message}. ${w.hint}`);
  if (dpop) ctx.note(ctx.styleErr.dim(`DPoP key (ES256) for this login: thumbprint ${dpop.key.thumbprint}`));
  const pushed = await pushIfNeeded(client, composed, request.clientId, flags.par === true);
  if (pushed) {
    composed = pushed.composed;
    ctx.note(
      ctx.styleErr.dim(
        `Pushed the authorization request (${pushed.reason}, RFC 9126); valid ${pushed.expiresIn} s.`,
      ),
    );
  }
  const pending: PendingRequest = {
    issuer,
    clientId: request.clientId,
    redirectUri,
    responseType: request.responseType,
    ...(request.responseMode ? { responseMode: request.responseMode } : {}),
    scope: request.scope,
    state: composed.state,
    nonce: composed.nonce,
    ...(composed.codeVerifier ? { codeVerifier: composed.codeVerifier } : {}),
    ...(flags.maxAge !== undefined ? { maxAge: flags.maxAge } : {}),
    ...(flags.acrValues ? { acrValues: flags.acrValues.split(/\s+/) } : {}),
  };
  login.pending = pending;

  const flow = `${request.flavor} flavor, ${request.responseType}${request.responseMode ? `, ${request.responseMode}` : ''}`;
  ctx.note(t`${ctx.styleErr.bold('Login URL:')} ${composed.url}`);
  ctx.note(
    t`${ctx.styleErr.bold('Redirect URI:')} ${redirectUri}${anyPort && listener ? ctx.styleErr.dim(`  (register ${registered}; the provider must accept any loopback port)`) : ''}`,
  );

  let ending: Ending;
  if (!listener) {
    const { runHeadless, deadline } = await import('../../provider/headless.js');
    // --wait bounds the whole chain of redirects, however slow each hop is.
    const wait = deadline(
      flags.wait * 1000,
      () =>
        new TogoError(
          'LOGIN_TIMEOUT',
          `no response reached the redirect URI within ${flags.wait} s (following the provider's redirects without a browser)`,
          { hint: `${timeoutHint(request.flavor)}` },
        ),
    );
    const arrival = await runHeadless(provider.http, composed.url, redirectUri, {
      signal: wait.signal,
    }).finally(wait.clear);
    ctx.note(
      ctx.styleErr.dim(
        `The provider sent the response via ${arrival.via} after ${arrival.trail.length - 1} redirects.`,
      ),
    );
    const judged = await judge(arrival.response, arrival.via, pending);
    if (judged.kind === 'ignored') {
      // Nothing else will arrive: without a browser, the last redirect is the only response.
      throw new TogoError(
        arrival.response.state !== pending.state ? 'STATE_MISMATCH' : 'TOKEN_INVALID',
        `the provider's response was refused: ${judged.reason}`,
      );
    }
    ending = judged.ending;
  } else {
    const browser = flags.browser ?? ctx.env.TOGO_BROWSER;
    if (flags.open || flags.browser) await openInBrowser(ctx, composed.url, browser);
    else ctx.note(ctx.styleErr.dim('Open the login URL in a browser (or pass --open). Waiting…'));
    await waitFor(ctx, listener.result, flags.wait, request.flavor);
    // The wait ends only on a final outcome, and every final outcome leaves its ending.
    if (!login.ending) throw new TogoError('INTERNAL', 'the login ended without a result');
    ending = login.ending;
  }

  return finishLogin(ctx, ending, flow, flags, {
    issuer,
    clientId: request.clientId,
    flavor: s.flavor,
    ...(dpop ? { dpop: await saveDpopKey(dpop.key) } : {}),
    ...(clientAuth ? { clientAuth: clientAuth.method } : {}),
  });
}

/** A response judged: ignored (the login keeps waiting), or how the login ended. */
type Judged =
  | { kind: 'ignored'; reason: string; outcome: Outcome }
  | { kind: 'ended'; ending: Ending; outcome: Outcome };

/** `togo login --device`: the user code on stderr, the sign-in on any device, polling until it is approved. */
async function deviceLogin(
  ctx: Ctx,
  provider: ConnectedProvider & Pick<BackChannel, 'clientKey' | 'clientAuth'>,
  who: { issuer: string; clientId: string; scope: string; secret?: string; flavor: 'togo' | 'standard' },
  flags: LoginFlags,
): Promise<number> {
  const { startDeviceAuthorization, pollForTokens } = await import('../../provider/device.js');
  const state = { ...provider, ...(who.secret ? { clientSecret: who.secret } : {}) };
  const clientAuth = await announceClientAuth(ctx, state, 'device_authorization');
  const device = await startDeviceAuthorization(state, who.clientId, who.scope);
  const s = ctx.styleErr;
  // The provider's words (the URI and the code) escaped, like every text from outside.
  ctx.printErr(
    t`${s.bold('To sign in, open')} ${device.verificationUri} ${s.bold('and enter the code')} ${s.bold.inverse(` ${device.userCode} `)}`,
  );
  if (device.verificationUriComplete) ctx.printErr(t`${s.dim('or open')} ${device.verificationUriComplete}`);
  ctx.printErr(
    s.dim(
      `The code expires in ${Math.round(device.expiresIn / 60)} min; checking every ${device.interval} s.`,
    ),
  );
  if (flags.open || flags.browser) {
    await openInBrowser(
      ctx,
      device.verificationUriComplete ?? device.verificationUri,
      flags.browser ?? ctx.env.TOGO_BROWSER,
    );
  }
  // --dpop: the token request carries the proof, so the tokens are bound to this login's key.
  const dpop = flags.dpop ? dpopSession(await newDpopKey(), ctx.now) : undefined;
  const reply = await pollForTokens(
    { ...state, ...(dpop ? { dpop } : {}) },
    { clientId: who.clientId },
    device,
    {
      signal: ctx.signal,
      deadlineMs: flags.wait * 1000,
    },
  );
  const pending: PendingRequest = {
    issuer: who.issuer,
    clientId: who.clientId,
    redirectUri: '',
    responseType: 'device_code',
    scope: who.scope,
    state: '',
  };
  const result = await completeTokenResponse(reply.json, reply.cacheControl, pending, {
    ...state,
    ...(dpop ? { dpop } : {}),
    now: ctx.now,
    clockSkew: flags.clockSkew,
  });
  return finishLogin(ctx, { kind: 'result', result, via: 'device' }, 'device authorization grant', flags, {
    issuer: who.issuer,
    clientId: who.clientId,
    ...(dpop ? { dpop: await saveDpopKey(dpop.key) } : {}),
    flavor: who.flavor,
    clientAuth: clientAuth.method,
  });
}

/** Why no response came back, said for the provider at hand. */
function timeoutHint(flavor: 'togo' | 'standard'): string {
  const causes =
    'Likely causes: the redirect URI is not registered (exactly, port included), the client id is unknown, ' +
    'or a scope or response type is not allowed for the client.';
  return flavor === 'togo'
    ? `Togo ID keeps most errors on its own error page. ${causes} Open the login URL and read the page; raise --wait for slow logins.`
    : `Providers show errors they cannot send back to the client on their own page, and some wait for a sign-in or consent. ${causes} Open the login URL and read the page; raise --wait for slow logins.`;
}

/** Waits for the listener's result, a timeout, or Ctrl-C, with a spinner on a terminal. */
async function waitFor(
  ctx: Ctx,
  result: Promise<Outcome>,
  timeoutSeconds: number,
  flavor: 'togo' | 'standard',
): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
  let spinner: NodeJS.Timeout | undefined;
  const started = ctx.now();
  if (ctx.stderr.isTTY && !ctx.quiet && !ctx.json) {
    const frames = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏';
    let i = 0;
    spinner = setInterval(() => {
      const waited = Math.round((ctx.now() - started) / 1000);
      ctx.progress(
        t`${frames[i++ % frames.length] ?? ''} waiting for the login (${waited} s; Ctrl-C to stop) `,
      );
    }, 100);
  }
  const onAbort = (reject: (e: unknown) => void) => () =>
    reject(new TogoError('INTERRUPTED', 'login interrupted; the listener is closed'));
  let abortListener: (() => void) | undefined;
  try {
    return await Promise.race([
      result,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new TogoError(
                'LOGIN_TIMEOUT',
                `no response reached the redirect URI within ${timeoutSeconds} s`,
                { hint: timeoutHint(flavor) },
              ),
            ),
          timeoutSeconds * 1000,
        );
      }),
      new Promise<never>((_, reject) => {
        if (ctx.signal.aborted) onAbort(reject)();
        abortListener = onAbort(reject);
        ctx.signal.addEventListener('abort', abortListener, { once: true });
      }),
    ]);
  } finally {
    clearTimeout(timer);
    if (abortListener) ctx.signal.removeEventListener('abort', abortListener);
    if (spinner) {
      clearInterval(spinner);
      ctx.progress(undefined);
    }
  }
}
