import { TogoError } from '../../errors.js';
import { claimAtPath, expandClaims } from '../../oidc/claims.js';
import { decodeToken, extractToken } from '../../oidc/token.js';
import type { KeySource, Verification, VerifyOptions } from '../../oidc/verify.js';
import { renderDecode } from '../../ui/decode.js';
import { t } from '../../ui/safe.js';
import type { Ctx } from '../shared/context.js';
import { readTokenArgument } from '../shared/input.js';
import type { DecodeFlags } from './command.js';

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
  for (const w of warnings) ctx.warn(t`${w}`);

  if (flags.claim !== undefined) return printClaim(ctx, decoded.payload, flags.claim);

  let verification: Verification | undefined;
  if (flags.verify) {
    const { verifyIdToken } = await import('../../oidc/verify.js');
    const options = await verifyOptions(ctx, decoded.payload, flags);
    verification = await verifyIdToken(decoded, options);
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
  // The claim's value is what the user asked for: as it is to a pipe, escaped on a terminal.
  else ctx.printBytes(`${typeof value === 'string' ? value : JSON.stringify(value, null, 2)}\n`);
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
