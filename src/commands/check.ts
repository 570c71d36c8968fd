import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CheckFlags } from '../cli/commands/check.js';
import type { Ctx } from '../cli/context.js';
import { TogoError } from '../errors.js';
import { httpClientFor } from '../http/for-run.js';
import { type Baseline, compareBaseline, parseBaseline } from '../oidc/baseline.js';
import { type CheckResult, checkDistinctKeys, checkExpectations, lintResults } from '../oidc/checks.js';
import { DISCOVERY_CHECKS } from '../oidc/discovery-lint.js';
import { JWKS_CHECKS, type Jwk } from '../oidc/jwks-lint.js';
import { inspectProvider } from '../provider/inspect.js';
import { failedCheck, otherKeys, type ProbeClient, probeAuthorize, probeCors } from '../provider/probes.js';
import { resolveIssuer } from '../provider/target.js';
import { checkJson, githubAnnotations, renderCheckTable, renderJunit } from '../ui/check.js';

export async function checkCommand(ctx: Ctx, arg: string | undefined, flags: CheckFlags): Promise<number> {
  // Resolve everything a user can get wrong before going on the network.
  const issuer = resolveIssuer(arg, flags, ctx.env, 'check');
  const client = probeClient(flags, ctx.env);
  const baseline = flags.baseline ? readBaseline(resolve(ctx.cwd, flags.baseline)) : undefined;
  const origin = flags.origin ? parseOrigin(flags.origin) : undefined;
  const other = flags.distinctKeysFrom;
  if (other !== undefined && !/^https?:\/\//.test(other)) {
    throw new TogoError('USAGE', `--distinct-keys-from takes an issuer URL, not "${other}"`, {
      hint: 'Pass the other environment’s issuer, e.g. https://id2.runswithtogo.com/identity.',
    });
  }

  if (other !== undefined && other.replace(/\/$/, '') === issuer.replace(/\/$/, '')) {
    throw new TogoError('USAGE', '--distinct-keys-from names the provider being checked', {
      hint: 'Pass the issuer of another environment, e.g. production when checking staging.',
    });
  }

  const http = httpClientFor(ctx, flags);
  try {
    ctx.note(ctx.styleErr.dim(`Checking ${issuer}…`));
    // Independent requests run in parallel: this provider, and the one whose keys must differ.
    const [inspection, theirKeys] = await Promise.all([
      inspectProvider(http, issuer, { strict: flags.strict === true }),
      other === undefined
        ? undefined
        : otherKeys(http, other).catch((error: unknown) => failedCheck('keys.distinct', other, error)),
    ]);
    const { discovery, jwks, findings } = inspection;
    const m = discovery.metadata;
    const checks: CheckResult[] = [
      ...lintResults(DISCOVERY_CHECKS, findings),
      ...lintResults(JWKS_CHECKS, findings),
    ];
    checks.push(
      ...checkExpectations(m, {
        responseTypes: flags.expectResponseType,
        scopes: flags.expectScope,
        claims: flags.expectClaim,
        grants: flags.expectGrant,
        algs: flags.expectAlg,
      }),
    );
    if (baseline)
      checks.push(
        ...compareBaseline(
          baseline,
          m,
          jwks?.jwks.keys.map((k) => k.kid).filter((k): k is string => typeof k === 'string'),
        ),
      );

    const [probe, cors] = await Promise.all([
      client ? probeAuthorize(http, m, client) : undefined,
      origin ? probeCors(http, discovery, jwks?.url, origin) : undefined,
    ]);
    if (probe) checks.push(probe);
    if (cors) checks.push(...cors);
    // Integration point for `--id-token <token|file>`: verify it against jwks and the expectations with
    // the verifier in src/oidc/verify.ts, and push its result as an `id-token.*` check here.
    if (theirKeys !== undefined) {
      checks.push(
        Array.isArray(theirKeys)
          ? checkDistinctKeys((jwks?.jwks.keys ?? []) as Jwk[], theirKeys, other ?? '')
          : theirKeys,
      );
    }

    if (flags.junit)
      writeJunit(resolve(ctx.cwd, flags.junit), renderJunit(issuer, checks, new Date(ctx.now())));
    if (ctx.env.GITHUB_ACTIONS === 'true') {
      // Annotations on stdout, where the runner reads them; with --json, stdout holds the document only.
      const out = ctx.json ? ctx.stderr : ctx.stdout;
      for (const line of githubAnnotations(checks)) out.write(`${line}\n`);
    }
    if (ctx.json) ctx.printJson(checkJson(issuer, checks));
    else ctx.print(renderCheckTable(issuer, checks, ctx.style));
    return checks.some((c) => c.status === 'fail') ? 1 : 0;
  } finally {
    await http.close();
  }
}

/** The probe runs when a client id is known; it then needs the redirect URI too. */
function probeClient(flags: CheckFlags, env: Record<string, string | undefined>): ProbeClient | undefined {
  const clientId = flags.clientId ?? (env.TOGO_CLIENT_ID || undefined);
  const redirectUri = flags.redirectUri ?? (env.TOGO_REDIRECT_URI || undefined);
  if (!clientId) return undefined;
  if (!redirectUri) {
    throw new TogoError('USAGE', 'the client probe needs the redirect URI', {
      hint: 'Pass --redirect-uri (or set TOGO_REDIRECT_URI) with a redirect URI registered for the client.',
    });
  }
  try {
    new URL(redirectUri);
  } catch {
    throw new TogoError('URL_MALFORMED', `--redirect-uri is not a URL: ${redirectUri}`);
  }
  return {
    clientId,
    redirectUri,
    responseType: flags.responseType ?? 'code',
    scope: flags.scope ?? 'openid',
  };
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

function readBaseline(file: string): Baseline {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new TogoError('INPUT_UNREADABLE', `cannot read the baseline ${file}`, {
      cause: error,
      hint: 'Make one with `togo discover <issuer> --json > baseline.json`.',
    });
  }
  let parsed: Baseline | undefined;
  try {
    parsed = parseBaseline(JSON.parse(text));
  } catch {
    parsed = undefined;
  }
  if (!parsed) {
    throw new TogoError('INPUT_UNREADABLE', `the baseline ${file} is not a discovery document`, {
      hint: 'Make one with `togo discover <issuer> --json > baseline.json`.',
    });
  }
  return parsed;
}

function writeJunit(file: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch (error) {
    throw new TogoError('INPUT_UNREADABLE', `cannot write the JUnit report to ${file}`, {
      cause: error,
      hint: 'Check that the folder exists and is writable.',
    });
  }
}
