/**
 * The closed list of expectations: the named inputs a rule compares a token or document against,
 * which only the user can supply (the client id, the nonce sent, the issuer they trust, …). Each is
 * declared once here, with the hint that says how to supply it; a rule that needs one names it, and
 * a rule skipped for want of it carries this hint (src/rule.ts). Like the error codes' hints, these
 * name flags: the protocol layer (src/oidc) only refers to them.
 */

export interface ExpectationSpec {
  /** As the end of "no … was given": "client id", "expected nonce". */
  what: string;
  /** How to supply it. */
  hint: string;
}

export const EXPECTATIONS = {
  issuer: { what: 'issuer', hint: 'Pass --issuer <url> (the issuer you trust) to check it.' },
  clientId: { what: 'client id', hint: 'Pass --client-id <client_id> (your client) to check it.' },
  resource: { what: 'resource', hint: 'Pass --audience <resource> (the API this token is for) to check it.' },
  nonce: { what: 'expected nonce', hint: 'Pass --nonce <nonce> (the one sent in the request) to check it.' },
  accessToken: { what: 'access token', hint: 'Pass --access-token <token> to check at_hash.' },
  code: { what: 'code', hint: 'Pass --code <code> to check c_hash.' },
  maxAge: { what: 'max_age', hint: 'Pass --max-age <seconds> to check auth_time.' },
  acrValues: { what: 'acr_values', hint: 'Pass --acr-values <acr> to check it.' },
  providerAlgs: {
    what: 'provider metadata',
    hint: "Verify with keys from discovery (--issuer <url>, without --jwks) to compare the alg with the provider's.",
  },
} as const satisfies Record<string, ExpectationSpec>;

export type ExpectationName = keyof typeof EXPECTATIONS;
