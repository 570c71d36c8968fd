/**
 * Checks a request to Togo ID's login page (`/identity/login?profile=…&behaviourProfile=…&client_id=…
 * &ReturnUrl=…`) as the seed documents it, and explains every refusal in words a developer can act on.
 * Pure: no network, no provider.
 */

export interface LoginRequest {
  profile: string;
  behaviourProfile: string;
  clientId: string;
  /** Absolute authorize URL to continue to; undefined when no ReturnUrl was given (it is optional). */
  returnUrl: string | undefined;
  /** As received, to round-trip through the form. */
  rawReturnUrl: string | undefined;
}

export type LoginCheck =
  | { ok: true; request: LoginRequest }
  | { ok: false; message: string; details: Record<string, string> };

export interface LoginRules {
  /** This provider's authorization endpoint; ReturnUrl must lead there. */
  authorizationEndpoint: string;
  clientIds: readonly string[];
}

/** ASP.NET binds query parameters case-insensitively; Togo ID's login page does too. */
export function param(params: URLSearchParams, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [k, v] of params) if (k.toLowerCase() === wanted) return v;
  return undefined;
}

export function checkLoginRequest(params: URLSearchParams, rules: LoginRules): LoginCheck {
  const fail = (message: string, details: Record<string, string> = {}): LoginCheck => ({
    ok: false,
    message,
    details,
  });
  const profile = param(params, 'profile');
  const behaviourProfile = param(params, 'behaviourProfile');
  const clientId = param(params, 'client_id');
  const rawReturnUrl = param(params, 'ReturnUrl');
  if (!profile) return fail('profile is missing: Togo ID needs profile=togo (the style of the page).');
  if (!behaviourProfile) {
    return param(params, 'behaviorProfile')
      ? fail('behaviorProfile is spelt the British way on Togo ID: behaviourProfile=togo.')
      : fail('behaviourProfile is missing: Togo ID needs behaviourProfile=togo (note the British spelling).');
  }
  if (!clientId) return fail('client_id is missing.');
  if (!rules.clientIds.includes(clientId)) {
    return fail(`client_id "${clientId}" is not registered with this provider.`, {
      'registered clients': rules.clientIds.join(', '),
    });
  }
  if (rawReturnUrl === undefined || rawReturnUrl === '') {
    return { ok: true, request: { profile, behaviourProfile, clientId, returnUrl: undefined, rawReturnUrl } };
  }

  const endpoint = new URL(rules.authorizationEndpoint);
  let target: URL | undefined;
  // IdentityServer accepts the absolute URL or a local path; "//host/…" (or a slash then a
  // backslash, which URLs read as a slash) is another host, not local.
  if (rawReturnUrl.startsWith('/') && !/^\/[/\\]/.test(rawReturnUrl)) {
    if (URL.canParse(rawReturnUrl, endpoint.origin)) target = new URL(rawReturnUrl, endpoint.origin);
  } else if (URL.canParse(rawReturnUrl)) target = new URL(rawReturnUrl);
  if (!target || target.origin !== endpoint.origin || target.pathname !== endpoint.pathname) {
    return fail(
      `ReturnUrl must be this provider's authorize endpoint, ${endpoint.href} (or ${endpoint.pathname}?…).`,
      { ReturnUrl: rawReturnUrl },
    );
  }

  const returnClientId = target.searchParams.get('client_id');
  if (returnClientId !== clientId) {
    const details: Record<string, string> = {
      client_id: clientId,
      'ReturnUrl client_id': returnClientId ?? '(none)',
    };
    // An authorize URL pasted in without encoding spills its parameters into the login URL.
    const spilled = ['redirect_uri', 'response_type', 'nonce', 'scope'].filter(
      (k) => param(params, k) !== undefined,
    );
    if (spilled.length > 0) {
      details.hint = `${spilled.join(', ')} arrived beside ReturnUrl: encode the whole ReturnUrl with encodeURIComponent.`;
    }
    return fail(
      returnClientId === null
        ? 'ReturnUrl has no client_id.'
        : `client_id "${clientId}" differs from the client_id in ReturnUrl ("${returnClientId}").`,
      details,
    );
  }
  return { ok: true, request: { profile, behaviourProfile, clientId, returnUrl: target.href, rawReturnUrl } };
}
