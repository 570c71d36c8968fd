import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { TogoError } from '../../errors.js';
import {
  type AuthorizationResponse,
  describeProviderError,
  judgeCallback,
  parseResponseParams,
  responseFromUrl,
} from '../../oidc/callback.js';
import type { PendingLogin } from '../../oidc/login-url.js';
import { completeLogin } from '../../provider/complete-login.js';
import { connectProvider } from '../../provider/keys.js';
import { networkTimeout } from '../shared/authorize-flags.js';
import { announceClientAuth, clientAuthOptions } from '../shared/client-key.js';
import { settingsWhere } from '../shared/config-flags.js';
import type { Ctx } from '../shared/context.js';
import { httpFor } from '../shared/http.js';
import { readStdin } from '../shared/input.js';
import { finishLogin, providerErrorHint, refusePrintWithJson } from '../shared/login-result.js';
import type { CallbackFlags } from './command.js';

async function readPending(ctx: Ctx, file: string): Promise<PendingLogin> {
  const path = resolve(ctx.cwd, file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new TogoError(
      'INPUT_UNREADABLE',
      `cannot read the pending login ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`,
      {
        hint: 'Pass the file `togo login-url --save <file>` wrote.',
      },
    );
  }
  let doc: Partial<PendingLogin>;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new TogoError('INPUT_UNREADABLE', `${path} is not JSON`, {
      hint: 'Pass the file `togo login-url --save <file>` wrote.',
    });
  }
  if (doc === null || typeof doc !== 'object' || doc.kind !== 'togo-pending-login') {
    throw new TogoError('INPUT_UNREADABLE', `${path} is not a pending login`, {
      hint: 'Pass the file `togo login-url --save <file>` wrote.',
    });
  }
  // Every member the callback reads, with its type: a file togo did not write (or one edited by
  // hand) is refused here with what is wrong, never met later as an internal error.
  const required = ['clientId', 'redirectUri', 'responseType', 'scope', 'state', 'nonce'] as const;
  const optional = ['issuer', 'responseMode', 'codeVerifier', 'url', 'issuerFromDirectoryConfig'] as const;
  const bad = [
    ...required.filter((k) => typeof doc[k] !== 'string' || doc[k] === ''),
    ...optional.filter((k) => doc[k] !== undefined && typeof doc[k] !== 'string'),
  ];
  if (bad.length > 0) {
    throw new TogoError(
      'INPUT_UNREADABLE',
      `${path} is not a pending login: ${bad.join(', ')} ${bad.length > 1 ? 'are' : 'is'} missing or not a string`,
      { hint: 'Pass the file `togo login-url --save <file>` wrote.' },
    );
  }
  return doc as PendingLogin;
}

/**
 * The gate's rule for files (src/provider/gate.ts): a pending login chooses the issuer its code is
 * redeemed at (with the verifier and TOGO_CLIENT_SECRET) only when it is the user's own file, as
 * `togo login-url --save` writes it; any other pending login must name the issuer configured here.
 */
async function assertPendingIssuer(ctx: Ctx, path: string, issuer: string): Promise<void> {
  const { assertFileIssuer, fileOwnership } = await import('../../provider/gate.js');
  const { resolveConfig } = await import('../../config/load.js');
  const { note: _note, ...where } = settingsWhere(ctx);
  const resolved = await resolveConfig({ flags: {}, ...where });
  const configured = resolved.settings.issuer;
  const chosenNow = resolved.sources.issuer?.kind === 'env' || resolved.sources.environment?.kind === 'env';
  const how =
    resolved.sources.environment?.kind === 'default'
      ? `nothing configured: the default environment ${resolved.settings.environment ?? ''}`.trim()
      : (resolved.sources.issuer?.label ?? resolved.sources.environment?.label ?? 'your configuration');
  const file = { what: 'the pending login', path, issuer };
  // An issuer chosen for this run (TOGO_ISSUER, TOGO_ENV) is never overridden by a file.
  if (chosenNow && configured) return assertFileIssuer(file, { issuer: configured, how });
  const owned = fileOwnership(path);
  if (owned.own) return;
  assertFileIssuer(
    file,
    { issuer: configured ?? '(none)', how: configured ? how : 'no issuer configured' },
    owned.why,
  );
}

function parseRedirect(input: string): AuthorizationResponse {
  const text = input.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    try {
      return responseFromUrl(new URL(text));
    } catch {
      throw new TogoError('URL_MALFORMED', 'the redirect URL cannot be parsed');
    }
  }
  return parseResponseParams(text);
}

export async function callbackCommand(ctx: Ctx, urlArg: string, flags: CallbackFlags): Promise<number> {
  refusePrintWithJson(ctx, flags);
  const pending = await readPending(ctx, flags.pending);
  const input = urlArg === '-' ? await readStdin(ctx, 256 * 1024) : urlArg;
  const response = parseRedirect(input);
  const verdict = judgeCallback(response, pending.state);
  if (verdict.kind === 'ignored') {
    if (response.state !== undefined && response.state !== pending.state) {
      throw new TogoError(
        'STATE_MISMATCH',
        `the redirect's state does not match the pending login in ${flags.pending}`,
      );
    }
    throw new TogoError('TOKEN_MISSING', `the redirect URL carries no usable response (${verdict.reason})`, {
      hint: 'Paste the whole URL the browser was sent back to, fragment (#…) included.',
    });
  }
  if (verdict.kind === 'error') {
    const hint = providerErrorHint(verdict.error, verdict.description);
    throw new TogoError(
      'LOGIN_PROVIDER_ERROR',
      `the provider returned ${describeProviderError(verdict.error, verdict.description)}`,
      hint ? { hint } : {},
    );
  }
  if (!pending.issuer) {
    throw new TogoError('INPUT_UNREADABLE', `${flags.pending} names no issuer`, {
      hint: 'Compose the URL again with an issuer (--env or --issuer) and --save.',
    });
  }
  await assertPendingIssuer(ctx, resolve(ctx.cwd, flags.pending), pending.issuer);
  const secret = ctx.env.TOGO_CLIENT_SECRET;
  if ((secret || flags.clientKey !== undefined) && typeof pending.issuerFromDirectoryConfig === 'string') {
    throw new TogoError(
      'SECRET_ISSUER_UNTRUSTED',
      `${secret ? 'TOGO_CLIENT_SECRET is set' : '--client-key is given'}, but the pending login's issuer ${pending.issuer} was chosen by ${pending.issuerFromDirectoryConfig}, a config file in the directory where it was composed: ${secret ? 'the secret is not sent there' : 'nothing signed with the key is sent there'}`,
      {
        hint: 'Compose the login again with the issuer named yourself (togo login-url --issuer …, or --trust-directory-config if that directory is yours).',
      },
    );
  }
  const provider = await connectProvider(
    httpFor(ctx, { timeoutMs: networkTimeout(flags) * 1000, ...(flags.ca ? { caFile: flags.ca } : {}) }),
    pending.issuer,
  );
  const client = {
    ...provider,
    ...(secret ? { clientSecret: secret } : {}),
    ...(await clientAuthOptions(ctx, flags)),
  };
  const clientAuth =
    verdict.response.code !== undefined ? await announceClientAuth(ctx, client, 'token') : undefined;
  const result = await completeLogin(
    verdict.response,
    {
      issuer: pending.issuer,
      clientId: pending.clientId,
      redirectUri: pending.redirectUri,
      responseType: pending.responseType,
      scope: pending.scope,
      state: pending.state,
      nonce: pending.nonce,
      ...(pending.codeVerifier ? { codeVerifier: pending.codeVerifier } : {}),
    },
    { ...client, now: ctx.now, clockSkew: flags.clockSkew },
  );
  const flow = `split login, ${pending.responseType}`;
  const via = /#.*=/.test(input) ? 'fragment' : 'query';
  // A pasted URL cannot show a form_post, so only tokens in its query are judged (F5).
  const { transportChecks } = await import('../../oidc/transport.js');
  result.checks.push(...transportChecks(via, pending, verdict.response).filter((c) => c.id === 'F5'));
  return finishLogin(ctx, { kind: 'result', result, via }, flow, flags, {
    issuer: pending.issuer,
    clientId: pending.clientId,
    ...(clientAuth ? { clientAuth: clientAuth.method } : {}),
  });
}
