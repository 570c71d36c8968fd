/**
 * Every command's name, summary, argument and description (one paragraph a string), in one table:
 * what `togo --help`, each command's --help, completion and the generated pages say of it. A
 * command's folder declares its flags and examples and runs its body; what it is for is said here.
 */
import type { CommandMeta } from './shared/kit.js';

/** togo logout's default post-logout redirect URI (a free port is chosen at run time). */
export const DEFAULT_POST_LOGOUT_REDIRECT_URI = 'http://127.0.0.1/logout-callback';

/** The shells `togo completion` writes a script for. */
export const SHELLS = ['bash', 'zsh', 'fish'] as const;

/** What `togo config` does: its first argument. */
export const CONFIG_ACTIONS = ['show', 'list', 'set', 'unset', 'add-env', 'use'] as const;

export const loginMeta: CommandMeta = {
  name: 'login',
  summary: 'run a whole login and verify the result (browser, or --headless)',
  description: [
    "Run the login for the environment: compose the login URL (Togo or standard flavor), listen on the loopback redirect URI, let the browser capture the response (fragment, query or form_post), verify state, the ID token (signature with the provider's keys, iss, aud, azp, exp, iat, nonce, at_hash, c_hash), exchange a code with PKCE, and show the tokens as `togo decode` does. A redirect URI without a port listens on a free port (providers accept any loopback port, RFC 8252); with a port, on that port.",
    'The login URL and the redirect URI go to stderr (with --headless, only with --verbose); the result to stdout: a summary (who signed in, organizations and roles, the tokens, failed and warned checks, the verdict, where the session went), or with --verbose the whole report. Exit 0 when the login completed and every check passed, 1 when a check failed, 3 on network errors, 4 when the login did not complete (provider error, timeout), 130 on Ctrl-C.',
  ],
};

export const decodeMeta: CommandMeta = {
  name: 'decode',
  summary: 'decode, explain and verify a JWT (ID token, access token)',
  args: '[token]',
  description: [
    "Decode a JWT and explain it: header, claims with readable times, the scope behind each standard claim, and custom claims expanded (Togo ID's `user` organizations and roles, Logto's organizations and roles). With --verify, check it as OpenID Connect Core requires and report every check.",
    'The token can be the token itself, `-` for standard input, `Bearer <token>`, an `Authorization:` header line, or a whole redirect URL or fragment (`https://app/cb#state=…&id_token=…`).',
  ],
};

export const loginUrlMeta: CommandMeta = {
  name: 'login-url',
  summary: "compose a login URL (Togo ID login page, or any provider's authorize URL)",
  description: [
    'Compose the URL that starts a login, with fresh state, nonce and (for code flows) a PKCE S256 verifier.',
    'Togo flavor: <base>/login?profile=…&behaviourProfile=…&client_id=…&ReturnUrl=<the authorize URL, percent-encoded once more>. Standard flavor: the authorization endpoint with the parameters.',
    'Output: the URL alone on the first line of stdout, so URL=$(togo login-url) works. The parameter table follows on stdout when it is a terminal, on stderr otherwise (silenced by -q); --url-only drops it. --json prints { url, state, nonce, codeVerifier, redirectUri, params }.',
  ],
};

export const inspectUrlMeta: CommandMeta = {
  name: 'inspect-url',
  summary: 'explain a login or authorize URL and flag its problems',
  args: '[url]',
  description: [
    'Parse a Togo ID login URL or any authorization URL, decode the nested ReturnUrl, list every parameter and flag problems with a status (FAIL, WARN, INFO) and a hint: ReturnUrl encoded twice or not at all, missing profile, behaviourProfile, client_id or nonce, client_id mismatch, state rules, query mode with tokens, insecure or localhost redirect URIs, scope without openid, IdentityServer length limits.',
    'Exit 1 when a FAIL finding exists, 2 when the URL cannot be parsed.',
  ],
};

export const discoverMeta: CommandMeta = {
  name: 'discover',
  summary: "fetch and lint a provider's discovery document and keys",
  args: '[issuer]',
  description: [
    "Fetch a provider's discovery document and JWKS, show them readably, and lint both: every finding has a stable id (disc.*, jwks.*), a status (FAIL, WARN, INFO) and a hint. Exit 1 when a FAIL finding exists, 3 when the document cannot be fetched.",
    "The issuer can be an issuer, a base URL or the full well-known URL. The OpenID Connect location (issuer + /.well-known/openid-configuration) is tried first, then RFC 8414's. http is accepted for loopback hosts (with a warning) so local providers work.",
  ],
};

export const checkMeta: CommandMeta = {
  name: 'check',
  summary: 'gate CI on a provider: lint, expectations, baseline drift, client probe, CORS, distinct keys',
  args: '[issuer]',
  description: [
    'Run every check that needs no user against a provider and report each by name; exit 1 when one fails, 3 when the provider cannot be reached.',
    "Always: the discovery and JWKS lint of `togo discover`. On request: expected values (--expect-*), drift against a saved `togo discover --json` (--baseline), a probe of the authorize endpoint for the configured client (--client-id and --redirect-uri, or the environment's), an ID token verified against the live keys (--id-token), CORS for a browser origin (--origin), and signing keys shared with another environment (--distinct-keys-from).",
    'Output: a table, --json, --junit <file>; GitHub Actions annotations when GITHUB_ACTIONS=true.',
  ],
};

export const callbackMeta: CommandMeta = {
  name: 'callback',
  summary: 'complete a split login: verify the redirect URL pasted from another machine',
  args: '<redirect-url>',
  description: [
    'The second half of a split login. `togo login-url --save pending.json` composed the URL and kept its state, nonce and PKCE verifier; the URL was opened on another machine; paste the URL the browser was sent back to (or `-` to read it from standard input). It is verified exactly as `togo login` verifies a response.',
  ],
};

export const mockMeta: CommandMeta = {
  name: 'mock',
  summary: 'run a local Togo ID emulator (a real OpenID provider) for tests',
  description: [
    "Run a local emulator of Togo ID on panva's oidc-provider, a certified OpenID provider. The issuer is http://<host>:<port>/identity, with discovery, JWKS and /identity/connect/* endpoints where Togo ID has them, and Togo ID's login page at /identity/login (profile, behaviourProfile, client_id, ReturnUrl). ID tokens are RS256 and carry the `user` claim (organizations and roles) as a JSON string.",
    'Prints the issuer, the discovery URL, the clients and the test users, then serves until Ctrl-C (exit 0). With --fault it misbehaves on purpose, so you can test that your application catches each failure.',
  ],
};

export const conformanceMeta: CommandMeta = {
  name: 'conformance',
  summary: 'test your own application against every emulator fault, in a real browser',
  description: [
    'Start the Togo ID emulator, then log in to your application through it in headless Chromium once without a fault and once per fault, and report which forged, expired, misaddressed or replayed ID tokens your application accepted.',
    'Needs Chromium (Debian: apt-get install chromium, or name it with TOGO_CHROMIUM); togo drives it with playwright-core and downloads no browser.',
  ],
};

export const userinfoMeta: CommandMeta = {
  name: 'userinfo',
  summary: "call the provider's userinfo endpoint with the access token; check sub against the ID token",
  description: [
    "Call the userinfo endpoint (from the issuer's discovery document) with `Authorization: Bearer <access token>` and show the claims as togo decode does, Togo ID's `user` claim expanded. JSON and signed (application/jwt) responses are read; a signed one is verified like any token: the signature with the provider's keys, iss, aud (the client id) and its times.",
    "When an ID token is at hand (the session file's, or --id-token), the userinfo sub must equal the ID token's (OpenID Connect Core §5.3.2): a mismatch exits 1. A 401 exits 3: the access token expired or lacks the openid scope.",
  ],
};

export const tokenMeta: CommandMeta = {
  name: 'token',
  summary: 'print a currently valid token for scripts, CI and kubectl (stored, refreshed or new)',
  description: [
    'Print one currently valid token for the environment and nothing else on stdout, ready for $(…): the access token, or the ID token with --use id_token.',
    'Where it comes from, in order: the session `togo login` kept for the issuer and client, when the token has at least --min-ttl seconds left (no network request); else a refresh with its refresh token (refresh_token grant; a rotated refresh token replaces the old one; an ID token from the refresh is verified as a login verifies it and must name the same user, else the session is removed); else, with --client-credentials or `"grant": "client_credentials"` in the environment\'s config, a new token from the client_credentials grant (a confidential client: TOGO_CLIENT_SECRET). Otherwise exit 4 with the `togo login` to run.',
    "Never interactive unless --login is given: then, when nothing stored can serve, the login runs first (as `togo login` with the environment's settings; its URL and verdict go to stderr) and its token is printed.",
    'Two runs at once never both refresh: a lock file beside the session makes the second wait and read the result.',
  ],
};

export const sessionsMeta: CommandMeta = {
  name: 'sessions',
  summary: 'list the sessions `togo login` kept (never a token)',
  description: [
    'List the sessions in the store ($XDG_STATE_HOME/togo, else ~/.local/state/togo): issuer, client, user, scopes, and when the access token expires. Tokens are never printed; `togo token` prints one.',
  ],
};

export const apiMeta: CommandMeta = {
  name: 'api',
  summary: 'call an API with Authorization: Bearer <token>, like curl',
  args: '<url>',
  description: [
    "Call an API with `Authorization: Bearer <token>`. Which token goes by the provider's flavor (--flavor, the environment, or the session file): Togo ID's APIs take the ID token, as Togo ID documents; a standard provider's APIs take the access token. --use overrides either. The token comes from --token, --token-file, --session or TOGO_TOKEN; an explicit -H 'Authorization: …' replaces it.",
    'Like curl: -X sets the method, -H adds a header (repeatable), -d sends a body (@file reads a file, @- standard input; POST by default, and application/json when the body parses as JSON), -i prints the status line and headers before the body, -L follows redirects. A redirect to another origin never gets the Authorization header.',
    'The status goes to stderr and the body to stdout, JSON pretty-printed. Exit 0 for 1xx-3xx, 1 for 4xx and 5xx (so scripts and CI fail on an error status), 3 when the API refuses the token (401, TOKEN_REJECTED, as userinfo) or the request itself fails (DNS, refused, TLS, timeout).',
  ],
};

export const logoutUrlMeta: CommandMeta = {
  name: 'logout-url',
  summary: 'compose the RP-initiated logout URL (end_session_endpoint with id_token_hint)',
  description: [
    "Compose the URL that signs the user out at the provider (OpenID Connect RP-Initiated Logout): the provider's end_session_endpoint, from discovery, with id_token_hint, post_logout_redirect_uri, state and client_id.",
    'The ID token comes from --token, --token-file, --session or TOGO_TOKEN; without one the URL is still composed, with a warning (IdentityServer, hence Togo ID, redirects back only with id_token_hint).',
    'Output: the URL alone on the first line of stdout, so URL=$(togo logout-url …) works; the parameters follow on stderr. --json prints { url, state, endSessionEndpoint, postLogoutRedirectUri, params, warnings }.',
  ],
};

export const logoutMeta: CommandMeta = {
  name: 'logout',
  summary: 'sign out at the provider and wait for the post-logout redirect on loopback',
  description: [
    'Sign out at the provider: compose the logout URL (as togo logout-url), listen on the loopback post-logout redirect URI, open the URL (--open, or --browser <command>), and wait for the provider to send the browser back with the same state.',
    `The post-logout redirect URI defaults to ${DEFAULT_POST_LOGOUT_REDIRECT_URI} on a free port (RFC 8252 §7.3); it must be registered for the client. Without --open, --browser or --headless the URL is shown on stderr for you to open; it carries the ID token, so it never goes to stdout (stdout gets the result only).`,
    'Exit 0 when the redirect arrives with the right state; a redirect with a wrong state is refused and the wait goes on (exit 1 if no right one follows); exit 4 when nothing arrives in time; 130 on Ctrl-C.',
  ],
};

export const introspectMeta: CommandMeta = {
  name: 'introspect',
  summary: 'ask the provider whether a token is active (RFC 7662) and what it grants',
  description: [
    "POST the token to the provider's introspection_endpoint (from discovery) and show the answer: active, scope, client, subject, expiry as a readable date.",
    'The client authenticates as it would at the token endpoint: with TOGO_CLIENT_SECRET set, client_secret_basic (client_secret_post when the provider does not list basic); without it, as a public client (client_id in the body), which providers let introspect only its own tokens.',
    'Exit 0 when the token is active, 1 when it is not (expired, revoked, unknown), 3 when the provider refuses or fails.',
  ],
};

export const revokeMeta: CommandMeta = {
  name: 'revoke',
  summary: 'revoke an access or refresh token at the provider (RFC 7009)',
  description: [
    "POST the token to the provider's revocation_endpoint (from discovery), authenticating the client as togo introspect does (TOGO_CLIENT_SECRET for a confidential client).",
    'The token is never printed: togo names it by kind, subject and a short SHA-256 fingerprint. The provider answers 200 for tokens it does not know too (RFC 7009 §2.2); `togo introspect` tells whether a token is still active.',
  ],
};

export const demoMeta: CommandMeta = {
  name: 'demo',
  summary: 'the whole login, offline: the built-in Togo ID emulator and a headless login against it',
  description: [
    'Start the Togo ID emulator in-process (the test user signs in automatically), run `togo login --headless` against it, and print the verified ID token with its organizations and roles. No network, no browser.',
  ],
};

export const configMeta: CommandMeta = {
  name: 'config',
  summary: 'show and change the settings: environments, the default one, each value',
  args: '[action] [args...]',
  words: CONFIG_ACTIONS,
  description: [
    'Show the resolved settings (issuer, client id, redirect URI, …) and the source of each one, or change them.',
    'Actions: show (the default): the settings in effect. list: the environments with their issuer and client, the current one marked. set KEY VALUE: a setting of the current environment (--env, else the default one). unset KEY: remove it. add-env NAME --issuer URL --client-id ID [--extends ENV]: a new environment. use NAME: make it the default environment.',
    'Changes go to the user config file ($XDG_CONFIG_HOME/togo/togo.config.json, else ~/.config/togo/togo.config.json), to the file named by --config or TOGO_CONFIG, or with --project to ./togo.config.json. The file is rewritten whole, keeping the order of its keys, and replaced in one step; secrets are never written (TOGO_CLIENT_SECRET stays in the environment). Built-in environments (togo-production, togo-staging, mock) are not changed: add your own with --extends.',
    'Precedence, highest first: flags; environment variables (TOGO_ISSUER, TOGO_CLIENT_ID, …); the selected environment in ./togo.config.json, then in the user config directory; the built-in environment of that name; defaults. The environment is --env, else TOGO_ENV, else the file\'s "defaultEnvironment", else togo-production (unless an issuer is given).',
  ],
};

export const completionMeta: CommandMeta = {
  name: 'completion',
  summary: 'print a shell completion script (bash, zsh, fish)',
  args: '<shell>',
  words: SHELLS,
  description: [
    'Print a completion script for bash, zsh or fish, generated from the command tree: commands, flags, environment names (built-in and from your config files), the values of --use, --response-type, --response-mode, --flavor and the fault names of `togo mock --fault`.',
    'Install: bash: `togo completion bash > ~/.local/share/bash-completion/completions/togo`; zsh: `source <(togo completion zsh)` in ~/.zshrc; fish: `togo completion fish > ~/.config/fish/completions/togo.fish`. Environment names are read when the script is generated: run it again after `togo config add-env`.',
  ],
};
