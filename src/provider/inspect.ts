import type { Check } from '../check.js';
import { isTogoError } from '../errors.js';
import type { HttpClient } from '../http/client.js';
import { lintDiscovery } from '../oidc/discovery-lint.js';
import { type Jwk, jwksFetchCheck, lintJwks } from '../oidc/jwks-lint.js';
import { type Discovery, type FetchedJwks, fetchDiscovery, fetchJwks } from './discovery.js';

export interface Inspection {
  discovery: Discovery;
  /** Undefined when the document names no jwks_uri or the JWKS could not be fetched (see findings). */
  jwks: FetchedJwks | undefined;
  findings: Check[];
}

/**
 * Fetches a provider's discovery document and JWKS and lints both. A discovery document that cannot
 * be fetched is an error (exit 3); a JWKS that cannot be fetched is a finding (jwks.fetch), since
 * the document that points at it has been judged already.
 */
export async function inspectProvider(
  http: HttpClient,
  issuerOrUrl: string,
  opts: { strict?: boolean; publicClient?: boolean; discovery?: Discovery } = {},
): Promise<Inspection> {
  const discovery = opts.discovery ?? (await fetchDiscovery(http, issuerOrUrl));
  const m = discovery.metadata;
  const findings = lintDiscovery({
    url: discovery.url,
    expectedIssuer: discovery.expectedIssuer,
    location: discovery.location,
    status: discovery.status,
    contentType: discovery.contentType,
    metadata: m,
    strict: opts.strict === true,
    publicClient: opts.publicClient === true,
  });
  let jwks: FetchedJwks | undefined;
  if (typeof m.jwks_uri === 'string') {
    try {
      jwks = await fetchJwks(http, m.jwks_uri);
    } catch (error) {
      if (!isTogoError(error) || error.code === 'INTERRUPTED') throw error;
      findings.push(jwksFetchCheck(error));
    }
  }
  if (jwks) {
    const algs = m.id_token_signing_alg_values_supported;
    findings.push(
      ...lintJwks({
        keys: jwks.jwks.keys as Jwk[],
        ...(Array.isArray(algs)
          ? { signingAlgs: algs.filter((a): a is string => typeof a === 'string') }
          : {}),
      }),
    );
  }
  return { discovery, jwks, findings };
}
