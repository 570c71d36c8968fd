import { describe, expect, it } from 'vitest';
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
import type { Rule } from '../../src/rule.js';
import { tableProblems } from '../helpers/rule-table.js';

// The tables are of different inputs; each is checked on its own.
const TABLES: [string, readonly Rule<never>[]][] = [
  ['the pasted URL', URL_RULES],
  ['the Togo login URL', [...LOGIN_RULES, ...LOGIN_CLIENT_RULES]],
  ['ReturnUrl', RETURN_URL_RULES],
  ['parameter values', VALUE_RULES],
  ['the authorization request', AUTHORIZE_RULES],
  ['the discovery document', DISCOVERY_RULES],
  ['the JWKS', JWKS_RULES],
  ['the authorization response (F1–F3)', FRONT_CHANNEL_RULES],
  ['the token response (F3, F4)', [...TOKEN_RESPONSE_RULES, ...SAME_USER_RULES]],
  ['how the response arrived (F5, F6)', TRANSPORT_RULES],
  ['the DPoP grant (F7)', DPOP_GRANT_RULES],
  [
    'what togo check expects, probes and compares',
    [...Object.values(EXPECTATION_RULES), ...PROBE_RULES, ...CORS_RULES, ...DISTINCT_KEYS_RULES],
  ],
];

describe('the rule tables of URLs, discovery, JWKS, the login flow and togo check', () => {
  it.each(TABLES)(
    'the rules of %s have ids of the scheme, each once, a spec and section, and what they apply to',
    (_, rules) => {
      expect(tableProblems(rules)).toEqual([]);
    },
  );
});
