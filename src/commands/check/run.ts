import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Check } from '../../check.js';
import type { ConfigOptionValues } from '../../config/resolve.js';
import { howToSet, type Settings } from '../../config/resolve.js';
import { resolveOtherIssuer, resolveTarget } from '../../config/target.js';
import { ERROR_CODES, TogoError, toTogoError } from '../../errors.js';
import type { HttpClient } from '../../http/client.js';
import { type Baseline, compareBaseline, parseBaseline } from '../../oidc/baseline.js';
import { checkDistinctKeys, checkExpectations, lintResults } from '../../oidc/check-probes.js';
import { DISCOVERY_CHECKS } from '../../oidc/discovery-lint.js';
import { JWKS_CHECKS, type Jwk } from '../../oidc/jwks-lint.js';
import { MAX_TOKEN_BYTES, tokenFromInput } from '../../oidc/token.js';
import { type Inspection, inspectProvider } from '../../provider/inspect.js';
import { jwksUrlSource } from '../../provider/keys.js';
import {
  failedCheck,
  otherKeys,
  type ProbeClient,
  probeAuthorize,
  probeCors,
} from '../../provider/probes.js';
import {
  checkJson,
  errorCheck,
  githubAnnotations,
  renderCheckTable,
  renderJunit,
} from '../../ui/check-report.js';
import { t } from '../../ui/safe.js';
import { settingsWhere } from '../shared/config-flags.js';
import type { Ctx } from '../shared/context.js';
import { checkReportTarget, writeReportFile } from '../shared/files.js';
import { httpFor } from '../shared/http.js';
import { readTokenArgument } from '../shared/input.js';
import type { CheckFlags } from './command.js';

export async function checkCommand(
  ctx: Ctx,
  arg: string | undefined,
  config: ConfigOptionValues,
  flags: CheckFlags,
): Promise<number> {
  if (flags.junit) checkReportTarget(resolve(ctx.cwd, flags.junit));
  try {
    return await runChecks(ctx, arg, config, flags);
  } catch (error) {
    // A run that could not check anything (provider down, unreachable, a broken config) still
    // leaves its reports: the JUnit file holds a failing testcase and GitHub Actions gets an
    // ::error annotation naming the error. The error itself is reported as usual, same exit code.
    const err = toTogoError(error);
    if (err.code === 'OUTPUT_REFUSED' || err.code === 'OUTPUT_UNWRITABLE') throw err;
    const failed = [errorCheck(err.code, err.message, err.hint)];
    try {
      await reportChecks(ctx, arg ?? '(no issuer)', failed, flags);
    } catch {
      // the JUnit file cannot be written either: the original error is the one to report
    }
    throw err;
  }
}

async function runChecks(
  ctx: Ctx,
  arg: string | undefined,
  config: ConfigOptionValues,
  flags: CheckFlags,
): Promise<number> {
  // Resolve everything a user can get wrong before going on the network.
  const { issuer, settings } = await resolveTarget(settingsWhere(ctx), arg, config);
  const client = probeClient(settings);
  const baseline = flags.baseline ? await readBaseline(resolve(ctx.cwd, flags.baseline)) : undefined;
  const origin = flags.origin ? parseOrigin(flags.origin) : undefined;
  const idToken = flags.idToken === undefined ? undefined : await readIdToken(ctx, flags.idToken);
  const other =
    flags.distinctKeysFrom === undefined
      ? undefined
      : await resolveOtherIssuer(settingsWhere(ctx), flags.distinctKeysFrom, config);
  if (other !== undefined && other.replace(/\/$/, '') === issuer.replace(/\/$/, '')) {
    throw new TogoError('USAGE', '--distinct-keys-from names the provider being checked', {
      hint: 'Pass the issuer or environment of another provider, e.g. togo-production when checking staging.',
    });
  }

  const http = httpFor(ctx, { timeoutMs: flags.timeout * 1000, ...(flags.ca ? { caFile: flags.ca } : {}) });
  ctx.note(ctx.styleErr.dim(`Checking ${issuer}…`));
  // Independent requests run in parallel: this provider, and the one whose keys must differ.
  const [inspection, theirKeys] = await Promise.all([
    inspectProvider(http, issuer, {
      strict: flags.strict === true,
      publicClient: client !== undefined && !settings.clientSecret,
    }),
    other === undefined
      ? undefined
      : otherKeys(http, other).catch((error: unknown) => failedCheck('keys.distinct', other, error)),
  ]);
  const { discovery, jwks, findings } = inspection;
  const m = discovery.metadata;
  const checks: Check[] = [...lintResults(DISCOVERY_CHECKS, findings), ...lintResults(JWKS_CHECKS, findings)];
  checks.push(
    ...checkExpectations(m, {
      responseTypes: flags.expectResponseType,
      scopes: flags.expectScope,
      claims: flags.expectClaim,
      grants: flags.expectGrant,
      algs: flags.expectAlg,
    }),
  );
  if (baseline) {
    const kids = jwks?.jwks.keys.map((k) => k.kid).filter((k): k is string => typeof k === 'string');
    checks.push(...compareBaseline(baseline, m, kids));
  }

  const [probe, cors, token] = await Promise.all([
    // A pushed probe carries the client's credentials: only to the issuer the document was fetched for.
    client ? probeAuthorize(http, discovery.expectedIssuer ?? issuer, m, client) : undefined,
    origin ? probeCors(http, discovery, jwks?.url, origin) : undefined,
    idToken === undefined
      ? undefined
      : verifyToken(ctx, http, inspection, settings, idToken, flags.clockSkew),
  ]);
  if (probe) checks.push(probe);
  if (token) checks.push(...token);
  if (cors) checks.push(...cors);
  if (theirKeys !== undefined && other !== undefined) {
    checks.push(
      Array.isArray(theirKeys)
        ? checkDistinctKeys((jwks?.jwks.keys ?? []) as Jwk[], theirKeys, other)
        : theirKeys,
    );
  }

  await reportChecks(ctx, issuer, checks, flags);
  if (ctx.json) ctx.printJson(checkJson(issuer, checks));
  else ctx.print(renderCheckTable(issuer, checks, ctx.style));
  return checks.some((c) => c.status === 'fail') ? 1 : 0;
}

/** The CI reports: the JUnit file (--junit) and GitHub Actions annotations (GITHUB_ACTIONS=true). */
async function reportChecks(ctx: Ctx, issuer: string, checks: Check[], flags: CheckFlags): Promise<void> {
  if (ctx.env.GITHUB_ACTIONS === 'true') {
    // The runner reads workflow commands from stdout and stderr; with --json, stdout holds the document only.
    // Each line escaped like all output: a provider's text cannot write a workflow command of its own.
    const out = ctx.json ? ctx.printErr : ctx.print;
    for (const line of githubAnnotations(checks)) out(t`${line}`);
  }
  if (flags.junit)
    await writeReportFile(resolve(ctx.cwd, flags.junit), renderJunit(issuer, checks, new Date(ctx.now())));
}

/** The probe runs when a client id is configured; it then needs the redirect URI too. */
function probeClient(s: Settings): ProbeClient | undefined {
  if (!s.clientId) return undefined;
  if (!s.redirectUri) {
    throw new TogoError('SETTING_MISSING', 'the client probe needs the redirect URI', {
      hint: `A redirect URI registered for ${s.clientId}: ${howToSet('redirectUri')}`,
    });
  }
  return {
    clientId: s.clientId,
    redirectUri: s.redirectUri,
    responseType: s.responseType,
    scope: s.scope,
    flavor: s.flavor,
    ...(s.clientSecret ? { clientSecret: s.clientSecret } : {}),
  };
}

/**
 * The ID token against the live keys and the provider's own claims: the verifier (D1–D16) with
 * the discovered issuer, the configured client as audience, and the advertised algorithms.
 */
async function verifyToken(
  ctx: Ctx,
  http: HttpClient,
  { discovery, jwks }: Inspection,
  settings: Settings,
  input: string,
  clockSkew: number,
): Promise<Check[]> {
  const { verifyIdToken } = await import('../../oidc/verify.js');
  // A session file or JSON holding tokens, as every other command accepts, or the token itself.
  const { token } = tokenFromInput(input, 'id_token');
  const algs = discovery.metadata.id_token_signing_alg_values_supported;
  const expectedIssuer =
    discovery.expectedIssuer ??
    (typeof discovery.metadata.issuer === 'string' ? discovery.metadata.issuer : undefined);
  // The gate's transport rule (src/provider/gate.ts): keys an on-path proxy could replace verify nothing.
  const { insecureEndpoint } = await import('../../provider/gate.js');
  const insecure = jwks && expectedIssuer ? insecureEndpoint(expectedIssuer, jwks.url) : undefined;
  if (jwks && insecure) {
    return [
      {
        id: 'id-token.keys',
        status: 'fail',
        message: `the keys at ${jwks.url} are not used: ${insecure}`,
        hint: ERROR_CODES.ENDPOINT_INSECURE.hint,
      },
    ];
  }
  const verification = await verifyIdToken(token, {
    ...(jwks ? { keys: jwksUrlSource(http, jwks.url) } : {}),
    ...(expectedIssuer ? { issuer: expectedIssuer } : {}),
    ...(settings.clientId ? { audience: settings.clientId } : {}),
    ...(Array.isArray(algs) ? { allowedAlgs: algs.filter((a): a is string => typeof a === 'string') } : {}),
    clockSkew,
    now: ctx.now(),
  });
  return verification.checks.map((c) => ({
    id: `id-token.${c.id}`,
    status: c.status,
    message: `${c.name}: ${c.message}`,
    ...(c.status === 'fail' || c.status === 'warn'
      ? { hint: c.code ? ERROR_CODES[c.code].hint : 'See `togo decode --verify` for the whole report.' }
      : {}),
  }));
}

/** `-` is standard input; a path that exists is read; anything else is the token itself. */
async function readIdToken(ctx: Ctx, value: string): Promise<string> {
  if (value === '-') return readTokenArgument(ctx, '-');
  try {
    const text = await readFile(resolve(ctx.cwd, value), 'utf8');
    if (text.length > MAX_TOKEN_BYTES) {
      throw new TogoError(
        'INPUT_TOO_LARGE',
        `${value} is larger than ${Math.round(MAX_TOKEN_BYTES / 1024)} KiB`,
      );
    }
    return text.trim();
  } catch (error) {
    if (error instanceof TogoError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENAMETOOLONG') return value;
    throw new TogoError('INPUT_UNREADABLE', `cannot read ${value} (${code ?? 'error'})`, { cause: error });
  }
}

function parseOrigin(value: string): string {
  try {
    const url = new URL(value);
    if (url.origin !== 'null' && value.replace(/\/$/, '') === url.origin) return url.origin;
  } catch {
    // fall through
  }
  throw new TogoError(
    'USAGE',
    `--origin takes a browser origin such as https://app.example, not "${value}"`,
    {
      hint: 'An origin is scheme, host and port only: no path.',
    },
  );
}

async function readBaseline(file: string): Promise<Baseline> {
  const hint = 'Make one with `togo discover <issuer> --json > baseline.json`.';
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new TogoError('INPUT_UNREADABLE', `cannot read the baseline ${file}`, { cause: error, hint });
  }
  let parsed: Baseline | undefined;
  try {
    parsed = parseBaseline(JSON.parse(text));
  } catch {
    parsed = undefined;
  }
  if (!parsed)
    throw new TogoError('INPUT_UNREADABLE', `the baseline ${file} is not a discovery document`, { hint });
  return parsed;
}
