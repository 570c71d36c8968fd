/**
 * How a login ends, printed or saved: `togo login` (browser, headless, device) and `togo callback`
 * (the second half of a split login) end the same way.
 */
import { dirname, resolve } from 'node:path';
import { TogoError } from '../../errors.js';
import type { ResponseVia } from '../../http/listener.js';
import { describeProviderError, PROVIDER_ERROR_HINTS } from '../../oidc/callback.js';
import { isDpopTokenType, type SavedDpopKey } from '../../oidc/dpop.js';
import { isParRequiredError } from '../../oidc/par.js';
import type { SessionFile } from '../../oidc/session-file.js';
import type { LoginResult } from '../../provider/complete-login.js';
import { renderLogin, renderLoginSummary } from '../../ui/login.js';
import { t } from '../../ui/safe.js';
import type { Ctx } from './context.js';
import { saveSessionFile } from './session-file.js';

type TokenName = 'id_token' | 'access_token';

/** What a login ends with, before it is printed. */
export type Ending =
  | { kind: 'result'; result: LoginResult; via: ResponseVia | 'device' }
  | { kind: 'provider-error'; error: string; description?: string };

/** The next step after an error the provider sent back to the redirect URI. */
export function providerErrorHint(error: string, description?: string): string | undefined {
  if (isParRequiredError(error, description)) {
    return 'The client must use pushed authorization requests (RFC 9126): log in again with --par.';
  }
  return Object.hasOwn(PROVIDER_ERROR_HINTS, error) ? PROVIDER_ERROR_HINTS[error] : undefined;
}

/**
 * --json is always one JSON document and --print one raw token: asked for together, neither can be
 * kept, so it is a usage error before anything runs (the JSON result holds the tokens anyway).
 */
export function refusePrintWithJson(ctx: Ctx, flags: { print?: TokenName }): void {
  if (flags.print && ctx.json) {
    throw new TogoError(
      'USAGE',
      `--print ${flags.print} prints the raw token, and --json one JSON document: pick one`,
      {
        hint: `For the token alone, leave out --json; with --json the tokens are in the document (jq -r .tokens.${flags.print}).`,
      },
    );
  }
}

/** Prints (or saves) what a login ended with, and returns its exit code; `togo callback` ends the same way. */
export async function finishLogin(
  ctx: Ctx,
  ending: Ending,
  flow: string,
  flags: { print?: TokenName; save?: string; clockSkew: number; store?: boolean; verbose?: boolean },
  who: {
    issuer: string;
    clientId: string;
    flavor?: 'togo' | 'standard';
    dpop?: SavedDpopKey;
    /** How the client authenticated at the token endpoint, when the login used it. */
    clientAuth?: string;
  },
): Promise<number> {
  if (ending.kind === 'provider-error') {
    const hint = providerErrorHint(ending.error, ending.description);
    throw new TogoError(
      'LOGIN_PROVIDER_ERROR',
      `the provider returned ${describeProviderError(ending.error, ending.description)}`,
      { ...(hint ? { hint } : {}), details: { error: ending.error } },
    );
  }
  const { result, via } = ending;
  for (const w of result.warnings) ctx.warn(t`${w}`);
  let saved: string | undefined;
  let stored: string | undefined;
  const session = sessionOf(ctx, result, who);
  if (flags.save && result.ok) {
    saved = resolve(ctx.cwd, flags.save);
    await saveSessionFile(saved, session);
  }
  // `togo login` keeps what it verified for `togo token` and the session commands, unless --no-store.
  if (flags.store === true && result.ok) {
    const { storeDir, storeSession } = await import('./store.js');
    const dir = storeDir(ctx.env);
    if (dir) stored = await storeSession(dir, { ...session, issuer: who.issuer, clientId: who.clientId });
    else ctx.note(ctx.styleErr.dim('No session kept: neither XDG_STATE_HOME nor HOME is set.'));
  }
  const failed = [...result.checks, ...result.idTokens.flatMap((r) => r.verification.checks)].find(
    (c) => c.status === 'fail',
  );

  if (flags.print) {
    const token = result.tokens[flags.print];
    // The token is what the user asked for: as it is to a pipe, escaped on a terminal.
    if (result.ok && token) ctx.printBytes(`${token}\n`);
    else if (result.ok) throw new TogoError('TOKEN_MISSING', `the login returned no ${flags.print}`);
  } else if (ctx.json) {
    ctx.printJson({
      ok: result.ok,
      flow: `${flow}, via ${via}`,
      checks: result.checks,
      idTokens: result.idTokens.map((r) => ({
        from: r.from,
        header: r.decoded.header,
        payload: r.decoded.payload,
        expanded: r.expansion.expanded,
        verification: r.verification,
      })),
      ...(result.accessToken
        ? { accessToken: { ...result.accessToken, jwt: result.accessToken.jwt?.payload } }
        : {}),
      tokens: result.tokens,
      ...(who.clientAuth ? { clientAuth: who.clientAuth } : {}),
      ...(saved ? { saved } : {}),
      ...(stored ? { stored } : {}),
      ...(failed ? { error: { code: failed.code ?? 'TOKEN_INVALID', message: failed.message } } : {}),
    });
  } else {
    const view = {
      result,
      flow: `${flow}, via ${via}`,
      now: Math.floor(ctx.now() / 1000),
      clockSkew: flags.clockSkew,
    };
    // The summary names where the session went; the whole report leaves that to stderr.
    ctx.print(
      flags.verbose
        ? renderLogin(view, ctx.style)
        : renderLoginSummary(
            view,
            // The store's directory: its file names are long keys, the directory is what a person looks for.
            { ...(saved ? { saved } : {}), ...(stored ? { stored: dirname(stored) } : {}) },
            ctx.style,
          ),
    );
  }
  if (flags.print || ctx.json || flags.verbose) {
    if (saved) ctx.note(t`Saved the tokens to ${saved} (mode 0600).`);
    if (stored)
      ctx.note(
        ctx.styleErr.dim(
          t`Kept the session in ${stored} (\`togo sessions\` lists it; --no-store keeps none).`,
        ),
      );
  }
  if (saved && !result.tokens.access_token) {
    ctx.warn(
      t`the saved session holds no access token, so userinfo, introspect and revoke cannot use it; log in with --response-type "id_token token" (Togo flavor) or code (standard) to get one`,
    );
  }
  if (!result.ok && flags.print) {
    ctx.warn(t`not printing the ${flags.print}: ${failed?.message ?? 'a check failed'}`);
  }
  return result.ok ? 0 : 1;
}

/** The session file of a verified login: its tokens, who logged in, and when the access token ends. */
export function sessionOf(
  ctx: Ctx,
  result: LoginResult,
  who: { issuer: string; clientId: string; flavor?: 'togo' | 'standard'; dpop?: SavedDpopKey },
): SessionFile {
  const now = ctx.now();
  const sub = result.idTokens.map((r) => r.decoded.payload.sub).find((s) => typeof s === 'string');
  const expiresIn = result.tokens.expires_in;
  return {
    version: 1,
    issuer: who.issuer,
    clientId: who.clientId,
    ...(who.flavor ? { flavor: who.flavor } : {}),
    obtainedAt: new Date(now).toISOString(),
    ...(typeof sub === 'string' ? { sub } : {}),
    ...(typeof expiresIn === 'number' && Number.isFinite(expiresIn)
      ? { expiresAt: new Date(now + expiresIn * 1000).toISOString() }
      : {}),
    tokens: result.tokens,
    // The key is kept only for a token bound to it: a bearer token is presented as one.
    ...(who.dpop && isDpopTokenType(result.tokens.token_type) ? { dpop: who.dpop } : {}),
  };
}
