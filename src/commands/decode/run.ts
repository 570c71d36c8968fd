import type { Check } from '../../check.js';
import { TogoError } from '../../errors.js';
import type { AccessTokenVerification } from '../../oidc/access-token.js';
import { claimAtPath, expandClaims } from '../../oidc/claims.js';
import { depthNote } from '../../oidc/depth.js';
import { decodeToken, extractToken } from '../../oidc/token.js';
import { guessTokenKind } from '../../oidc/token-kind.js';
import type { KeySource, Verification, VerifyOptions } from '../../oidc/verify.js';
import { renderDecode } from '../../ui/decode.js';
import type { Ctx } from '../shared/context.js';
import { readTokenArgument } from '../shared/input.js';
import type { DecodeFlags } from './command.js';

export async function decodeCommand(
  ctx: Ctx,
  tokenArg: string | undefined,
  flags: DecodeFlags,
): Promise<number> {
  const input = await readTokenArgument(ctx, tokenArg);
  const { token, source } = pickFromInput(input, flags.field);
  if (source !== 'argument') ctx.note(ctx.styleErr.dim(`Using the ${source}.`));
  const decoded = decodeToken(token);
  const { expanded, warnings } = expandClaims(decoded.payload);
  if (decoded.depthCut) warnings.unshift(depthNote('the token'));
  for (const w of warnings) ctx.warn(w);

  if (flags.claim !== undefined) return printClaim(ctx, decoded.payload, flags.claim);
  const kind = guessTokenKind(decoded.header, decoded.payload);

  let verification: (Verification & { profile?: string }) | AccessTokenVerification | undefined;
  if (flags.verify) {
    const { verifyIdToken } = await import('../../oidc/verify.js');
    const { tokenProfile, verifyAccessToken, PROFILE_LABEL } = await import('../../oidc/access-token.js');
    const options = await verifyOptions(ctx, decoded.payload, flags);
    // Expectations only an ID token has (nonce, at_hash, c_hash, auth_time, acr) say the caller
    // expects an ID token: then a token typed as another kind fails the typing check (D16) instead
    // of being judged by its own kind's profile.
    const expectsIdToken =
      flags.nonce !== undefined ||
      flags.accessToken !== undefined ||
      flags.code !== undefined ||
      flags.maxAge !== undefined ||
      flags.acrValues !== undefined;
    const profile = expectsIdToken ? 'id_token' : tokenProfile(decoded.header, decoded.payload, flags.field);
    verification =
      profile === 'id_token'
        ? { ...withFlagHints(await verifyIdToken(decoded, options)), profile: PROFILE_LABEL.id_token }
        : withFlagHints(
            await verifyAccessToken(decoded, profile, {
              ...options,
              ...(options.audience !== undefined ? { resource: options.audience } : {}),
              ...(flags.dpopKey ? { dpopThumbprint: await dpopThumbprintFromFile(ctx, flags.dpopKey) } : {}),
            }),
          );
  }

  const ok = verification?.ok ?? true;
  if (ctx.json) {
    const failed =
      verification?.checks.find((c) => c.status === 'fail') ??
      verification?.checks.find((c) => c.code === 'ISSUER_NOT_PINNED' && c.status !== 'pass');
    ctx.printJson({
      ok,
      kind,
      header: decoded.header,
      payload: decoded.payload,
      expanded,
      warnings,
      ...(verification ? { verification } : {}),
      ...(failed ? { error: { code: failed.code ?? 'TOKEN_INVALID', message: failed.message } } : {}),
    });
  } else {
    ctx.print(
      renderDecode(
        {
          decoded,
          kind,
          expanded,
          verification,
          now: Math.floor(ctx.now() / 1000),
          clockSkew: flags.clockSkew,
        },
        ctx.style,
      ),
    );
  }
  return ok ? 0 : 1;
}

function printClaim(ctx: Ctx, payload: Record<string, unknown>, path: string): number {
  const { found, value } = claimAtPath(payload, path);
  if (!found) throw new TogoError('CLAIM_NOT_FOUND', `the token has no claim at ${path}`);
  if (ctx.json) ctx.printJson({ ok: true, path, value });
  else ctx.print(typeof value === 'string' ? value : JSON.stringify(value, null, 2));
  return 0;
}

async function verifyOptions(
  ctx: Ctx,
  payload: Record<string, unknown>,
  flags: DecodeFlags,
): Promise<VerifyOptions> {
  const options: VerifyOptions = {
    audience: flags.audience,
    nonce: flags.nonce,
    accessToken: flags.accessToken,
    code: flags.code,
    maxAge: flags.maxAge,
    acrValues: flags.acrValues,
    clockSkew: flags.clockSkew,
    now: ctx.now(),
  };
  if (flags.secret) {
    const secret = ctx.env.TOGO_CLIENT_SECRET;
    if (!secret) {
      throw new TogoError(
        'USAGE',
        '--secret reads the client secret from TOGO_CLIENT_SECRET, which is not set',
        {
          hint: 'Export TOGO_CLIENT_SECRET; secrets are never taken from the command line.',
        },
      );
    }
    options.secret = secret;
  }
  if (flags.issuerFromToken) {
    if (flags.issuer !== undefined) {
      throw new TogoError('USAGE', '--issuer and --issuer-from-token both name the issuer', {
        hint: 'Pin the issuer with --issuer <url>; --issuer-from-token is for a look at an unknown token.',
      });
    }
    if (typeof payload.iss !== 'string') {
      throw new TogoError('USAGE', "--issuer-from-token uses the token's iss, but the token has none", {
        hint: 'Pass the issuer: --issuer <url>.',
      });
    }
    options.issuer = payload.iss;
    options.issuerFromToken = true;
  } else if (flags.issuer !== undefined) {
    options.issuer = flags.issuer;
  } else {
    // An issuer the user pinned outside the command line: TOGO_ISSUER, TOGO_ENV, their config.
    const { resolveConfig } = await import('../../config/load.js');
    const { pinnedIssuer } = await import('../../config/resolve.js');
    const pinned = pinnedIssuer(
      await resolveConfig({ env: ctx.env, cwd: ctx.cwd, onConfigFiles: ctx.onConfigFiles }),
    );
    if (pinned) {
      ctx.note(ctx.styleErr.dim(`Expected issuer ${pinned.issuer} (from ${pinned.by}).`));
      options.issuer = pinned.issuer;
    }
  }
  if (flags.jwks !== undefined) {
    options.keys = await jwksSource(ctx, flags.jwks, flags.timeout);
  } else if (options.issuer !== undefined) {
    const [{ keysFromDiscovery }, { httpFor }] = await Promise.all([
      import('../../provider/keys.js'),
      import('../shared/http.js'),
    ]);
    const found = await keysFromDiscovery(httpFor(ctx, { timeoutMs: flags.timeout * 1000 }), options.issuer);
    options.keys = found.keys;
    options.allowedAlgs = found.allowedAlgs;
  }
  return options;
}

async function jwksSource(ctx: Ctx, location: string, timeoutSeconds: number): Promise<KeySource> {
  if (/^https?:\/\//i.test(location)) {
    const [{ jwksUrlSource }, { httpFor }] = await Promise.all([
      import('../../provider/keys.js'),
      import('../shared/http.js'),
    ]);
    return jwksUrlSource(httpFor(ctx, { timeoutMs: timeoutSeconds * 1000 }), location);
  }
  const { staticKeys } = await import('../../oidc/verify.js');
  let text: string;
  try {
    text = await process.getBuiltinModule('node:fs/promises').readFile(location, 'utf8');
  } catch (error) {
    throw new TogoError(
      'INPUT_UNREADABLE',
      `cannot read the JWKS file ${location}: ${(error as NodeJS.ErrnoException).code ?? error}`,
      {
        cause: error,
      },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new TogoError('JWKS_INVALID', `${location} is not JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return staticKeys(json, location);
}

/** The flag that would let each skipped check run: the protocol layer names no flags. */
const SKIP_HINTS: Readonly<Record<string, string>> = {
  D2: 'Pass --issuer <url> to check it.',
  D3: 'Pass --audience <client_id> to check it.',
  D4: 'Pass --audience <client_id> to check it.',
  D9: 'Pass --nonce <nonce> (the one sent in the request) to check it.',
  D10: 'Pass --access-token <token> to check at_hash.',
  D11: 'Pass --code <code> to check c_hash.',
  D12: 'Pass --max-age <seconds> to check auth_time.',
  D13: 'Pass --acr-values <acr> to check it.',
  'at.iss': 'Pass --issuer <url> to check it.',
  'at.aud': 'Pass --audience <resource> to check it.',
};

function withFlagHints<V extends { checks: readonly Check[] }>(verification: V): V {
  return {
    ...verification,
    checks: verification.checks.map((c) =>
      c.status === 'skip' && !c.hint && Object.hasOwn(SKIP_HINTS, c.id)
        ? { ...c, hint: SKIP_HINTS[c.id] }
        : c,
    ),
  };
}

/** The token out of what was given; when the wanted one is missing, the hint names the flag. */
function pickFromInput(input: string, field: DecodeFlags['field']): ReturnType<typeof extractToken> {
  try {
    return extractToken(input, field);
  } catch (error) {
    const tokens = error instanceof TogoError ? error.details?.tokens : undefined;
    if (error instanceof TogoError && Array.isArray(tokens) && tokens.length > 0) {
      throw new TogoError(error.code, error.message, {
        hint: `Pick another token with --field ${String(tokens[0])}.`,
        ...(error.details ? { details: error.details } : {}),
      });
    }
    throw error;
  }
}

/** The thumbprint of a DPoP key: a session file written by `login --dpop --save`, or a JWK file. */
async function dpopThumbprintFromFile(ctx: Ctx, file: string): Promise<string> {
  // Built-ins through getBuiltinModule: a bundle with import() is left out of the compiled-code cache.
  const { readFile } = process.getBuiltinModule('node:fs/promises');
  const { resolve } = process.getBuiltinModule('node:path');
  const path = resolve(ctx.cwd, file);
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new TogoError('INPUT_UNREADABLE', `cannot read the DPoP key ${path}: ${(error as Error).message}`, {
      hint: 'Give the session file of a `togo login --dpop --save` or a JWK file.',
      cause: error,
    });
  }
  const jwk = ((doc.dpop as { privateJwk?: unknown } | undefined)?.privateJwk ?? doc) as Record<
    string,
    unknown
  >;
  const { dpopThumbprint } = await import('../../oidc/dpop.js');
  try {
    return await dpopThumbprint(jwk);
  } catch (error) {
    throw new TogoError('INPUT_UNREADABLE', `${path} holds no usable DPoP key: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
