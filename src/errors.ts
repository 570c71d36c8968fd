/**
 * The one error type togo throws, and the closed list of codes it may carry.
 *
 * Every code maps to exactly one exit code. Adding a code means adding it here, with its exit code
 * and a default hint, and to the README's table (a test keeps the two in step).
 */

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
  CHECKS_FAILED: { exit: EXIT.CHECK_FAILED, hint: 'See the failed checks above.' },
  CLAIM_NOT_FOUND: {
    exit: EXIT.CHECK_FAILED,
    hint: 'List the claims with `togo decode <token>`; paths look like user.organizations.0.organization.name.',
  },
  DISCOVERY_ISSUER_MISMATCH: {
    exit: EXIT.CHECK_FAILED,
    hint: 'The document must name exactly the issuer it was fetched for (OpenID Connect Discovery §4.3).',
  },
  STATE_MISMATCH: {
    exit: EXIT.CHECK_FAILED,
    hint: 'The response belongs to another login request; start the login again.',
  },
  TOKEN_INVALID: { exit: EXIT.CHECK_FAILED, hint: 'See the failed checks above.' },

  // exit 2: usage error or unreadable input
  CONFIG_INVALID: {
    exit: EXIT.USAGE,
    hint: 'Fix the configuration file; `togo config` shows what is in effect.',
  },
  INPUT_TOO_LARGE: { exit: EXIT.USAGE, hint: 'Pass the token itself, not a file of logs or a binary.' },
  INPUT_UNREADABLE: { exit: EXIT.USAGE, hint: 'Check the path and its permissions.' },
  JWKS_INVALID: { exit: EXIT.USAGE, hint: 'A JWKS is a JSON object with a "keys" array (RFC 7517 §5).' },
  MOCK_CLIENTS_INVALID: {
    exit: EXIT.USAGE,
    hint: 'The clients file is a JSON array of oidc-provider client metadata (client_id, redirect_uris, …); see `togo mock --help`.',
  },
  MOCK_FAULT_UNKNOWN: { exit: EXIT.USAGE, hint: '`togo mock --help` lists every fault with what it does.' },
  MOCK_USERS_INVALID: {
    exit: EXIT.USAGE,
    hint: 'The users file is a JSON array of {sub, email, password, given_name, family_name, user}; see the README.',
  },
  PORT_IN_USE: {
    exit: EXIT.USAGE,
    hint: 'Stop the program using that port, or use a redirect URI with another port.',
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
  USAGE: { exit: EXIT.USAGE, hint: 'Run the command with --help to see its flags and examples.' },

  // exit 3: network or provider error
  HTTP_BODY_TOO_LARGE: { exit: EXIT.NETWORK, hint: 'Check that the URL points at the document itself.' },
  HTTP_CONTENT_TYPE: {
    exit: EXIT.NETWORK,
    hint: 'The server answered with something other than JSON; check the URL (a login page or a proxy?).',
  },
  HTTP_NOT_JSON: { exit: EXIT.NETWORK, hint: 'The body could not be parsed as JSON; check the URL.' },
  HTTP_REDIRECTS: { exit: EXIT.NETWORK, hint: 'The server redirected too often; check the URL.' },
  HTTP_STATUS: { exit: EXIT.NETWORK, hint: 'Check the URL; the server did not answer with 200.' },
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
  PROVIDER_ERROR: { exit: EXIT.NETWORK, hint: 'The provider answered with an error; see the message.' },

  // exit 4: login not completed
  LOGIN_CANCELLED: { exit: EXIT.LOGIN, hint: 'Start the login again when ready.' },
  LOGIN_PROVIDER_ERROR: { exit: EXIT.LOGIN, hint: 'See the error the provider sent back.' },
  LOGIN_TIMEOUT: {
    exit: EXIT.LOGIN,
    hint: 'Likely causes: redirect URI not registered, unknown client, or a scope the client may not request.',
  },

  // exit 70: a bug in togo
  INTERNAL: { exit: EXIT.INTERNAL, hint: 'This is a bug in togo; rerun with --debug and report it.' },

  // exit 130: interrupted
  INTERRUPTED: { exit: EXIT.INTERRUPTED, hint: 'Interrupted.' },
} as const satisfies Record<string, CodeSpec>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface TogoErrorOptions {
  hint?: string;
  cause?: unknown;
  /** Evidence for --json and --debug: the status, the start of a body, the claim… */
  details?: Record<string, unknown>;
}

export class TogoError extends Error {
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
    return ERROR_CODES[this.code].exit;
  }

  toJSON(): { code: ErrorCode; message: string; hint: string; details?: Record<string, unknown> } {
    return {
      code: this.code,
      message: this.message,
      hint: this.hint,
      ...(this.details ? { details: this.details } : {}),
    };
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
