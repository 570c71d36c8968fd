/**
 * The one error type togo throws, and the closed list of codes it may carry.
 *
 * Every code maps to exactly one exit code. Adding a code means adding it here, with its exit code
 * and a default hint; `npm run docs` lists it in docs/errors.md (a test keeps the two in step).
 */

import { redactText, redactValue } from './redact.js';

export const EXIT = {
  OK: 0,
  CHECK_FAILED: 1,
  USAGE: 2,
  NETWORK: 3,
  LOGIN: 4,
  INTERNAL: 70,
  INTERRUPTED: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

interface CodeSpec {
  exit: ExitCode;
  hint: string;
}

/** The closed list. Keep it sorted by exit code, then alphabetically. */
export const ERROR_CODES = {
  // exit 1: a check failed
  API_STATUS: {
    exit: EXIT.CHECK_FAILED,
    hint: 'The API answered with an error status; its body above says why.',
  },
  AUDIENCE_NOT_CHECKED: {
    exit: EXIT.CHECK_FAILED,
    hint: "Name the audience you expect (--client-id <client_id> for an ID token, --audience <resource> for an API's access token); a token issued to another client or API would otherwise read the same.",
  },
  CHECKS_FAILED: { exit: EXIT.CHECK_FAILED, hint: 'See the failed checks above.' },
  CLAIM_NOT_FOUND: {
    exit: EXIT.CHECK_FAILED,
    hint: 'List the claims with `togo decode <token>`; paths look like user.organizations.0.organization.name.',
  },
  DISCOVERY_ISSUER_MISMATCH: {
    exit: EXIT.CHECK_FAILED,
    hint: 'The document must name exactly the issuer it was fetched for (OpenID Connect Discovery §4.3).',
  },
  ISSUER_NOT_PINNED: {
    exit: EXIT.CHECK_FAILED,
    hint: 'Name the issuer you trust (--issuer <url>, TOGO_ISSUER or your config); a token that names its own issuer proves nothing about who issued it.',
  },
  RESPONSE_ISSUER_MISMATCH: {
    exit: EXIT.CHECK_FAILED,
    hint: 'The response names another issuer (RFC 9207): a mix-up between providers; do not use it.',
  },
  STATE_MISMATCH: {
    exit: EXIT.CHECK_FAILED,
    hint: 'The response belongs to another login request; start the login again.',
  },
  SUB_MISMATCH: {
    exit: EXIT.CHECK_FAILED,
    hint: 'The userinfo response belongs to another user than the ID token; do not use it (OIDC Core §5.3.2).',
  },
  TOKEN_INVALID: { exit: EXIT.CHECK_FAILED, hint: 'See the failed checks above.' },
  // ID token checks (D1–D16 of docs/security-details.md); each is exit 1.
  JWKS_MULTIPLE_MATCHING_KEYS: {
    exit: EXIT.CHECK_FAILED,
    hint: 'Several keys fit and the token names no kid; togo does not guess. The provider should set kid.',
  },
  JWKS_NO_MATCHING_KEY: {
    exit: EXIT.CHECK_FAILED,
    hint: "No key in the JWKS has the token's kid and algorithm: wrong provider or environment, or rotated keys.",
  },
  JWKS_UNUSABLE_KEY: {
    exit: EXIT.CHECK_FAILED,
    hint: 'A JWKS must publish public keys only; private or symmetric keys are never used to verify.',
  },
  NO_VERIFICATION_KEY: {
    exit: EXIT.CHECK_FAILED,
    hint: "Pass --issuer <url> (keys from discovery), --issuer-from-token (the token's own iss) or --jwks <file|url>.",
  },
  TOKEN_ALG_NONE: { exit: EXIT.CHECK_FAILED, hint: 'Unsigned tokens (alg "none") are never accepted.' },
  TOKEN_ALG_NOT_ALLOWED: {
    exit: EXIT.CHECK_FAILED,
    hint: 'The provider does not advertise this algorithm (id_token_signing_alg_values_supported).',
  },
  TOKEN_AT_HASH_MISMATCH: {
    exit: EXIT.CHECK_FAILED,
    hint: 'The access token is not the one this ID token was issued with (OIDC Core §3.2.2.9).',
  },
  TOKEN_AUDIENCE_MISMATCH: { exit: EXIT.CHECK_FAILED, hint: 'The token was issued to another client.' },
  TOKEN_AUTH_TIME: {
    exit: EXIT.CHECK_FAILED,
    hint: 'With max_age, auth_time must be present and recent enough (OIDC Core §3.1.2.1).',
  },
  TOKEN_C_HASH_MISMATCH: {
    exit: EXIT.CHECK_FAILED,
    hint: 'The code is not the one this ID token was issued with (OIDC Core §3.3.2.11).',
  },
  TOKEN_CLAIM_MISSING: {
    exit: EXIT.CHECK_FAILED,
    hint: 'OIDC Core §2 requires this claim in every ID token.',
  },
  TOKEN_CRIT_UNSUPPORTED: {
    exit: EXIT.CHECK_FAILED,
    hint: 'The header marks an extension as critical (crit) that togo does not understand, so the token is rejected (RFC 7515 §4.1.11); JWTs never use unencoded payloads (b64: false, RFC 7797 §7).',
  },
  TOKEN_EXPIRED: { exit: EXIT.CHECK_FAILED, hint: 'Log in again to get a fresh token.' },
  TOKEN_ISSUED_IN_FUTURE: {
    exit: EXIT.CHECK_FAILED,
    hint: "Check this machine's clock, or allow more --clock-skew.",
  },
  TOKEN_ISSUER_MISMATCH: {
    exit: EXIT.CHECK_FAILED,
    hint: 'iss must equal the issuer exactly, trailing slash included (OIDC Core §3.1.3.7).',
  },
  TOKEN_NONCE_MISMATCH: {
    exit: EXIT.CHECK_FAILED,
    hint: 'The token answers another login request (or a replay); start the login again.',
  },
  TOKEN_NOT_YET_VALID: {
    exit: EXIT.CHECK_FAILED,
    hint: "Check this machine's clock, or allow more --clock-skew.",
  },
  TOKEN_SIGNATURE_INVALID: {
    exit: EXIT.CHECK_FAILED,
    hint: 'The token was altered, or signed by another key than the provider publishes.',
  },
  TOKEN_SUB_INVALID: {
    exit: EXIT.CHECK_FAILED,
    hint: 'sub must be a string of at most 255 ASCII characters.',
  },
  TOKEN_TYPE_MISMATCH: {
    exit: EXIT.CHECK_FAILED,
    hint: 'The header typ names another kind of token (RFC 8725 §3.11): an access or logout token is never an ID token.',
  },

  // exit 2: usage error or unreadable input
  BROWSER_UNAVAILABLE: {
    exit: EXIT.USAGE,
    hint: 'Install Chromium (Debian: apt-get install chromium) or name it with TOGO_CHROMIUM; togo drives it with playwright-core, which comes with togo.',
  },
  CLIENT_AUTH_UNSUPPORTED: {
    exit: EXIT.USAGE,
    hint: 'Choose another --client-auth, or leave it out: togo then uses the first method the provider lists for which it has the credential.',
  },
  CONFIG_INVALID: {
    exit: EXIT.USAGE,
    hint: 'Fix the configuration file; `togo config` shows what is in effect.',
  },
  FILE_NOT_TRUSTED: {
    exit: EXIT.USAGE,
    hint: 'A file is data: it may choose the issuer (where tokens and TOGO_CLIENT_SECRET go) only when it is yours as togo writes it (owned by you, mode 600), and then only --session or --pending. Name the issuer you trust (--issuer, TOGO_ISSUER, --env), or chmod 600 a file you wrote yourself.',
  },
  INPUT_TOO_LARGE: { exit: EXIT.USAGE, hint: 'Pass the token itself, not a file of logs or a binary.' },
  INPUT_UNREADABLE: { exit: EXIT.USAGE, hint: 'Check the path and its permissions.' },
  JWKS_INVALID: { exit: EXIT.USAGE, hint: 'A JWKS is a JSON object with a "keys" array (RFC 7517 §5).' },
  MOCK_CLIENTS_INVALID: {
    exit: EXIT.USAGE,
    hint: 'The clients file is a JSON array of oidc-provider client metadata (client_id, redirect_uris, …); `togo mock --help` lists the default ones.',
  },
  MOCK_FAULT_UNKNOWN: { exit: EXIT.USAGE, hint: '`togo mock --help` lists every fault with what it does.' },
  MOCK_KEYS_INVALID: {
    exit: EXIT.USAGE,
    hint: 'The keys file is the JSON Web Key Set `togo mock --keys <file>` writes when the file is missing: one private RSA key with its certificate in x5c, in a file of yours that only you can write. Name a new path to have one made.',
  },
  MOCK_USERS_INVALID: {
    exit: EXIT.USAGE,
    hint: 'The users file is a JSON array of {sub, email, password, given_name, family_name, user}; `togo mock --help` lists the default ones.',
  },
  OUTPUT_REFUSED: {
    exit: EXIT.USAGE,
    hint: "togo writes files (tokens, keys, reports) only as new files or over a regular file of yours; choose another path (not a link, not another user's file).",
  },
  OUTPUT_UNWRITABLE: {
    exit: EXIT.USAGE,
    hint: 'Check that the directory exists and that you may write there.',
  },
  PORT_IN_USE: {
    exit: EXIT.USAGE,
    hint: 'Stop the program using that port, or use a redirect URI with another port.',
  },
  SECRET_ISSUER_UNTRUSTED: {
    exit: EXIT.USAGE,
    hint: 'Name the issuer yourself (--issuer, TOGO_ISSUER, --env with your own config), or pass --trust-directory-config if this directory and its togo.config.json are yours.',
  },
  SETTING_MISSING: {
    exit: EXIT.USAGE,
    hint: 'Pass it as a flag, set its TOGO_* variable, or add it to an environment in togo.config.json.',
  },
  SESSION_INVALID: {
    exit: EXIT.USAGE,
    hint: 'A session file is what `togo login --save <file>` writes: {"version":1,"issuer":…,"tokens":{…}}.',
  },
  STATE_INVALID: { exit: EXIT.USAGE, hint: 'Togo ID expects state to be 16 to 32 letters and digits.' },
  TOKEN_MALFORMED: {
    exit: EXIT.USAGE,
    hint: 'A JWT is three base64url parts joined by dots: header.payload.signature.',
  },
  TOKEN_MISSING: {
    exit: EXIT.USAGE,
    hint: 'Pass the token as an argument, or `-` to read it from standard input.',
  },
  TOKEN_IS_JWE: {
    exit: EXIT.USAGE,
    hint: 'This is an encrypted token (JWE, five parts); only the provider or the API it was made for can read it.',
  },
  URL_MALFORMED: {
    exit: EXIT.USAGE,
    hint: 'Quote the URL in the shell so that & and # are not interpreted.',
  },
  USAGE: { exit: EXIT.USAGE, hint: 'Run `togo <command> --help` to see its flags and examples.' },

  // exit 3: network or provider error
  DISCOVERY_INVALID: {
    exit: EXIT.NETWORK,
    hint: 'A discovery document is a JSON object (OpenID Connect Discovery §3); check the URL.',
  },
  ENDPOINT_INSECURE: {
    exit: EXIT.NETWORK,
    hint: "The provider's discovery document names a plain-http endpoint for an https issuer: anyone on the way could read what is sent there or serve keys of their own. The provider must publish https endpoints.",
  },
  HTTP_BODY_TOO_LARGE: { exit: EXIT.NETWORK, hint: 'Check that the URL points at the document itself.' },
  HTTP_CONTENT_TYPE: {
    exit: EXIT.NETWORK,
    hint: 'The server answered with something other than JSON; check the URL (a login page or a proxy?).',
  },
  HTTP_NOT_JSON: { exit: EXIT.NETWORK, hint: 'The body could not be parsed as JSON; check the URL.' },
  HTTP_REDIRECTS: { exit: EXIT.NETWORK, hint: 'The server redirected too often; check the URL.' },
  HTTP_STATUS: { exit: EXIT.NETWORK, hint: 'Check the URL; the server did not answer with 200.' },
  JWKS_FETCH_INVALID: {
    exit: EXIT.NETWORK,
    hint: 'The provider\'s jwks_uri must serve a JSON object with a "keys" array (RFC 7517 §5).',
  },
  NET_DNS: { exit: EXIT.NETWORK, hint: 'Check the host name and your DNS or proxy settings.' },
  NET_ERROR: { exit: EXIT.NETWORK, hint: 'Check the network and the URL; rerun with --debug for details.' },
  NET_REFUSED: {
    exit: EXIT.NETWORK,
    hint: 'Nothing listens there: check the host and port, or start the server.',
  },
  NET_RESET: { exit: EXIT.NETWORK, hint: 'The server closed the connection; try again or check a proxy.' },
  NET_TIMEOUT: {
    exit: EXIT.NETWORK,
    hint: 'The server did not answer in time; raise --timeout or check the URL.',
  },
  NET_TLS: {
    exit: EXIT.NETWORK,
    hint: 'For a private CA, pass --ca <file> or set NODE_EXTRA_CA_CERTS.',
  },
  PROVIDER_ENDPOINT_MISSING: {
    exit: EXIT.NETWORK,
    hint: 'The discovery document does not advertise this endpoint; the provider may not offer it.',
  },
  PROVIDER_ERROR: { exit: EXIT.NETWORK, hint: 'The provider answered with an error; see the message.' },
  TOKEN_REJECTED: {
    exit: EXIT.NETWORK,
    hint: 'The access token expired or lacks the openid scope; log in again (togo login) with scope openid.',
  },

  // exit 4: login not completed
  LOGIN_CANCELLED: { exit: EXIT.LOGIN, hint: 'Start the login again when ready.' },
  LOGIN_INTERACTION_REQUIRED: {
    exit: EXIT.LOGIN,
    hint: '--headless needs a provider that signs in without a person (e.g. `togo mock --auto-login <email>`); use --open for a real login page.',
  },
  LOGIN_PROVIDER_ERROR: { exit: EXIT.LOGIN, hint: 'See the error the provider sent back.' },
  LOGIN_TIMEOUT: {
    exit: EXIT.LOGIN,
    hint: 'Likely causes: redirect URI not registered, unknown client, or a scope the client may not request.',
  },
  LOGOUT_TIMEOUT: {
    exit: EXIT.LOGIN,
    hint: 'Likely causes: post-logout redirect URI not registered for the client, an expired or unknown id_token_hint, or the logout page still waiting for confirmation.',
  },
  SESSION_NOT_FOUND: {
    exit: EXIT.LOGIN,
    hint: 'Run `togo login` for this environment: it keeps the session that `togo token` serves.',
  },

  // exit 70: a bug in togo
  INTERNAL: { exit: EXIT.INTERNAL, hint: 'This is a bug in togo; rerun with --debug and report it.' },

  // exit 130: interrupted
  // Ctrl-C needs no advice: the error line is all.
  INTERRUPTED: { exit: EXIT.INTERRUPTED, hint: '' },
} as const satisfies Record<string, CodeSpec>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface TogoErrorOptions {
  hint?: string;
  cause?: unknown;
  /** Evidence for --json and --debug: the status, the start of a body, the claim… */
  details?: Record<string, unknown>;
}

/**
 * Marks every TogoError, so that `instanceof TogoError` holds across separately bundled copies of
 * this module (each command of the CLI is its own bundle, loaded only when it runs).
 */
const BRAND = Symbol.for('togo.error');

export class TogoError extends Error {
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }

  readonly [BRAND] = true;
  readonly code: ErrorCode;
  readonly hint: string;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: TogoErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TogoError';
    this.code = code;
    this.hint = options.hint ?? ERROR_CODES[code].hint;
    this.details = options.details;
  }

  get exitCode(): ExitCode {
    return ERROR_CODES[this.code]?.exit ?? EXIT.INTERNAL;
  }

  /**
   * The error as output shows it (--json on stdout): credentials in the message and the details
   * (id_token_hint, code, tokens, client secrets and assertions) redacted, never printed unasked.
   */
  toJSON(): { code: ErrorCode; message: string; hint: string; details?: Record<string, unknown> } {
    return {
      code: this.code,
      message: redactText(this.message),
      hint: this.hint,
      ...(this.details ? { details: redactValue(this.details) as Record<string, unknown> } : {}),
    };
  }

  /** The message as output shows it, credentials redacted. */
  get shownMessage(): string {
    return redactText(this.message);
  }
}

export function isTogoError(error: unknown): error is TogoError {
  return error instanceof TogoError;
}

/** Turns anything thrown into a TogoError; what is not one already is a bug (INTERNAL). */
export function toTogoError(error: unknown): TogoError {
  if (isTogoError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new TogoError('INTERNAL', `unexpected error: ${message}`, { cause: error });
}
