import { EXIT, TogoError } from '../../errors.js';
import { type ClaimExpansion, claimAtPath, expandClaims } from '../../oidc/claims.js';
import { depthNote } from '../../oidc/depth.js';
import { describeCleaning } from '../../oidc/paste.js';
import {
  type DecodedToken,
  decodeToken,
  type ExtractedToken,
  isOpaqueToken,
  MAX_TOKEN_BYTES,
  tokenFromInput,
} from '../../oidc/token.js';
import { guessTokenKind, type TokenKindGuess } from '../../oidc/token-kind.js';
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
  const token = await readJwt(ctx, tokenArg, flags.use);
  const shown = decodeShown(ctx, token);
  if (flags.claim !== undefined) return printClaim(ctx, shown.decoded.payload, flags.claim);
  const kind = guessTokenKind(shown.decoded.header, shown.decoded.payload);
  const verification = flags.verify ? await verifyDecoded(ctx, shown, kind, flags) : undefined;
  printDecoded(ctx, shown, kind, verification, flags.clockSkew);
  return (verification?.ok ?? true) ? 0 : 1;
}

/** The decoded token, its claims explained, and the warnings said on stderr. */
interface Shown {
  decoded: DecodedToken;
  expanded: ClaimExpansion['expanded'];
  warnings: string[];
}

/** The JWT to decode, from the argument, a file or standard input; an opaque token is refused. */
async function readJwt(ctx: Ctx, tokenArg: string | undefined, use: DecodeFlags['use']): Promise<string> {
  const input = await readDecodeInput(ctx, tokenArg);
  const { token, source, cleaned } = pickToken(input, use);
  if (cleaned) ctx.note(ctx.styleErr.dim(`Cleaned the pasted token: ${describeCleaning(cleaned)}.`));
  if (source !== 'argument') ctx.note(ctx.styleErr.dim(`Using the ${source}.`));
  if (isOpaqueToken(token)) {
    throw new TogoError(
      'TOKEN_MALFORMED',
      `this is an opaque token (${token.length} characters), not a JWT: only the provider can read it`,
      { hint: 'Ask the provider what it holds: togo introspect --token <token> (RFC 7662).' },
    );
  }
  return token;
}

function decodeShown(ctx: Ctx, token: string): Shown {
  const decoded = decodeToken(token);
  const { expanded, warnings } = expandClaims(decoded.payload);
  if (decoded.depthCut) warnings.unshift(depthNote('the token'));
  for (const w of warnings) ctx.warn(t`${w}`);
  return { decoded, expanded, warnings };
}

async function verifyDecoded(
  ctx: Ctx,
  shown: Shown,
  kind: TokenKindGuess,
  flags: DecodeFlags,
): Promise<Verification> {
  const { verifyIdToken } = await import('../../oidc/verify.js');
  const { profileOf, verifyAccessToken } = await import('../../oidc/access-token.js');
  const { decoded } = shown;
  let options: VerifyOptions;
  try {
    options = await verifyOptions(ctx, decoded.payload, flags);
  } catch (error) {
    throw showDecodedThen(ctx, error, { ...shown, clockSkew: flags.clockSkew });
  }
  const profile = expectsIdToken(flags) ? 'id_token' : profileOf(kind, flags.use);
  if (profile === 'id_token') return verifyIdToken(decoded, options);
  // An access token's audience is the API it is for: --audience, else --client-id; a client
  // id from the settings is not an API, so it does not stand in (the verdict then says so).
  const { audience: _clientAudience, ...rest } = options;
  const resource = flags.audience ?? flags.clientId;
  return verifyAccessToken(decoded, profile, {
    ...rest,
    ...(resource !== undefined ? { resource } : {}),
    ...(flags.dpopKey ? { dpopThumbprint: await dpopThumbprintFromFile(ctx, flags.dpopKey) } : {}),
  });
}

/**
 * Expectations only an ID token has (nonce, at_hash, c_hash, auth_time, acr) say the caller
 * expects an ID token: then a token typed as another kind fails the typing check (D16) instead
 * of being judged by its own kind's profile.
 */
function expectsIdToken(flags: DecodeFlags): boolean {
  return (
    flags.nonce !== undefined ||
    flags.accessToken !== undefined ||
    flags.code !== undefined ||
    flags.maxAge !== undefined ||
    flags.acrValues !== undefined
  );
}

function printDecoded(
  ctx: Ctx,
  shown: Shown,
  kind: TokenKindGuess,
  verification: Verification | undefined,
  clockSkew: number,
): void {
  const { decoded, expanded, warnings } = shown;
  if (ctx.json) {
    const failed =
      verification?.checks.find((c) => c.status === 'fail') ??
      verification?.checks.find(
        (c) => (c.code === 'ISSUER_NOT_PINNED' || c.code === 'AUDIENCE_NOT_CHECKED') && c.status !== 'pass',
      );
    ctx.printJson({
      ok: verification?.ok ?? true,
      kind,
      header: decoded.header,
      payload: decoded.payload,
      expanded,
      warnings,
      ...(verification ? { verification } : {}),
      ...(failed ? { error: { code: failed.code ?? 'TOKEN_INVALID', message: failed.message } } : {}),
    });
    return;
  }
  ctx.print(
    renderDecode(
      { decoded, kind, expanded, verification, now: Math.floor(ctx.now() / 1000), clockSkew },
      ctx.style,
    ),
  );
}

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * The token argument or standard input; an argument that names a file which is not itself a token
 * (a session file, a file holding a token) is read.
 */
async function readDecodeInput(ctx: Ctx, arg: string | undefined): Promise<string> {
  // Anything that is not shaped like a JWT may be a file: `./pub.json` has two dots, and is a path.
  if (arg !== undefined && arg !== '-' && !JWT_SHAPE.test(arg.trim()) && !/\s/.test(arg.trim())) {
    const { readFile, stat } = process.getBuiltinModule('node:fs/promises');
    const path = process.getBuiltinModule('node:path').resolve(ctx.cwd, arg);
    const info = await stat(path).catch(() => undefined);
    if (info?.isFile()) {
      if (info.size > MAX_TOKEN_BYTES) {
        throw new TogoError('INPUT_TOO_LARGE', `${arg} is larger than a token or a session file`);
      }
      ctx.note(ctx.styleErr.dim(`Reading ${arg}.`));
      return readFile(path, 'utf8');
    }
  }
  return readTokenArgument(ctx, arg);
}

/** The token in the input: a session file's, one from JSON, or what extractToken finds in a paste. */
function pickToken(input: string, use: DecodeFlags['use']): ExtractedToken {
  try {
    return tokenFromInput(input, use);
  } catch (error) {
    const tokens = error instanceof TogoError ? error.details?.tokens : undefined;
    if (Array.isArray(tokens) && tokens.length > 0 && error instanceof TogoError) {
      throw new TogoError(error.code, error.message, { hint: `Pick another token with --use ${tokens[0]}.` });
    }
    throw error;
  }
}

/**
 * When the keys cannot be fetched (network, provider), the token is still shown: decoding needs no
 * network. The error then ends the run as usual; with --json it carries the decoded token.
 */
function showDecodedThen(
  ctx: Ctx,
  error: unknown,
  shown: { decoded: DecodedToken; expanded: ClaimExpansion['expanded']; clockSkew: number },
): unknown {
  if (!(error instanceof TogoError) || error.exitCode !== EXIT.NETWORK) return error;
  if (ctx.json) {
    return new TogoError(error.code, error.message, {
      hint: error.hint,
      cause: error,
      details: { ...error.details, header: shown.decoded.header, payload: shown.decoded.payload },
    });
  }
  ctx.print(
    renderDecode(
      {
        decoded: shown.decoded,
        expanded: shown.expanded,
        now: Math.floor(ctx.now() / 1000),
        clockSkew: shown.clockSkew,
        unverifiedBecause: 'keys-unreachable',
      },
      ctx.style,
    ),
  );
  return error;
}

function printClaim(ctx: Ctx, payload: Record<string, unknown>, path: string): number {
  const { found, value } = claimAtPath(payload, path);
  if (!found) throw new TogoError('CLAIM_NOT_FOUND', `the token has no claim at ${path}`);
  if (ctx.json) ctx.printJson({ ok: true, path, value });
  // The claim's value is what the user asked for: as it is to a pipe, escaped on a terminal.
  else ctx.printBytes(`${typeof value === 'string' ? value : JSON.stringify(value, null, 2)}\n`);
  return 0;
}

/** What --verify checks against: the expectations given, the issuer, and where the keys come from. */
async function verifyOptions(
  ctx: Ctx,
  payload: Record<string, unknown>,
  flags: DecodeFlags,
): Promise<VerifyOptions> {
  const options: VerifyOptions = {
    // --audience is the old name of --client-id for an ID token.
    audience: flags.clientId ?? flags.audience,
    nonce: flags.nonce,
    accessToken: flags.accessToken,
    code: flags.code,
    maxAge: flags.maxAge,
    acrValues: flags.acrValues,
    clockSkew: flags.clockSkew,
    now: ctx.now(),
  };
  if (flags.secret) options.secret = secretFromEnvironment(ctx);
  Object.assign(options, issuerFromFlags(payload, flags));
  if (options.issuer === undefined) await fromSettings(ctx, flags, options);
  await findKeys(ctx, flags, options);
  return options;
}

function secretFromEnvironment(ctx: Ctx): string {
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
  return secret;
}

/** The issuer --issuer or --issuer-from-token names, if either does. */
function issuerFromFlags(
  payload: Record<string, unknown>,
  flags: DecodeFlags,
): Pick<VerifyOptions, 'issuer' | 'issuerFromToken'> {
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
    return { issuer: payload.iss, issuerFromToken: true };
  }
  return flags.issuer !== undefined ? { issuer: flags.issuer } : {};
}

/**
 * No issuer on the command line: the shared settings, read once. An issuer the user pinned
 * (TOGO_ISSUER, an environment they chose, their own config) is the expected iss; any other
 * configured provider (one a ./togo.config.json names, say) only when its discovery also gives the
 * keys, and stderr says so.
 */
async function fromSettings(ctx: Ctx, flags: DecodeFlags, options: VerifyOptions): Promise<void> {
  const configured = await configuredProvider(ctx, flags);
  if (configured.pinned) {
    ctx.note(ctx.styleErr.dim(`Expected issuer ${configured.pinned.issuer} (from ${configured.pinned.by}).`));
    options.issuer = configured.pinned.issuer;
  } else if (flags.jwks === undefined && configured.issuer) {
    ctx.note(ctx.styleErr.dim(`Verifying against ${configured.issuer} (${configured.by}).`));
    options.issuer = configured.issuer;
  }
  if (flags.jwks !== undefined) return;
  if (options.audience === undefined && configured.clientId) options.audience = configured.clientId;
  if (options.issuer === undefined && options.secret === undefined) {
    throw new TogoError('USAGE', '--verify needs a way to find the keys, and none is given', {
      hint: "Pass --issuer <url> (keys from discovery), --issuer-from-token (the token's own iss, never VALID), --jwks <file|url>, --env <name>, set TOGO_ISSUER or TOGO_ENV, or add defaultEnvironment to togo.config.json.",
    });
  }
}

/** The keys: from --jwks, else from the issuer's discovery (with the algorithms it allows). */
async function findKeys(ctx: Ctx, flags: DecodeFlags, options: VerifyOptions): Promise<void> {
  if (flags.jwks !== undefined) {
    options.keys = await jwksSource(ctx, flags.jwks, flags.timeout, flags.ca);
    return;
  }
  if (options.issuer === undefined) return;
  const [{ keysFromDiscovery }, { httpFor }] = await Promise.all([
    import('../../provider/keys.js'),
    import('../shared/http.js'),
  ]);
  const http = httpFor(ctx, { timeoutMs: flags.timeout * 1000, ...(flags.ca ? { caFile: flags.ca } : {}) });
  const found = await keysFromDiscovery(http, options.issuer);
  options.keys = found.keys;
  options.allowedAlgs = found.allowedAlgs;
}

/**
 * The shared settings (--env, --config, TOGO_*, togo.config.json), read once: the issuer the user
 * pinned, if any, and the configured issuer and client id. The built-in default environment is
 * not a choice the user made, so it supplies nothing by itself.
 */
async function configuredProvider(
  ctx: Ctx,
  flags: DecodeFlags,
): Promise<{ pinned?: { issuer: string; by: string }; issuer?: string; by?: string; clientId?: string }> {
  const [{ resolveConfig }, { pinnedIssuer }] = await Promise.all([
    import('../../config/load.js'),
    import('../../config/resolve.js'),
  ]);
  const config: { env?: string; config?: string } = {};
  if (flags.env !== undefined) config.env = flags.env;
  if (flags.config !== undefined) config.config = flags.config;
  // No "nothing configured" note: the default environment supplies nothing here.
  const resolved = await resolveConfig({
    flags: config,
    env: ctx.env,
    cwd: ctx.cwd,
    onConfigFiles: ctx.onConfigFiles,
  });
  const { settings, sources } = resolved;
  const pinned = pinnedIssuer(resolved);
  if (sources.environment?.kind === 'default') return pinned ? { pinned } : {};
  return {
    ...(pinned ? { pinned } : {}),
    ...(settings.issuer ? { issuer: settings.issuer, by: sources.issuer?.label ?? 'the settings' } : {}),
    ...(settings.clientId ? { clientId: settings.clientId } : {}),
  };
}

async function jwksSource(
  ctx: Ctx,
  location: string,
  timeoutSeconds: number,
  caFile?: string,
): Promise<KeySource> {
  if (/^https?:\/\//i.test(location)) {
    const [{ jwksUrlSource }, { httpFor }] = await Promise.all([
      import('../../provider/keys.js'),
      import('../shared/http.js'),
    ]);
    return jwksUrlSource(
      httpFor(ctx, { timeoutMs: timeoutSeconds * 1000, ...(caFile ? { caFile } : {}) }),
      location,
    );
  }
  const { staticKeys } = await import('../../oidc/verify.js');
  let text: string;
  try {
    // Relative to the run's working directory (the process's, except when togo runs in-process).
    const path = process.getBuiltinModule('node:path').resolve(ctx.cwd, location);
    text = await process.getBuiltinModule('node:fs/promises').readFile(path, 'utf8');
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
  const { dpopThumbprint } = await import('../../oidc/dpop.js');
  try {
    return await dpopThumbprint(jwk);
  } catch (error) {
    throw new TogoError('INPUT_UNREADABLE', `${path} holds no usable DPoP key: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
