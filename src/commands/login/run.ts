/**
 * `togo login`: the whole login, step by step — settings, the provider and its keys, the listener
 * on the redirect URI, the request (pushed when needed), the response (by browser or headless),
 * and how it ended.
 */
import { resolveConfig } from '../../config/load.js';
import type { ConfigOptionValues, ResolvedConfig } from '../../config/resolve.js';
import { clientSecretOf, howToSet } from '../../config/resolve.js';
import { TogoError } from '../../errors.js';
import type { CallbackListener, Outcome } from '../../http/listener.js';
import { newDpopKey, saveDpopKey } from '../../oidc/dpop.js';
import {
  type AuthorizationMetadata,
  composeLoginUrl,
  type LoginRequest,
  pendingRequest,
} from '../../oidc/login-url.js';
import type { PendingRequest, ProviderState } from '../../provider/complete-login.js';
import { type DpopSession, dpopSession } from '../../provider/dpop.js';
import { credentialEndpoint } from '../../provider/gate.js';
import { type ConnectedProvider, connectProvider } from '../../provider/keys.js';
import { pushIfNeeded } from '../../provider/par.js';
import type { BackChannel } from '../../provider/token-endpoint.js';
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
import { deviceLogin } from './device.js';
import { EARLY, judgeResponse } from './respond.js';

export async function loginCommand(
  ctx: Ctx,
  configValues: ConfigOptionValues,
  flags: LoginFlags,
): Promise<number> {
  refusePrintWithJson(ctx, flags);
  const target = await loginTarget(ctx, configValues, flags);
  if (flags.device) {
    const provider = await connect(ctx, target.issuer, flags);
    const client = { ...provider, ...(await clientAuthOptions(ctx, flags)) };
    return deviceLogin(ctx, client, deviceWho(target), flags);
  }
  // The device flow has no redirect; every other flow needs one before going on the network.
  const registered = target.settings.redirectUri;
  if (!registered)
    throw new TogoError('SETTING_MISSING', 'no redirect URI', { hint: howToSet('redirectUri') });
  const client = await clientFor(ctx, target, await connect(ctx, target.issuer, flags), flags);
  // The listener is bound first: on a free port it decides the redirect URI, and so the request.
  // Its handler finds the request in `login` once it is sent, and leaves how the login ended there.
  const login: LoginState = {};
  const listener = flags.headless ? undefined : await listen(ctx, registered, login, client, flags);
  const redirectUri = listener ? listener.redirectUri : registered;
  const sent = await sendRequest(ctx, target, client, flags, redirectUri);
  login.pending = sent.pending;
  if (listener || flags.verbose) {
    ctx.note(t`${ctx.styleErr.bold('Login URL:')} ${sent.url}`);
    const anyPort = listener !== undefined && new URL(registered).port === '';
    ctx.note(
      t`${ctx.styleErr.bold('Redirect URI:')} ${redirectUri}${anyPort ? ctx.styleErr.dim(`  (register ${registered}; the provider must accept any loopback port)`) : ''}`,
    );
  }
  const ending = listener
    ? await inBrowser(ctx, listener, login, sent, flags)
    : await headless(ctx, client, sent, flags);
  return finishLogin(ctx, ending, sent.flow, flags, {
    issuer: target.issuer,
    clientId: sent.request.clientId,
    flavor: target.settings.flavor,
    ...(client.dpop ? { dpop: await saveDpopKey(client.dpop.key) } : {}),
    ...(client.authAtToken ? { clientAuth: client.authAtToken } : {}),
  });
}

/** The settings a login needs, resolved: the issuer and client, and the secret when one may be sent. */
interface LoginTarget {
  config: ResolvedConfig;
  settings: ResolvedConfig['settings'];
  issuer: string;
  clientId: string;
  clientSecret?: string;
}

/**
 * The provider a login talks to, with the secret, client key and DPoP key its requests carry, and
 * how it authenticates at the token endpoint when the flow redeems a code.
 */
type LoginClient = ConnectedProvider &
  Pick<BackChannel, 'clientKey' | 'clientAuth'> & {
    clientSecret?: string;
    dpop?: DpopSession;
    authAtToken?: string;
  };

/** What the listener's handler and the command share while the login waits. */
interface LoginState {
  pending?: PendingRequest;
  ending?: Ending;
}

/** The request as sent: the URL to open, what the response is judged against, the flow's name. */
interface SentRequest {
  request: LoginRequest;
  url: string;
  pending: PendingRequest;
  flow: string;
}

async function loginTarget(
  ctx: Ctx,
  configValues: ConfigOptionValues,
  flags: LoginFlags,
): Promise<LoginTarget> {
  const config = await resolveConfig({ flags: configValues, ...settingsWhere(ctx) });
  const s = config.settings;
  // Refuses when TOGO_CLIENT_SECRET would go to an issuer a directory config chose.
  const clientSecret = clientSecretOf(config);
  if (!s.issuer)
    throw new TogoError('SETTING_MISSING', 'no issuer to log in to', { hint: howToSet('issuer') });
  if (!s.clientId) throw new TogoError('SETTING_MISSING', 'no client id', { hint: howToSet('clientId') });
  // And --client-key to one a directory config chose, before anything is fetched.
  assertKeyIssuerTrusted(flags, config, configValues.trustDirectoryConfig);
  return {
    config,
    settings: s,
    issuer: s.issuer,
    clientId: s.clientId,
    ...(clientSecret ? { clientSecret } : {}),
  };
}

function deviceWho(target: LoginTarget) {
  const { issuer, clientId, clientSecret, settings } = target;
  return {
    issuer,
    clientId,
    scope: settings.scope,
    flavor: settings.flavor,
    ...(clientSecret ? { secret: clientSecret } : {}),
  };
}

/**
 * Discovery, then the keys, before anyone logs in: a broken JWKS is reported now, not after the
 * login, and once the response arrives nothing is left to fetch (for the implicit flow, no request).
 */
async function connect(ctx: Ctx, issuer: string, flags: LoginFlags): Promise<ConnectedProvider> {
  const http = httpFor(ctx, {
    timeoutMs: networkTimeout(flags) * 1000,
    ...(flags.ca ? { caFile: flags.ca } : {}),
  });
  const connected = await connectProvider(http, issuer);
  await connected.keys.load();
  return connected;
}

async function clientFor(
  ctx: Ctx,
  target: LoginTarget,
  provider: ConnectedProvider,
  flags: LoginFlags,
): Promise<LoginClient> {
  // A code is redeemed with the verifier (and the secret): an endpoint the gate refuses is said
  // before anyone signs in, not after.
  if (target.settings.responseType.split(/\s+/).includes('code'))
    credentialEndpoint(provider, 'token_endpoint');
  const dpop = flags.dpop ? dpopSession(await newDpopKey(), ctx.now) : undefined;
  if (dpop) ctx.note(ctx.styleErr.dim(`DPoP key (ES256) for this login: thumbprint ${dpop.key.thumbprint}`));
  const client: LoginClient = {
    ...provider,
    ...(target.clientSecret ? { clientSecret: target.clientSecret } : {}),
    ...(await clientAuthOptions(ctx, flags)),
    ...(dpop ? { dpop } : {}),
  };
  if (target.settings.responseType.split(/\s+/).includes('code')) {
    client.authAtToken = (await announceClientAuth(ctx, client, 'token')).method;
  }
  return client;
}

/** What a response is judged with: the client, this run's clock and the allowed skew. */
function stateOf(ctx: Ctx, client: LoginClient, flags: LoginFlags): ProviderState {
  return { ...client, now: ctx.now, clockSkew: flags.clockSkew };
}

/** The loopback listener: each response that reaches it is judged against the request sent. */
async function listen(
  ctx: Ctx,
  registered: string,
  login: LoginState,
  client: LoginClient,
  flags: LoginFlags,
): Promise<CallbackListener> {
  const { startCallbackListener } = await import('../../http/listener.js');
  const listener = await startCallbackListener({
    redirectUri: registered,
    anyPort: new URL(registered).port === '',
    onResponse: async (response, via): Promise<Outcome> => {
      if (!login.pending) {
        ctx.warn(t`ignored a response (via ${via}) that came before this login's request was sent`);
        return EARLY;
      }
      const judged = await judgeResponse(response, via, login.pending, stateOf(ctx, client, flags));
      if (judged.kind === 'ignored') {
        ctx.warn(t`ignored ${judged.reason} (via ${via}); still waiting for this login's response`);
      } else {
        login.ending = judged.ending;
      }
      return judged.outcome;
    },
    onEvent: (line) => ctx.warn(t`${line}`),
  });
  ctx.defer(() => listener.close());
  if (new URL(listener.redirectUri).hostname === 'localhost') {
    ctx.warn(
      t`the redirect URI uses localhost, which may resolve to ::1 while togo listens on 127.0.0.1; prefer http://127.0.0.1/… (RFC 8252 §8.3)`,
    );
  }
  return listener;
}

/** Composes the request (state, nonce, PKCE), warns of what the provider does not advertise, pushes it when needed. */
async function sendRequest(
  ctx: Ctx,
  target: LoginTarget,
  client: LoginClient,
  flags: LoginFlags,
  redirectUri: string,
): Promise<SentRequest> {
  const metadata = client.metadata as AuthorizationMetadata;
  const request = authorizationRequest(target.config, flags, metadata, { redirectUri });
  let composed = composeLoginUrl(request);
  for (const w of requestWarnings(composed, request, metadata)) ctx.warn(t`${w.message}. ${w.hint}`);
  const pushed = await pushIfNeeded(client, composed, request.clientId, flags.par === true);
  if (pushed) {
    composed = pushed.composed;
    ctx.note(
      ctx.styleErr.dim(
        t`Pushed the authorization request (${pushed.reason}, RFC 9126; client authentication: ${pushed.clientAuth}); valid ${pushed.expiresIn} s.`,
      ),
    );
  }
  const pending: PendingRequest = {
    ...pendingRequest(composed, request, target.issuer),
    ...(flags.maxAge !== undefined ? { maxAge: flags.maxAge } : {}),
    ...(flags.acrValues ? { acrValues: flags.acrValues.split(/\s+/) } : {}),
  };
  const flow = `${request.flavor} flavor, ${request.responseType}${request.responseMode ? `, ${request.responseMode}` : ''}`;
  return { request, url: composed.url, pending, flow };
}

/** Follows the provider's redirects without a browser (--headless); the last one is the response. */
async function headless(
  ctx: Ctx,
  client: LoginClient,
  sent: SentRequest,
  flags: LoginFlags,
): Promise<Ending> {
  const { runHeadless, deadline } = await import('../../provider/headless.js');
  // --wait bounds the whole chain of redirects, however slow each hop is.
  const wait = deadline(
    flags.wait * 1000,
    () =>
      new TogoError(
        'LOGIN_TIMEOUT',
        `no response reached the redirect URI within ${flags.wait} s (following the provider's redirects without a browser)`,
        { hint: timeoutHint(sent.request.flavor) },
      ),
  );
  const arrival = await runHeadless(client.http, sent.url, sent.pending.redirectUri, {
    signal: wait.signal,
  }).finally(wait.clear);
  if (flags.verbose) {
    ctx.note(
      ctx.styleErr.dim(
        `The provider sent the response via ${arrival.via} after ${arrival.trail.length - 1} redirects.`,
      ),
    );
  }
  const judged = await judgeResponse(
    arrival.response,
    arrival.via,
    sent.pending,
    stateOf(ctx, client, flags),
  );
  if (judged.kind === 'ignored') {
    // Nothing else will arrive: without a browser, the last redirect is the only response.
    throw new TogoError(
      arrival.response.state !== sent.pending.state ? 'STATE_MISMATCH' : 'TOKEN_INVALID',
      `the provider's response was refused: ${judged.reason}`,
    );
  }
  return judged.ending;
}

/** Opens the login URL (or asks the person to) and waits for the response at the listener. */
async function inBrowser(
  ctx: Ctx,
  listener: CallbackListener,
  login: LoginState,
  sent: SentRequest,
  flags: LoginFlags,
): Promise<Ending> {
  if (flags.open || flags.browser) await openInBrowser(ctx, sent.url, flags.browser ?? ctx.env.TOGO_BROWSER);
  else ctx.note(ctx.styleErr.dim('Open the login URL in a browser (or pass --open).'));
  const done = ctx.waiting(
    t`waiting for the sign-in: the response at ${listener.redirectUri}`,
    flags.wait * 1000,
  );
  try {
    await waitFor(ctx, listener.result, flags.wait, sent.request.flavor);
  } finally {
    done();
  }
  // The wait ends only on a final outcome, and every final outcome leaves its ending.
  if (!login.ending) throw new TogoError('INTERNAL', 'the login ended without a result');
  return login.ending;
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

/** Waits for the listener's result, the --wait deadline, or Ctrl-C. */
async function waitFor(
  ctx: Ctx,
  result: Promise<Outcome>,
  timeoutSeconds: number,
  flavor: 'togo' | 'standard',
): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
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
                {
                  hint: timeoutHint(flavor),
                },
              ),
            ),
          timeoutSeconds * 1000,
        );
      }),
      new Promise<never>((_, reject) => {
        abortListener = () =>
          reject(new TogoError('INTERRUPTED', 'login interrupted; the listener is closed'));
        if (ctx.signal.aborted) abortListener();
        else ctx.signal.addEventListener('abort', abortListener, { once: true });
      }),
    ]);
  } finally {
    clearTimeout(timer);
    if (abortListener) ctx.signal.removeEventListener('abort', abortListener);
  }
}
