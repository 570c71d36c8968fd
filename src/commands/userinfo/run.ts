import type { ConfigOptionValues } from '../../config/resolve.js';
import { TogoError } from '../../errors.js';
import { type HttpResponse, isJsonMediaType, mediaType } from '../../http/client.js';
import { snippet } from '../../http/errors.js';
import { bearerError } from '../../oidc/bearer.js';
import { expandClaims } from '../../oidc/claims.js';
import { depthNote, limitDepth } from '../../oidc/depth.js';
import { decodeToken, extractToken } from '../../oidc/token.js';
import type { SignedUserinfoVerification } from '../../oidc/userinfo-jwt.js';
import type { Discovery } from '../../provider/discovery.js';
import { lines, t } from '../../ui/safe.js';
import { renderUserinfo } from '../../ui/session.js';
import type { Ctx } from '../shared/context.js';
import { credentialFor, sendWith } from '../shared/credential.js';
import { httpFor } from '../shared/http.js';
import {
  discoverEndpoint,
  type ProviderSettings,
  providerSettings,
  readTokenSources,
} from '../shared/session.js';
import type { UserinfoFlags } from './command.js';

export async function userinfoCommand(
  ctx: Ctx,
  config: ConfigOptionValues,
  flags: UserinfoFlags,
): Promise<number> {
  const sources = await readTokenSources(ctx, flags, config);
  const credential = await credentialFor(ctx, sources, 'access_token', {
    what: 'access token',
    config,
    timeout: flags.timeout,
    ...(flags.ca ? { ca: flags.ca } : {}),
  });
  const idToken =
    flags.idToken !== undefined
      ? extractToken(flags.idToken, 'id_token').token
      : (credential.session ?? sources.session)?.file.tokens.id_token;
  // Read before any request: a malformed --id-token is refused at once.
  const idSub = idToken === undefined ? undefined : decodeToken(idToken).payload.sub;
  const provider = await providerSettings(ctx, config, sources.session);
  const { endpoint, http, discovery } = await discoverEndpoint(
    ctx,
    provider.issuer,
    'userinfo_endpoint',
    flags,
  );
  const res = await sendWith(
    http,
    endpoint,
    { headers: { accept: 'application/json, application/jwt' } },
    credential,
  );
  refuseStatus(res, endpoint);
  const answer = await readAnswer(ctx, res, provider, discovery, flags.timeout);
  const verdict = judgeAnswer(answer, idToken === undefined ? undefined : { sub: idSub });
  for (const w of verdict.warnings) ctx.warn(t`${w}`);
  return show(ctx, endpoint, answer, verdict);
}

/** A refused token (401, 403) and any other status but 200, as errors a user can act on. */
function refuseStatus(res: HttpResponse, endpoint: string): void {
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
}

interface Answer {
  format: 'json' | 'jwt';
  claims: Record<string, unknown>;
  depthCut: boolean;
  /** A signed answer's verification. */
  verification?: SignedUserinfoVerification;
}

/** The claims of a JSON answer, or of a signed one (OIDC Core §5.3.2) after verifying it. */
async function readAnswer(
  ctx: Ctx,
  res: HttpResponse,
  provider: ProviderSettings,
  discovery: Discovery,
  timeout: number,
): Promise<Answer> {
  const type = mediaType(res.headers['content-type']);
  if (type === 'application/jwt') {
    // Signed userinfo: verified with the provider's keys like any token.
    const decoded = decodeToken(res.text.trim());
    const { keysFromDiscovery } = await import('../../provider/keys.js');
    const { verifySignedUserinfo } = await import('../../oidc/userinfo-jwt.js');
    // HS256/384/512 are signed with the client secret; the others with the provider's published keys.
    const hmac = /^HS/.test(String(decoded.header.alg));
    const found = hmac
      ? undefined
      : await keysFromDiscovery(httpFor(ctx, { timeoutMs: timeout * 1000 }), provider.issuer);
    const algs = discovery.metadata.userinfo_signing_alg_values_supported;
    const verification = await verifySignedUserinfo(decoded, {
      ...(found ? { keys: found.keys } : {}),
      ...(hmac && provider.clientSecret ? { secret: provider.clientSecret } : {}),
      issuer: provider.issuer,
      ...(provider.clientId ? { clientId: provider.clientId } : {}),
      now: ctx.now(),
      ...(Array.isArray(algs) ? { allowedAlgs: algs.filter((a): a is string => typeof a === 'string') } : {}),
    });
    return { format: 'jwt', claims: decoded.payload, depthCut: decoded.depthCut === true, verification };
  }
  if (!isJsonMediaType(type)) {
    throw new TogoError(
      'HTTP_CONTENT_TYPE',
      `the userinfo response is ${type || 'untyped'}, not application/json or application/jwt: ${snippet(res.text)}`,
    );
  }
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
  return { format: 'json', claims: limited.value, depthCut: limited.cut };
}

interface Verdict {
  expanded: ReturnType<typeof expandClaims>['expanded'];
  warnings: string[];
  subject: { userinfo: string | undefined; idToken: string | undefined; match: boolean | undefined };
  failure?: TogoError;
}

/** The claims expanded, and the answer judged: its signature, and its sub against the ID token's. */
function judgeAnswer(answer: Answer, idToken: { sub: unknown } | undefined): Verdict {
  const { expanded, warnings } = expandClaims(answer.claims);
  if (answer.depthCut) warnings.unshift(depthNote('the userinfo response'));
  const rawSub = answer.claims.sub;
  if (typeof rawSub === 'number') {
    warnings.push(
      `userinfo's sub is a number (${rawSub}), not a string as OIDC Core §5.1 requires; compared as a string`,
    );
  }
  const userinfo = rawSub === undefined || rawSub === null ? undefined : String(rawSub);
  const idTokenSub = idToken?.sub === undefined ? undefined : String(idToken.sub);
  const match = idToken === undefined ? undefined : userinfo !== undefined && userinfo === idTokenSub;
  const failure = signatureFailure(answer.verification) ?? subjectFailure(userinfo, idTokenSub, match);
  return {
    expanded,
    warnings,
    subject: { userinfo, idToken: idTokenSub, match },
    ...(failure ? { failure } : {}),
  };
}

/** A signed answer that failed a check, or that is not established as this provider's for this client. */
function signatureFailure(verification: SignedUserinfoVerification | undefined): TogoError | undefined {
  if (!verification) return undefined;
  const failed = verification.checks.find((c) => c.status === 'fail');
  if (failed) {
    return new TogoError('TOKEN_INVALID', `the signed userinfo failed ${failed.id}: ${failed.message}`, {
      ...(failed.hint ? { hint: failed.hint } : {}),
    });
  }
  if (verification.ok) return undefined;
  // Signed, but not established as this provider's response for this client: never a success.
  const open = verification.checks.find(
    (c) => c.code === 'AUDIENCE_NOT_CHECKED' || c.code === 'ISSUER_NOT_PINNED',
  );
  return new TogoError(
    open?.code ?? 'TOKEN_INVALID',
    `the signed userinfo is not verified: ${open?.message ?? verification.verdict}`,
    open?.code === 'AUDIENCE_NOT_CHECKED'
      ? { hint: 'Configure the client id (--client-id, TOGO_CLIENT_ID or your config) to check aud.' }
      : {},
  );
}

/** OIDC Core §5.3.2: the answer must have a sub, and it must be the ID token's when one is at hand. */
function subjectFailure(
  userinfo: string | undefined,
  idToken: string | undefined,
  match: boolean | undefined,
): TogoError | undefined {
  if (userinfo === undefined) {
    return new TogoError('SUB_MISMATCH', 'the userinfo response has no sub (OIDC Core §5.3.2 requires it)');
  }
  if (match === false) {
    return new TogoError(
      'SUB_MISMATCH',
      `the userinfo sub ${JSON.stringify(userinfo)} differs from the ID token's ${JSON.stringify(idToken)}`,
    );
  }
  return undefined;
}

/** The claims and the verdict on stdout: one JSON document, or the human view. */
async function show(ctx: Ctx, endpoint: string, answer: Answer, verdict: Verdict): Promise<number> {
  const { format, claims, verification } = answer;
  const { expanded, warnings, subject, failure } = verdict;
  if (ctx.json) {
    ctx.printJson({
      ok: failure === undefined,
      endpoint,
      format,
      claims,
      expanded,
      warnings,
      subject: {
        userinfo: subject.userinfo ?? null,
        idToken: subject.idToken ?? null,
        match: subject.match ?? null,
      },
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
