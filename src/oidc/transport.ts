/**
 * How an authorization response arrived, judged against what was asked: tokens in a query string
 * (OAuth 2.0 Multiple Response Types §5 makes fragment the default for responses with tokens and
 * forbids the query for them; a query leaks into server logs, browser history and Referer), and a
 * response mode other than the requested one. Pure; the rules are of the one shape (src/rule.ts).
 */
import type { Check } from '../check.js';
import { info, type Rule, runRules, type Verdict, warn } from '../rule.js';

export type Transport = 'fragment' | 'query' | 'form_post';

/** The mode a response type gets when none is asked for (Multiple Response Types §2.1, §5). */
export function defaultResponseMode(responseType: string): Transport {
  return responseType.split(/\s+/).every((p) => p === 'code' || p === 'none') ? 'query' : 'fragment';
}

/** How the response came, what was asked, and which tokens it carried. */
export interface TransportInput {
  via: Transport;
  request: { responseType: string; responseMode?: string };
  response: { id_token?: string; access_token?: string };
}

const NOTHING: readonly Verdict[] = [];

export const TRANSPORT_RULES = [
  {
    id: 'F5',
    spec: 'OAuth 2.0 Multiple Response Types §5',
    appliesTo: 'authorization response with tokens',
    run: ({ via, response }) => {
      const tokens = [response.id_token && 'id_token', response.access_token && 'access_token'].filter(
        Boolean,
      );
      return via === 'query' && tokens.length > 0
        ? warn(
            `the ${tokens.join(' and ')} arrived in the query string, where it leaks into server logs, browser history and Referer headers`,
            {
              name: 'transport',
              hint: 'Multiple Response Types §5 forbids the query for responses with tokens: the provider should use the fragment or form_post.',
            },
          )
        : NOTHING;
    },
  },
  {
    id: 'F6',
    spec: 'OAuth 2.0 Multiple Response Types §2.1; OAuth 2.0 Form Post Response Mode §2',
    appliesTo: 'authorization response',
    run: ({ via, request }) => {
      const asked = request.responseMode ?? defaultResponseMode(request.responseType);
      const known = asked === 'query' || asked === 'fragment' || asked === 'form_post';
      return known && via !== asked
        ? info(
            `asked for ${request.responseMode ? `response_mode=${asked}` : `the default (${asked})`}; the response came via ${via}`,
            {
              name: 'response mode',
              hint: 'The provider ignored or does not support the requested response mode.',
            },
          )
        : NOTHING;
    },
  },
] as const satisfies readonly Rule<TransportInput>[];

export function transportChecks(
  via: Transport,
  request: TransportInput['request'],
  response: TransportInput['response'],
): Check[] {
  return runRules(TRANSPORT_RULES, { via, request, response });
}
