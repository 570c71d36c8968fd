import type { DecodeFlags } from '../cli/commands/decode.js';
import type { Ctx } from '../cli/context.js';
import { readTokenArgument } from '../cli/input.js';
import { TogoError } from '../errors.js';
import type { AccessTokenVerification } from '../oidc/access-token.js';
import { claimAtPath, expandClaims } from '../oidc/claims.js';
import { decodeToken, extractToken } from '../oidc/token.js';
import type { KeySource, Verification, VerifyOptions } from '../oidc/verify.js';
import { renderDecode } from '../ui/decode.js';

export async function decodeCommand(
  ctx: Ctx,
  tokenArg: string | undefined,
  flags: DecodeFlags,
): Promise<number> {
  const input = await readTokenArgument(ctx, tokenArg);
  const { token, source } = extractToken(input, flags.field);
  if (source !== 'argument') ctx.note(ctx.styleErr.dim(`Using the ${source}.`));
  const decoded = decodeToken(token);
  const { expanded, warnings } = expandClaims(decoded.payload);
  for (const w of warnings) ctx.warn(w);

  if (flags.claim !== undefined) return printClaim(ctx, decoded.payload, flags.claim);

  let verification: (Verification & { profile?: string }) | AccessTokenVerification | undefined;
  if (flags.verify) {
    const { verifyIdToken } = await import('../oidc/verify.js');
    const { tokenProfile, verifyAccessToken, PROFILE_LABEL } = await import('../oidc/access-token.js');
    const options = await verifyOptions(ctx, decoded.payload, flags);
    const profile = tokenProfile(decoded.header, decoded.payload, flags.field);
    verification =
      profile === 'id_token'
        ? { ...(await verifyIdToken(decoded, options)), profile: PROFILE_LABEL.id_token }
        : await verifyAccessToken(decoded, profile, {
            ...options,
            ...(options.audience !== undefined ? { resource: options.audience } : {}),
            ...(flags.dpopKey ? { dpopThumbprint: await dpopThumbprintFromFile(ctx, flags.dpopKey) } : {}),
          });
  }

  const ok = verification?.ok ?? true;
  if (ctx.json) {
    const failed = verification?.checks.find((c) => c.status === 'fail');
    ctx.printJson({
      ok,
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
        { decoded, expanded, verification, now: Math.floor(ctx.now() / 1000), clockSkew: flags.clockSkew },
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
  if (flags.issuer !== undefined) {
    const fromToken = flags.issuer === true;
    if (fromToken && typeof payload.iss !== 'string') {
      throw new TogoError('USAGE', "--issuer without a URL uses the token's iss, but the token has none", {
        hint: 'Pass the issuer: --issuer <url>.',
      });
    }
    options.issuer = fromToken ? (payload.iss as string) : (flags.issuer as string);
    options.issuerFromToken = fromToken;
  }
  if (flags.jwks !== undefined) {
    options.keys = await jwksSource(ctx, flags.jwks, flags.timeout);
  } else if (options.issuer !== undefined) {
    const { keysFromDiscovery } = await import('../provider/keys.js');
    const found = await keysFromDiscovery(ctx, options.issuer, { timeoutMs: flags.timeout * 1000 });
    options.keys = found.keys;
    options.allowedAlgs = found.allowedAlgs;
  }
  return options;
}

async function jwksSource(ctx: Ctx, location: string, timeoutSeconds: number): Promise<KeySource> {
  if (/^https?:\/\//i.test(location)) {
    const { keysFromUrl } = await import('../provider/keys.js');
    return keysFromUrl(ctx, location, { timeoutMs: timeoutSeconds * 1000 });
  }
  const { staticKeys } = await import('../oidc/verify.js');
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
  const { dpopThumbprint } = await import('../oidc/dpop.js');
  try {
    return await dpopThumbprint(jwk);
  } catch (error) {
    throw new TogoError('INPUT_UNREADABLE', `${path} holds no usable DPoP key: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
