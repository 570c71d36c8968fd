import type { ConfigOptionValues } from '../../config/resolve.js';
import { TogoError } from '../../errors.js';
import { isJsonMediaType, mediaType } from '../../http/client.js';
import { snippet } from '../../http/errors.js';
import { bearerError } from '../../oidc/bearer.js';
import { expandClaims } from '../../oidc/claims.js';
import { depthNote, limitDepth } from '../../oidc/depth.js';
import { decodeToken, extractToken } from '../../oidc/token.js';
import { lines, t } from '../../ui/safe.js';
import { renderUserinfo } from '../../ui/session.js';
import type { Ctx } from '../shared/context.js';
import { httpFor } from '../shared/http.js';
import { discoverEndpoint, pickToken, providerSettings, readTokenSources } from '../shared/session.js';
import type { UserinfoFlags } from './command.js';

export async function userinfoCommand(
  ctx: Ctx,
  config: ConfigOptionValues,
  flags: UserinfoFlags,
): Promise<number> {
  const sources = await readTokenSources(ctx, flags, config);
  const access = await pickToken(sources, 'access_token', { required: true, what: 'access token' });
  const idToken =
    flags.idToken !== undefined
      ? extractToken(flags.idToken, 'id_token').token
      : sources.session?.file.tokens.id_token;
  const idSub = idToken === undefined ? undefined : decodeToken(idToken).payload.sub;

  const provider = await providerSettings(ctx, config, sources.session);
  const { endpoint, http, discovery } = await discoverEndpoint(
    ctx,
    provider.issuer,
    'userinfo_endpoint',
    flags,
  );
  // A DPoP-bound token from a session is presented with proofs of the session's key (RFC 9449 §7).
  const { dpopFromSession, requestWithDpop } = await import('../../provider/dpop.js');
  const dpop =
    access.kind === 'given' ? undefined : await dpopFromSession(sources.session?.file, access.kind, ctx.now);
  const accept = 'application/json, application/jwt';
  const res = dpop
    ? await requestWithDpop(http, endpoint, { headers: { accept } }, dpop, access.token)
    : await http.request(endpoint, { headers: { authorization: `Bearer ${access.token}`, accept } });

  if (res.status === 401 || res.status === 403) {
    const { error, description } = bearerError(res.headers['www-authenticate']);
    const why = error ? `: ${error}${description ? ` (${description})` : ''}` : '';
    throw new TogoError(
      'TOKEN_REJECTED',
      `the userinfo endpoint refused the access token (HTTP ${res.status}${why})`,
      {
        ...(error === 'insufficient_scope'
          ? {
              hint: 'The access token lacks a scope userinfo needs (openid); log in again with scope openid.',
            }
          : {}),
        details: { status: res.status, error: error ?? null, errorDescription: description ?? null },
      },
    );
  }
  if (res.status !== 200) {
    throw new TogoError('HTTP_STATUS', `userinfo at ${endpoint}: HTTP ${res.status}: ${snippet(res.text)}`, {
      hint: 'The provider answered with an error; check the issuer and the access token.',
      details: { url: endpoint, status: res.status, body: snippet(res.text) },
    });
  }

  const type = mediaType(res.headers['content-type']);
  let format: 'json' | 'jwt';
  let claims: Record<string, unknown>;
  let depthCut = false;
  let verification: import('../../oidc/userinfo-jwt.js').SignedUserinfoVerification | undefined;
  if (type === 'application/jwt') {
    // Signed userinfo, OIDC Core §5.3.2: verified with the provider's keys like any token.
    format = 'jwt';
    const decoded = decodeToken(res.text.trim());
    claims = decoded.payload;
    depthCut = decoded.depthCut === true;
    const { keysFromDiscovery } = await import('../../provider/keys.js');
    const { verifySignedUserinfo } = await import('../../oidc/userinfo-jwt.js');
    // HS256/384/512 are signed with the client secret; the others with the provider's published keys.
    const hmac = /^HS/.test(String(decoded.header.alg));
    const found = hmac
      ? undefined
      : await keysFromDiscovery(httpFor(ctx, { timeoutMs: flags.timeout * 1000 }), provider.issuer);
    const algs = discovery.metadata.userinfo_signing_alg_values_supported;
    verification = await verifySignedUserinfo(decoded, {
      ...(found ? { keys: found.keys } : {}),
      ...(hmac && provider.clientSecret ? { secret: provider.clientSecret } : {}),
      issuer: provider.issuer,
      ...(provider.clientId ? { clientId: provider.clientId } : {}),
      now: ctx.now(),
      ...(Array.isArray(algs) ? { allowedAlgs: algs.filter((a): a is string => typeof a === 'string') } : {}),
    });
  } else if (isJsonMediaType(type)) {
    format = 'json';
    let parsed: unknown;
    try {
      parsed = JSON.parse(res.text);
    } catch (error) {
      throw new TogoError('HTTP_NOT_JSON', `the userinfo response is not valid JSON: ${snippet(res.text)}`, {
        cause: error,
      });
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new TogoError('PROVIDER_ERROR', 'the userinfo response is not a JSON object (OIDC Core §5.3.2)');
    }
    const limited = limitDepth(parsed as Record<string, unknown>);
    claims = limited.value;
    depthCut = limited.cut;
  } else {
    throw new TogoError(
      'HTTP_CONTENT_TYPE',
      `the userinfo response is ${type || 'untyped'}, not application/json or application/jwt: ${snippet(res.text)}`,
    );
  }

  const { expanded, warnings } = expandClaims(claims);
  if (depthCut) warnings.unshift(depthNote('the userinfo response'));
  const rawSub = claims.sub;
  if (typeof rawSub === 'number') {
    warnings.push(
      `userinfo's sub is a number (${rawSub}), not a string as OIDC Core §5.1 requires; compared as a string`,
    );
  }
  const userinfoSub = rawSub === undefined || rawSub === null ? undefined : String(rawSub);
  const idTokenSub = idSub === undefined ? undefined : String(idSub);
  const match = idToken === undefined ? undefined : userinfoSub !== undefined && userinfoSub === idTokenSub;
  for (const w of warnings) ctx.warn(t`${w}`);

  let failure: TogoError | undefined;
  const failedCheck = verification?.checks.find((c) => c.status === 'fail');
  if (failedCheck) {
    failure = new TogoError(
      'TOKEN_INVALID',
      `the signed userinfo failed ${failedCheck.id}: ${failedCheck.message}`,
      {
        ...(failedCheck.hint ? { hint: failedCheck.hint } : {}),
      },
    );
  } else if (verification && !verification.ok) {
    // Signed, but not established as this provider's response for this client: never a success.
    const open = verification.checks.find(
      (c) => c.code === 'AUDIENCE_NOT_CHECKED' || c.code === 'ISSUER_NOT_PINNED',
    );
    failure = new TogoError(
      open?.code ?? 'TOKEN_INVALID',
      `the signed userinfo is not verified: ${open?.message ?? verification.verdict}`,
      open?.code === 'AUDIENCE_NOT_CHECKED'
        ? { hint: 'Configure the client id (--client-id, TOGO_CLIENT_ID or your config) to check aud.' }
        : {},
    );
  } else if (userinfoSub === undefined) {
    failure = new TogoError(
      'SUB_MISMATCH',
      'the userinfo response has no sub (OIDC Core §5.3.2 requires it)',
    );
  } else if (match === false) {
    failure = new TogoError(
      'SUB_MISMATCH',
      `the userinfo sub ${JSON.stringify(userinfoSub)} differs from the ID token's ${JSON.stringify(idTokenSub)}`,
    );
  }
  const subject = { userinfo: userinfoSub, idToken: idTokenSub, match };
  if (ctx.json) {
    ctx.printJson({
      ok: failure === undefined,
      endpoint,
      format,
      claims,
      expanded,
      warnings,
      subject: { userinfo: userinfoSub ?? null, idToken: idTokenSub ?? null, match: match ?? null },
      ...(verification ? { verification } : {}),
      ...(failure ? { error: failure.toJSON() } : {}),
    });
    return failure ? failure.exitCode : 0;
  }
  ctx.print(
    renderUserinfo(
      {
        endpoint,
        format,
        claims,
        expanded,
        subject,
        now: Math.floor(ctx.now() / 1000),
        ...(verification ? { checks: verification.checks } : {}),
      },
      ctx.style,
    ),
  );
  if (verification) {
    const { verificationLines } = await import('../../ui/decode.js');
    ctx.print(lines(['', ...verificationLines(verification, ctx.style)]));
  }
  if (failure) throw failure;
  return 0;
}
