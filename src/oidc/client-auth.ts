/**
 * Client authentication at the provider's back-channel endpoints: token, device authorization,
 * pushed authorization request, introspection and revocation (RFC 6749 §2.3, OpenID Connect Core
 * §9; RFC 7662 §2.1 and RFC 7009 §2.1 defer to it). Pure: the one place that decides which method a
 * request uses (and the algorithm of its client assertion) from discovery and the credentials at
 * hand, and that puts the credentials into the request's headers and form. Signing the assertion is
 * the provider layer's (src/provider/token-endpoint.ts).
 */
import { TogoError } from '../errors.js';

export type ClientAuthMethod =
  | 'client_secret_basic'
  | 'client_secret_post'
  | 'client_secret_jwt'
  | 'private_key_jwt'
  | 'none';

export const CLIENT_AUTH_METHODS: readonly ClientAuthMethod[] = [
  'client_secret_basic',
  'client_secret_post',
  'client_secret_jwt',
  'private_key_jwt',
  'none',
];

/** RFC 7523 §2.2: the type of a JWT client assertion. */
export const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export interface ClientAuthChoice {
  method: ClientAuthMethod;
  /** The JWS algorithm of the client assertion (client_secret_jwt and private_key_jwt only). */
  alg?: string;
  /** Said on stderr: why togo tries a method the provider does not list. */
  note?: string;
}

export type ClientAuthEndpoint =
  | 'token'
  | 'device_authorization'
  | 'introspection'
  | 'revocation'
  | 'pushed_authorization_request';

/** The credentials a run has: TOGO_CLIENT_SECRET, and `--client-key` described by its type. */
export interface ClientCredentialsAtHand {
  secret: boolean;
  key?: {
    /** node's asymmetricKeyType: rsa, rsa-pss, ec, ed25519. */
    type: string | undefined;
    /** P-256, P-384 or P-521 for an EC key. */
    curve?: string;
    /** The JWK's own `alg`, which then is the only one it signs with. */
    alg?: string;
  };
}

/** The methods the provider lists for an endpoint, or undefined when its document lists none. */
function listed(
  metadata: Record<string, unknown>,
  endpoint: ClientAuthEndpoint,
  what: 'methods' | 'signing_alg_values',
): string[] | undefined {
  // RFC 8414 §2: introspection and revocation may have their own lists; the device authorization
  // (RFC 8628 §3.1) and pushed authorization (RFC 9126 §2) endpoints use the token endpoint's.
  const own = endpoint === 'introspection' || endpoint === 'revocation' ? [endpoint] : [];
  for (const name of [...own, 'token']) {
    const list = metadata[`${name}_endpoint_auth_${what}_supported`];
    if (Array.isArray(list)) return list.filter((m): m is string => typeof m === 'string');
  }
  return undefined;
}

const HMAC_ALGS = ['HS256', 'HS384', 'HS512'];

/** The candidates for a key, in togo's order of preference. */
function keyAlgs(key: NonNullable<ClientCredentialsAtHand['key']>): string[] {
  if (key.alg) return [key.alg];
  switch (key.type) {
    case 'rsa':
      return ['RS256', 'PS256', 'RS384', 'PS384', 'RS512', 'PS512'];
    case 'rsa-pss':
      return ['PS256', 'PS384', 'PS512'];
    case 'ec':
      return key.curve === 'P-384' ? ['ES384'] : key.curve === 'P-521' ? ['ES512'] : ['ES256'];
    case 'ed25519':
      return ['EdDSA', 'Ed25519'];
    default:
      return [];
  }
}

/**
 * The algorithm of a client assertion: the first of togo's candidates the provider lists in
 * `token_endpoint_auth_signing_alg_values_supported` (or the endpoint's own list), else the first
 * candidate when it lists none. Undefined when the provider lists algorithms and none fits.
 */
export function assertionAlg(
  candidates: readonly string[],
  providerAlgs: readonly string[] | undefined,
): string | undefined {
  if (providerAlgs === undefined || providerAlgs.length === 0) return candidates[0];
  return candidates.find((a) => providerAlgs.includes(a));
}

const has = (m: ClientAuthMethod, c: ClientCredentialsAtHand): boolean =>
  m === 'none' ? true : m === 'private_key_jwt' ? c.key !== undefined : c.secret;

const CREDENTIAL_OF: Record<ClientAuthMethod, string> = {
  client_secret_basic: 'the client secret (TOGO_CLIENT_SECRET)',
  client_secret_post: 'the client secret (TOGO_CLIENT_SECRET)',
  client_secret_jwt: 'the client secret (TOGO_CLIENT_SECRET), which signs the assertion',
  private_key_jwt: "the client's private key (--client-key FILE)",
  none: 'nothing',
};

/**
 * How the client authenticates at `endpoint`.
 *
 * - `requested` (`--client-auth`): that method, when togo has its credential and the provider lists
 *   it (a provider that lists nothing is taken at RFC 8414's default, client_secret_basic, and
 *   not held to it); otherwise an error saying which.
 * - otherwise the first method the provider lists for which togo has the credential: the secret
 *   for client_secret_basic, client_secret_post and client_secret_jwt, the key for private_key_jwt.
 *   A client with neither is public (`none`: its client_id in the body). A credential for no method
 *   the provider lists is tried anyway (the key, else the secret as client_secret_basic), and said.
 */
export function chooseClientAuth(
  metadata: Record<string, unknown>,
  endpoint: ClientAuthEndpoint,
  credentials: ClientCredentialsAtHand,
  requested?: ClientAuthMethod,
): ClientAuthChoice {
  const methods = listed(metadata, endpoint, 'methods');
  const algs = listed(metadata, endpoint, 'signing_alg_values');
  const where = endpoint.replace(/_/g, ' ');
  const saidList = (list: readonly string[] | undefined) =>
    list === undefined ? 'lists none' : list.length === 0 ? 'lists none' : `lists ${list.join(', ')}`;

  /** The choice with its assertion algorithm, or a reason it cannot be made. */
  const withAlg = (method: ClientAuthMethod): ClientAuthChoice | string => {
    if (method === 'client_secret_jwt') {
      const alg = assertionAlg(HMAC_ALGS, algs);
      return alg
        ? { method, alg }
        : `client_secret_jwt signs with HS256, HS384 or HS512, and the provider ${saidList(algs)} for assertions at its ${where} endpoint`;
    }
    if (method === 'private_key_jwt' && credentials.key) {
      const candidates = keyAlgs(credentials.key);
      const alg = assertionAlg(candidates, algs);
      if (alg) return { method, alg };
      const own = candidates[0];
      if (!own) return `the client key (${credentials.key.type ?? 'unknown type'}) cannot sign an assertion`;
      return {
        method,
        alg: own,
        note: `the provider ${saidList(algs)} for client assertions at its ${where} endpoint, not ${candidates.join(' or ')}; signing with ${own}, as the key allows nothing else`,
      };
    }
    return { method };
  };

  if (requested !== undefined) {
    if (!has(requested, credentials)) {
      throw new TogoError('SETTING_MISSING', `--client-auth ${requested} needs ${CREDENTIAL_OF[requested]}`, {
        hint:
          requested === 'private_key_jwt'
            ? 'Pass --client-key FILE: the private key (PEM or JWK) whose public key the client registered.'
            : 'Set TOGO_CLIENT_SECRET (togo never takes secrets from flags).',
        details: { method: requested },
      });
    }
    if (methods !== undefined && !methods.includes(requested)) {
      throw new TogoError(
        'CLIENT_AUTH_UNSUPPORTED',
        `the provider does not accept ${requested} at its ${where} endpoint (it ${saidList(methods)})`,
        { details: { method: requested, endpoint, supported: methods } },
      );
    }
    const choice = withAlg(requested);
    if (typeof choice === 'string') {
      throw new TogoError('CLIENT_AUTH_UNSUPPORTED', choice, { details: { method: requested, endpoint } });
    }
    return choice;
  }

  if (!credentials.secret && !credentials.key) return { method: 'none' };
  for (const method of methods ?? ['client_secret_basic']) {
    if (method === 'none' || !CLIENT_AUTH_METHODS.includes(method as ClientAuthMethod)) continue;
    if (!has(method as ClientAuthMethod, credentials)) continue;
    const choice = withAlg(method as ClientAuthMethod);
    if (typeof choice !== 'string') return choice;
  }
  // A credential was given for this run: it is what the client registered to authenticate with.
  const fallback: ClientAuthMethod = credentials.key ? 'private_key_jwt' : 'client_secret_basic';
  const choice = withAlg(fallback);
  if (typeof choice === 'string') {
    throw new TogoError('CLIENT_AUTH_UNSUPPORTED', choice, { details: { method: fallback, endpoint } });
  }
  return {
    ...choice,
    note: `the provider ${saidList(methods)} for its ${where} endpoint, not ${fallback}; trying ${fallback}, as ${credentials.key ? 'a client key' : 'a client secret'} was given`,
  };
}

/** RFC 6749 §2.3.1: id and secret are form-urlencoded before they are joined and base64-encoded. */
const formEncode = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');

export function basicAuthorization(clientId: string, secret: string): string {
  return `Basic ${Buffer.from(`${formEncode(clientId)}:${formEncode(secret)}`).toString('base64')}`;
}

/**
 * Adds the client's credentials to a request's headers and form: the secret in the Authorization
 * header (basic) or the body (post), a signed assertion (client_secret_jwt, private_key_jwt), or
 * the client id alone (none). A method whose credential is missing sends the client id alone.
 */
export function applyClientAuth(
  method: ClientAuthMethod,
  client: { clientId: string; clientSecret?: string; clientAssertion?: string },
  form: URLSearchParams,
  headers: Record<string, string>,
): void {
  if (
    (method === 'private_key_jwt' || method === 'client_secret_jwt') &&
    client.clientAssertion !== undefined
  ) {
    form.set('client_id', client.clientId);
    form.set('client_assertion_type', JWT_BEARER_ASSERTION);
    form.set('client_assertion', client.clientAssertion);
    return;
  }
  if (method === 'client_secret_basic' && client.clientSecret !== undefined) {
    headers.authorization = basicAuthorization(client.clientId, client.clientSecret);
    return;
  }
  form.set('client_id', client.clientId);
  if (method === 'client_secret_post' && client.clientSecret !== undefined) {
    form.set('client_secret', client.clientSecret);
  }
}

/** The method as narration names it: with the assertion's algorithm, or what "none" means. */
export function describeClientAuth(choice: ClientAuthChoice): string {
  if (choice.method === 'none') return 'none (a public client: its client_id only)';
  return choice.alg ? `${choice.method}, ${choice.alg}` : choice.method;
}
