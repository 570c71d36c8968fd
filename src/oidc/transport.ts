/**
 * How an authorization response arrived, judged against what was asked: tokens in a query string
 * (OAuth 2.0 Multiple Response Types §5 makes fragment the default for responses with tokens and
 * forbids the query for them; a query leaks into server logs, browser history and Referer), and a
 * response mode other than the requested one. Pure; the checks use the one Check shape.
 */
import type { Check } from '../check.js';

export type Transport = 'fragment' | 'query' | 'form_post';

/** The mode a response type gets when none is asked for (Multiple Response Types §2.1, §5). */
export function defaultResponseMode(responseType: string): Transport {
  return responseType.split(/\s+/).every((p) => p === 'code' || p === 'none') ? 'query' : 'fragment';
}

export function transportChecks(
  via: Transport,
  request: { responseType: string; responseMode?: string },
  response: { id_token?: string; access_token?: string },
): (Check & { name: string })[] {
  const checks: (Check & { name: string })[] = [];
  const tokens = [response.id_token && 'id_token', response.access_token && 'access_token'].filter(Boolean);
  if (via === 'query' && tokens.length > 0) {
    checks.push({
      id: 'F5',
      name: 'transport',
      status: 'warn',
      message: `the ${tokens.join(' and ')} arrived in the query string, where it leaks into server logs, browser history and Referer headers`,
      hint: 'Multiple Response Types §5 forbids the query for responses with tokens: the provider should use the fragment or form_post.',
    });
  }
  const asked = request.responseMode ?? defaultResponseMode(request.responseType);
  if (asked === 'query' || asked === 'fragment' || asked === 'form_post') {
    if (via !== asked) {
      checks.push({
        id: 'F6',
        name: 'response mode',
        status: 'info',
        message: `asked for ${request.responseMode ? `response_mode=${asked}` : `the default (${asked})`}; the response came via ${via}`,
        hint: 'The provider ignored or does not support the requested response mode.',
      });
    }
  }
  return checks;
}
