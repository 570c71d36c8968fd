/**
 * Client authentication at the provider's back-channel endpoints: token, device authorization,
 * introspection and revocation (RFC 7662 §2.1 and RFC 7009 §2.1 defer to OAuth 2.0 client
 * authentication). Pure: picks the method from discovery and builds the headers and form fields.
 */

export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt' | 'none';

export const CLIENT_AUTH_METHODS: readonly ClientAuthMethod[] = [
  'client_secret_basic',
  'client_secret_post',
  'private_key_jwt',
  'none',
];

/** RFC 7523 §2.2: the type of a JWT client assertion. */
export const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export interface ClientAuthChoice {
  method: ClientAuthMethod;
  /** Said on stderr: why a method other than the usual one was used. */
  note?: string;
}

export type ClientAuthEndpoint =
  | 'token'
  | 'device_authorization'
  | 'introspection'
  | 'revocation'
  | 'pushed_authorization_request';

function methodsFor(metadata: Record<string, unknown>, endpoint: ClientAuthEndpoint): string[] {
  // RFC 8414 §2: an endpoint's own list, else the token endpoint's, else the default (basic).
  for (const field of [
    `${endpoint}_endpoint_auth_methods_supported`,
    'token_endpoint_auth_methods_supported',
  ]) {
    const list = metadata[field];
    if (Array.isArray(list)) return list.filter((m): m is string => typeof m === 'string');
  }
  return ['client_secret_basic'];
}

/**
 * With a secret: client_secret_basic, or client_secret_post when the provider does not list basic.
 * Without one: a public client identifies itself with client_id in the body ("none").
 */
export function chooseClientAuth(
  metadata: Record<string, unknown>,
  endpoint: ClientAuthEndpoint,
  hasSecret: boolean,
  hasKey = false,
): ClientAuthChoice {
  const methods = methodsFor(metadata, endpoint);
  // A client key given for this run is what the client registered to authenticate with.
  if (hasKey) {
    return methods.includes('private_key_jwt')
      ? { method: 'private_key_jwt' }
      : {
          method: 'private_key_jwt',
          note: `the provider does not list private_key_jwt for ${endpoint} (${methods.join(', ') || 'none'}); trying it, as a client key was given`,
        };
  }
  if (!hasSecret) return { method: 'none' };
  if (methods.includes('client_secret_basic')) return { method: 'client_secret_basic' };
  if (methods.includes('client_secret_post')) {
    return {
      method: 'client_secret_post',
      note: `the provider does not list client_secret_basic for ${endpoint}; sending the secret in the body (client_secret_post)`,
    };
  }
  return {
    method: 'client_secret_basic',
    note: `the provider lists neither client_secret_basic nor client_secret_post for ${endpoint} (${methods.join(', ') || 'none'}); trying client_secret_basic`,
  };
}

/** RFC 6749 §2.3.1: id and secret are form-urlencoded before they are joined and base64-encoded. */
const formEncode = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');

export function basicAuthorization(clientId: string, secret: string): string {
  return `Basic ${Buffer.from(`${formEncode(clientId)}:${formEncode(secret)}`).toString('base64')}`;
}

/** Adds the client's credentials to a request's headers and form. */
export function applyClientAuth(
  method: ClientAuthMethod,
  client: { clientId: string; clientSecret?: string; clientAssertion?: string },
  form: URLSearchParams,
  headers: Record<string, string>,
): void {
  if (method === 'private_key_jwt' && client.clientAssertion !== undefined) {
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
