/** `togo login --device`: the user code on stderr, the sign-in on any device, polling until it is approved. */
import { newDpopKey, saveDpopKey } from '../../oidc/dpop.js';
import { completeTokenResponse, type PendingRequest } from '../../provider/complete-login.js';
import { dpopSession } from '../../provider/dpop.js';
import type { ConnectedProvider } from '../../provider/keys.js';
import type { BackChannel } from '../../provider/token-endpoint.js';
import { t } from '../../ui/safe.js';
import { openInBrowser } from '../shared/browser.js';
import { announceClientAuth } from '../shared/client-key.js';
import type { Ctx } from '../shared/context.js';
import { finishLogin } from '../shared/login-result.js';
import type { LoginFlags } from './command.js';

export interface DeviceWho {
  issuer: string;
  clientId: string;
  scope: string;
  secret?: string;
  flavor: 'togo' | 'standard';
}

export async function deviceLogin(
  ctx: Ctx,
  provider: ConnectedProvider & Pick<BackChannel, 'clientKey' | 'clientAuth'>,
  who: DeviceWho,
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
