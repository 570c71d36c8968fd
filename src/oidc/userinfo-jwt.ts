/**
 * Signed userinfo (OIDC Core §5.3.2): a JWT whose signature is the provider's, and which SHOULD
 * name the provider as iss and the client in aud. Checked like any token, with the one Check shape.
 */
import type { Check } from '../check.js';
import type { DecodedToken } from './token.js';
import { type KeySource, verifySignature } from './verify.js';

export interface SignedUserinfoVerification {
  ok: boolean;
  profile: string;
  checks: Check[];
}

export async function verifySignedUserinfo(
  decoded: DecodedToken,
  e: {
    keys?: KeySource;
    /** The client secret: HS256/384/512 userinfo is signed with it (OIDC Core §10.1). */
    secret?: string;
    issuer: string;
    clientId?: string;
    allowedAlgs?: string[];
  },
): Promise<SignedUserinfoVerification> {
  const signature = await verifySignature(decoded, {
    ...(e.keys ? { keys: e.keys } : {}),
    ...(e.secret !== undefined ? { secret: e.secret } : {}),
  });
  const checks: Check[] = [{ ...signature.check, id: 'ui.signature' }];
  const alg = decoded.header.alg;
  if (e.allowedAlgs && typeof alg === 'string' && !e.allowedAlgs.includes(alg)) {
    checks.push({
      id: 'ui.alg',
      name: 'alg',
      status: 'warn',
      message: `alg ${alg} is not in the provider's userinfo_signing_alg_values_supported (${e.allowedAlgs.join(', ')})`,
      hint: 'The provider signs userinfo with an algorithm it does not advertise.',
    });
  }
  const { iss, aud } = decoded.payload;
  // §5.3.2: iss and aud SHOULD be present; when present they must be right.
  if (iss === undefined) {
    checks.push({
      id: 'ui.iss',
      name: 'iss',
      status: 'warn',
      message: 'no iss (OIDC Core §5.3.2: it SHOULD be present)',
      hint: 'Without iss, the response does not say which provider signed it.',
    });
  } else if (iss !== e.issuer) {
    checks.push({
      id: 'ui.iss',
      name: 'iss',
      status: 'fail',
      code: 'TOKEN_ISSUER_MISMATCH',
      message: `iss is ${String(iss)}, expected ${e.issuer}`,
      hint: 'The signed userinfo names another issuer: do not use its claims.',
    });
  } else {
    checks.push({ id: 'ui.iss', name: 'iss', status: 'pass', message: `iss is ${e.issuer}` });
  }
  const list = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud.map(String) : [];
  if (aud === undefined) {
    checks.push({
      id: 'ui.aud',
      name: 'aud',
      status: 'warn',
      message: 'no aud (OIDC Core §5.3.2: it SHOULD be present)',
      hint: 'Without aud, the response does not say which client it is for.',
    });
  } else if (e.clientId === undefined) {
    checks.push({
      id: 'ui.aud',
      name: 'aud',
      status: 'skip',
      message: `aud is ${list.join(', ')}; no client id to compare it with`,
    });
  } else if (!list.includes(e.clientId)) {
    checks.push({
      id: 'ui.aud',
      name: 'aud',
      status: 'fail',
      code: 'TOKEN_AUDIENCE_MISMATCH',
      message: `aud is ${list.join(', ')}, expected ${e.clientId}`,
      hint: 'The signed userinfo was issued to another client.',
    });
  } else {
    checks.push({ id: 'ui.aud', name: 'aud', status: 'pass', message: `aud is ${e.clientId}` });
  }
  return {
    ok: !checks.some((c) => c.status === 'fail'),
    profile: 'signed userinfo, OpenID Connect Core §5.3.2',
    checks,
  };
}
