/**
 * Signed userinfo (OIDC Core §5.3.2): a JWT whose signature is the provider's, and which names the
 * provider as iss and the client in aud. It goes through the one policy (policy.ts) like any token:
 * iss and aud "SHOULD" be present in the spec's words, but without them nothing says which provider
 * signed it or for which client, so togo never calls such a response verified.
 */
import type { Check } from '../check.js';
import type { Profile } from './policy.js';
import type { DecodedToken } from './token.js';
import { judge, type KeySource, type Verification } from './verify.js';

export type SignedUserinfoVerification = Verification<Check>;

interface UserinfoExpectations {
  keys?: KeySource;
  /** The client secret: HS256/384/512 userinfo is signed with it (OIDC Core §10.1). */
  secret?: string;
  issuer: string;
  audience?: string;
  allowedAlgs?: string[];
  clockSkew?: number;
  now?: number;
}

const USERINFO: Profile<UserinfoExpectations> = {
  label: 'signed userinfo, OpenID Connect Core §5.3.2',
  ids: {
    header: 'ui.header',
    signature: 'ui.signature',
    iss: 'ui.iss',
    aud: 'ui.aud',
    time: 'ui.exp',
    iat: 'ui.iat',
  },
  // A userinfo response is fresh from the endpoint: exp and iat are checked only when present.
  requireExp: false,
  requireIat: false,
  audienceIs: 'client id',
  warnOtherAudiences: true,
  order: ['ui.header', 'ui.signature', 'ui.alg', 'ui.iss', 'ui.aud', 'ui.exp', 'ui.iat'],
  rules: (header, _payload, e) => {
    const alg = header.alg;
    if (!e.allowedAlgs || typeof alg !== 'string' || e.allowedAlgs.includes(alg)) return [];
    return [
      {
        id: 'ui.alg',
        name: 'alg',
        status: 'warn',
        message: `alg ${alg} is not in the provider's userinfo_signing_alg_values_supported (${e.allowedAlgs.join(', ')})`,
        hint: 'The provider signs userinfo with an algorithm it does not advertise.',
      },
    ];
  },
};

export async function verifySignedUserinfo(
  decoded: DecodedToken,
  e: {
    keys?: KeySource;
    secret?: string;
    issuer: string;
    clientId?: string;
    allowedAlgs?: string[];
    clockSkew?: number;
    now?: number;
  },
): Promise<SignedUserinfoVerification> {
  const { clientId, ...rest } = e;
  return judge<UserinfoExpectations, Check>(decoded, USERINFO, {
    ...rest,
    ...(clientId !== undefined ? { audience: clientId } : {}),
  });
}
