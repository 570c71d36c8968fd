/**
 * The one gate for everything that leaves the machine with a credential: the client secret, client
 * assertions, access and refresh tokens, DPoP proofs.
 *
 * - A credential goes only to an endpoint of the pinned issuer's own discovery document: the
 *   document must name exactly that issuer (Discovery §4.3), and the endpoint is read from it here,
 *   never taken from a caller. `credentialEndpoint` is the one function every sender calls.
 * - An https issuer's endpoints must be https; plain http only between loopback hosts (a local
 *   provider), for endpoints and keys alike (`assertSecureEndpoint`): an on-path proxy must not read
 *   a secret, nor serve keys of its own.
 * - A file is data. It may choose the issuer (and so where credentials go) or supply endpoints only
 *   when it is the user's own, as togo writes it: a regular file owned by the current user that no
 *   one else can read or write (`fileOwnership`). Otherwise its issuer must equal the one the user
 *   pinned (`assertFileIssuer`).
 */
import { statSync } from 'node:fs';
import { TogoError } from '../errors.js';
import { isLoopbackHost } from '../oidc/url.js';

/** The discovery fields of the endpoints that receive a credential. */
export type CredentialEndpointField =
  | 'token_endpoint'
  | 'device_authorization_endpoint'
  | 'pushed_authorization_request_endpoint'
  | 'introspection_endpoint'
  | 'revocation_endpoint'
  | 'userinfo_endpoint'
  | 'end_session_endpoint';

/** A provider as the gate knows it: the issuer the user pinned, and the discovery document read for it. */
export interface PinnedProvider {
  issuer: string;
  metadata: Record<string, unknown>;
  /** Where the document came from, for messages: its URL, or the file it was read from. */
  documentFrom?: string;
}

/**
 * The endpoint `field` of the pinned issuer's own document, checked for transport: the only way a
 * sender gets the URL it sends a credential to. Throws when the document names another issuer
 * (DISCOVERY_ISSUER_MISMATCH), has no such endpoint (PROVIDER_ENDPOINT_MISSING) or names an endpoint
 * that is not https for an https issuer (ENDPOINT_INSECURE).
 */
export function credentialEndpoint(provider: PinnedProvider, field: CredentialEndpointField): string {
  const named = provider.metadata.issuer;
  const from = provider.documentFrom ? ` (${provider.documentFrom})` : '';
  if (named !== provider.issuer) {
    throw new TogoError(
      'DISCOVERY_ISSUER_MISMATCH',
      `the discovery document${from} names issuer ${JSON.stringify(named ?? null)}, not ${JSON.stringify(provider.issuer)}: nothing is sent to its ${field}`,
      { details: { expected: provider.issuer, actual: named ?? null, field } },
    );
  }
  const endpoint = provider.metadata[field];
  if (typeof endpoint !== 'string' || endpoint === '') {
    throw new TogoError(
      'PROVIDER_ENDPOINT_MISSING',
      `${provider.issuer} advertises no ${field} in its discovery document`,
      { details: { issuer: provider.issuer, field } },
    );
  }
  assertSecureEndpoint(provider.issuer, endpoint, field);
  return endpoint;
}

/** Why an endpoint of this issuer may not be used, or undefined when it may. */
export function insecureEndpoint(issuer: string, endpoint: string): string | undefined {
  let url: URL;
  let iss: URL;
  try {
    url = new URL(endpoint);
    iss = new URL(issuer);
  } catch {
    return 'it is not a URL';
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol !== 'http:') return `its scheme is ${url.protocol.replace(/:$/, '')}, not https`;
  if (iss.protocol === 'https:') return 'it is plain http, and the issuer is https';
  if (!isLoopbackHost(iss.hostname)) return 'it is plain http (allowed only for a provider on this machine)';
  if (!isLoopbackHost(url.hostname)) return 'it is plain http to another machine';
  return undefined;
}

/** Throws ENDPOINT_INSECURE unless `endpoint` may be used for this issuer (see insecureEndpoint). */
export function assertSecureEndpoint(issuer: string, endpoint: string, field: string): void {
  const why = insecureEndpoint(issuer, endpoint);
  if (why === undefined) return;
  throw new TogoError(
    'ENDPOINT_INSECURE',
    `${issuer} names ${field} ${endpoint}: ${why}; togo does not use it`,
    {
      details: { issuer, field, endpoint },
    },
  );
}

/** Whether a file is the user's own, as togo writes secrets (see files.ts): why not, when it is not. */
export function fileOwnership(path: string): { own: true } | { own: false; why: string } {
  if (process.platform === 'win32') return { own: true };
  let info: ReturnType<typeof statSync>;
  try {
    info = statSync(path);
  } catch (error) {
    return { own: false, why: `it cannot be examined (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  if (!info.isFile()) return { own: false, why: 'it is not a regular file' };
  const uid = process.getuid?.();
  if (uid !== undefined && info.uid !== uid)
    return { own: false, why: `it belongs to another user (uid ${info.uid})` };
  const mode = info.mode & 0o777;
  if ((mode & 0o077) !== 0) {
    return {
      own: false,
      why: `other users can ${(mode & 0o022) !== 0 ? 'write' : 'read'} it (mode ${mode.toString(8)}; togo writes 600)`,
    };
  }
  return { own: true };
}

/** A file that names an issuer: a session, a pending login, a token file, a discovery document. */
export interface IssuerFile {
  /** "the session file", "the pending login", "the token file", "the discovery file". */
  what: string;
  path: string;
  issuer: string;
}

/**
 * Refuses a file whose issuer is not the pinned one (FILE_NOT_TRUSTED): the file is data, and its
 * credentials (tokens, a verifier) or endpoints belong to that other issuer.
 */
export function assertFileIssuer(
  file: IssuerFile,
  pinned: { issuer: string; how: string },
  why?: string,
): void {
  if (file.issuer === pinned.issuer) return;
  throw new TogoError(
    'FILE_NOT_TRUSTED',
    `${file.what} ${file.path} names issuer ${file.issuer}, but the issuer in effect is ${pinned.issuer} (${pinned.how})${why ? `, and the file may not choose it: ${why}` : ''}; nothing is sent`,
    {
      ...(why
        ? {}
        : {
            hint: `What ${file.path} holds belongs to ${file.issuer}: use it with that issuer, or use a file from ${pinned.issuer}.`,
          }),
      details: { file: file.path, fileIssuer: file.issuer, issuer: pinned.issuer, ...(why ? { why } : {}) },
    },
  );
}
