/**
 * How a login ends, printed or saved: `togo login` (browser, headless, device) and `togo callback`
 * (the second half of a split login) end the same way.
 */
import { dirname, resolve } from 'node:path';
import type { Check } from '../../check.js';
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

type FinishFlags = {
  print?: TokenName;
  save?: string;
  clockSkew: number;
  store?: boolean;
  verbose?: boolean;
};

type Who = {
  issuer: string;
  clientId: string;
  flavor?: 'togo' | 'standard';
  dpop?: SavedDpopKey;
  /** How the client authenticated at the token endpoint, when the login used it. */
  clientAuth?: string;
};

/** Where the session went: a --save file, the session store, both or neither. */
type Kept = { saved?: string; stored?: string };

/** A verified login, with where it was kept and the first check that failed, ready to print. */
type Report = { result: LoginResult; flow: string; kept: Kept; failed?: Check };

/** Prints (or saves) what a login ended with, and returns its exit code; `togo callback` ends the same way. */
export async function finishLogin(
  ctx: Ctx,
  ending: Ending,
  flow: string,
  flags: FinishFlags,
  who: Who,
): Promise<number> {
  if (ending.kind === 'provider-error') throw providerErrorOf(ending);
  const { result, via } = ending;
  for (const w of result.warnings) ctx.warn(t`${w}`);
  const kept = await keepSession(ctx, result, flags, who);
  const failed = firstFailure(result);
  const report: Report = { result, flow: `${flow}, via ${via}`, kept, ...(failed ? { failed } : {}) };
  if (flags.print) printToken(ctx, result, flags.print);
  else if (ctx.json) printJsonReport(ctx, report, who);
  else printTextReport(ctx, report, flags);
  if (flags.print || ctx.json || flags.verbose) noteWhereKept(ctx, kept);
  warnAfterLogin(ctx, report, flags);
  return result.ok ? 0 : 1;
}

/** The error for a login the provider refused at the redirect URI, with the next step when known. */
function providerErrorOf(ending: { error: string; description?: string }): TogoError {
  const hint = providerErrorHint(ending.error, ending.description);
  return new TogoError(
    'LOGIN_PROVIDER_ERROR',
    `the provider returned ${describeProviderError(ending.error, ending.description)}`,
    { ...(hint ? { hint } : {}), details: { error: ending.error } },
  );
}

/**
 * Saves a verified login to the --save file, and keeps it in the session store for `togo token` and
 * the session commands (`togo login`, unless --no-store).
 */
async function keepSession(ctx: Ctx, result: LoginResult, flags: FinishFlags, who: Who): Promise<Kept> {
  const kept: Kept = {};
  const session = sessionOf(ctx, result, who);
  if (flags.save && result.ok) {
    kept.saved = resolve(ctx.cwd, flags.save);
    await saveSessionFile(kept.saved, session);
  }
  if (flags.store === true && result.ok) {
    const { storeDir, storeSession } = await import('./store.js');
    const dir = storeDir(ctx.env);
    if (dir) {
      kept.stored = await storeSession(dir, {
        ...session,
        issuer: who.issuer,
        clientId: who.clientId,
      });
    } else ctx.note(ctx.styleErr.dim('No session kept: neither XDG_STATE_HOME nor HOME is set.'));
  }
  return kept;
}

/** The first failed check of the login itself or of any ID token it returned. */
function firstFailure(result: LoginResult): Check | undefined {
  return [...result.checks, ...result.idTokens.flatMap((r) => r.verification.checks)].find(
    (c) => c.status === 'fail',
  );
}

/** --print: the one token asked for, as it is to a pipe, escaped on a terminal. */
function printToken(ctx: Ctx, result: LoginResult, name: TokenName): void {
  const token = result.tokens[name];
  if (result.ok && token) ctx.printBytes(`${token}\n`);
  else if (result.ok) throw new TogoError('TOKEN_MISSING', `the login returned no ${name}`);
}

/** --json: the whole login as one document, tokens included. */
function printJsonReport(ctx: Ctx, { result, flow, kept, failed }: Report, who: Who): void {
  ctx.printJson({
    ok: result.ok,
    flow,
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
    ...(kept.saved ? { saved: kept.saved } : {}),
    ...(kept.stored ? { stored: kept.stored } : {}),
    ...(failed ? { error: { code: failed.code ?? 'TOKEN_INVALID', message: failed.message } } : {}),
  });
}

/** The summary (or with --verbose the whole report) for a person. */
function printTextReport(ctx: Ctx, { result, flow, kept }: Report, flags: FinishFlags): void {
  const view = { result, flow, now: Math.floor(ctx.now() / 1000), clockSkew: flags.clockSkew };
  // The summary names where the session went; the whole report leaves that to stderr.
  ctx.print(
    flags.verbose
      ? renderLogin(view, ctx.style)
      : renderLoginSummary(
          view,
          // The store's directory: its file names are long keys, the directory is what a person looks for.
          {
            ...(kept.saved ? { saved: kept.saved } : {}),
            ...(kept.stored ? { stored: dirname(kept.stored) } : {}),
          },
          ctx.style,
        ),
  );
}

/** On stderr, where the session went, when stdout did not already say. */
function noteWhereKept(ctx: Ctx, { saved, stored }: Kept): void {
  if (saved) ctx.note(t`Saved the tokens to ${saved} (mode 0600).`);
  if (stored)
    ctx.note(
      ctx.styleErr.dim(t`Kept the session in ${stored} (\`togo sessions\` lists it; --no-store keeps none).`),
    );
}

/** Warnings about what was saved or not printed. */
function warnAfterLogin(ctx: Ctx, { result, kept, failed }: Report, flags: FinishFlags): void {
  if (kept.saved && !result.tokens.access_token) {
    ctx.warn(
      t`the saved session holds no access token, so userinfo, introspect and revoke cannot use it; log in with --response-type "id_token token" (Togo flavor) or code (standard) to get one`,
    );
  }
  if (!result.ok && flags.print) {
    ctx.warn(t`not printing the ${flags.print}: ${failed?.message ?? 'a check failed'}`);
  }
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
