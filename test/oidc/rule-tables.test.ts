import { describe, expect, it } from 'vitest';
import { BASELINE_RULES } from '../../src/oidc/baseline.js';
import {
  CORS_RULES,
  DISTINCT_KEYS_RULES,
  EXPECTATION_RULES,
  PROBE_RULES,
} from '../../src/oidc/check-probes.js';
import { DISCOVERY_RULES } from '../../src/oidc/discovery-lint.js';
import { DPOP_GRANT_RULES } from '../../src/oidc/dpop.js';
import { FRONT_CHANNEL_RULES, SAME_USER_RULES, TOKEN_RESPONSE_RULES } from '../../src/oidc/flow-rules.js';
import { JWKS_RULES } from '../../src/oidc/jwks-lint.js';
import { TRANSPORT_RULES } from '../../src/oidc/transport.js';
import {
  AUTHORIZE_RULES,
  LOGIN_CLIENT_RULES,
  LOGIN_RULES,
  RETURN_URL_RULES,
  URL_RULES,
  VALUE_RULES,
} from '../../src/oidc/url-rules.js';
import { tableProblems } from '../helpers/rule-table.js';

// The tables are of different inputs; each is checked on its own.
const TABLES: [string, () => string[]][] = [
  ['the pasted URL', () => tableProblems(URL_RULES)],
  ['the Togo login URL', () => tableProblems([...LOGIN_RULES, ...LOGIN_CLIENT_RULES])],
  ['ReturnUrl', () => tableProblems(RETURN_URL_RULES)],
  ['parameter values', () => tableProblems(VALUE_RULES)],
  ['the authorization request', () => tableProblems(AUTHORIZE_RULES)],
  ['the discovery document', () => tableProblems(DISCOVERY_RULES)],
  ['the JWKS', () => tableProblems<never>(JWKS_RULES)],
  ['the authorization response (F1–F3)', () => tableProblems(FRONT_CHANNEL_RULES)],
  ['the token response (F3)', () => tableProblems(TOKEN_RESPONSE_RULES)],
  ['both ID tokens of a login (F4)', () => tableProblems(SAME_USER_RULES)],
  ['how the response arrived (F5, F6)', () => tableProblems(TRANSPORT_RULES)],
  ['the DPoP grant (F7)', () => tableProblems(DPOP_GRANT_RULES)],
  [
    'what togo check expects the provider to advertise',
    () => tableProblems(Object.values(EXPECTATION_RULES)),
  ],
  ["togo check's authorize probe", () => tableProblems(PROBE_RULES)],
  ["togo check's CORS requests", () => tableProblems(CORS_RULES)],
  ["togo check's comparison of two environments' keys", () => tableProblems(DISTINCT_KEYS_RULES)],
  ["togo check's comparison with a saved baseline", () => tableProblems(BASELINE_RULES)],
];

describe('the rule tables of URLs, discovery, JWKS, the login flow and togo check', () => {
  it.each(TABLES)(
    'the rules of %s have ids of the scheme, each once, a spec and section, and what they apply to',
    (_, problems) => {
      expect(problems()).toEqual([]);
    },
  );
});
