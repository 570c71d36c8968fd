/**
 * Signed userinfo (OIDC Core §5.3.2): a JWT whose signature is the provider's, and which names the
 * provider as iss and the client in aud. It goes through the one policy (policy.ts) like any token:
 * iss and aud "SHOULD" be present in the spec's words, but without them nothing says which provider
 * signed it or for which client, so togo never calls such a response verified.
 */
import { type Verdict, warn } from '../rule.js';
import {
  audienceNames,
  audienceNotChecked,
  CLIENT_ID,
  headerUnderstood,
  issuedInThePast,
  issuerMatches,
  issuerNotPinned,
  PINNED_ISSUER,
  type Profile,
  signatureVerified,
  type TokenInput,
  type TokenRule,
  withinValidity,
} from './policy.js';
import type { DecodedToken } from './token.js';
import { judge, type KeySource, type Verification } from './verify.js';

export type SignedUserinfoVerification = Verification;

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

type Input = TokenInput<UserinfoExpectations>;

/**
 * ui.alg: the provider signs userinfo with an algorithm it advertises. Nothing to say when it does,
 * or when there is no advertised list to compare with.
 */
export function userinfoAlgAdvertised({ header, expect: e }: Input): readonly Verdict[] {
  const alg = header.alg;
  const allowed = e.allowedAlgs;
  if (!allowed || typeof alg !== 'string' || allowed.includes(alg)) return [];
  return [
    warn(
      `alg ${alg} is not in the provider's userinfo_signing_alg_values_supported (${allowed.join(', ')})`,
      {
        name: 'alg',
        hint: 'The provider signs userinfo with an algorithm it does not advertise.',
      },
    ),
  ];
}

const UI = 'signed userinfo';
const SPEC = 'OpenID Connect Core §5.3.2';

/** Every rule of signed userinfo, in report order: the policy, with exp and iat only when present. */
export const USERINFO_RULES = [
  { id: 'ui.header', spec: `${SPEC}; RFC 7515 §4.1.11`, appliesTo: UI, run: headerUnderstood },
  { id: 'ui.signature', spec: SPEC, appliesTo: UI, run: signatureVerified },
  { id: 'ui.alg', spec: 'OpenID Connect Discovery §3', appliesTo: UI, run: userinfoAlgAdvertised },
  {
    id: 'ui.iss',
    spec: SPEC,
    appliesTo: UI,
    needs: [PINNED_ISSUER],
    run: issuerMatches,
    unmet: issuerNotPinned,
  },
  {
    id: 'ui.aud',
    spec: SPEC,
    appliesTo: UI,
    needs: [CLIENT_ID],
    run: audienceNames(true),
    unmet: audienceNotChecked,
  },
  // A userinfo response is fresh from the endpoint: exp and iat are checked only when present.
  { id: 'ui.exp', spec: 'RFC 7519 §4.1.4', appliesTo: UI, run: withinValidity(false) },
  { id: 'ui.iat', spec: 'RFC 7519 §4.1.6', appliesTo: UI, run: issuedInThePast(false) },
] as const satisfies readonly TokenRule<UserinfoExpectations>[];

export const USERINFO_PROFILE: Profile<UserinfoExpectations> = {
  label: 'signed userinfo, OpenID Connect Core §5.3.2',
  ids: {
    header: 'ui.header',
    signature: 'ui.signature',
    iss: 'ui.iss',
    aud: 'ui.aud',
    time: 'ui.exp',
    iat: 'ui.iat',
  },
  rules: USERINFO_RULES,
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
  return judge<UserinfoExpectations>(decoded, USERINFO_PROFILE, {
    ...rest,
    ...(clientId !== undefined ? { audience: clientId } : {}),
  });
}
