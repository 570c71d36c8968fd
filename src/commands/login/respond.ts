/**
 * One authorization response judged against the login's request: ignored (the login keeps waiting),
 * or how the login ended, with the page the browser tab shows.
 */
import type { Outcome, ResponseVia } from '../../http/listener.js';
import { type AuthorizationResponse, judgeCallback } from '../../oidc/callback.js';
import { transportChecks } from '../../oidc/transport.js';
import { completeLogin, type PendingRequest, type ProviderState } from '../../provider/complete-login.js';
import { loginTabRows } from '../../ui/login-tab.js';
import type { Ending } from '../shared/login-result.js';

/** A response judged: ignored (the login keeps waiting), or how the login ended. */
export type Judged =
  | { kind: 'ignored'; reason: string; outcome: Outcome }
  | { kind: 'ended'; ending: Ending; outcome: Outcome };

export async function judgeResponse(
  response: AuthorizationResponse,
  via: ResponseVia,
  pending: PendingRequest,
  provider: ProviderState,
): Promise<Judged> {
  const verdict = judgeCallback(response, pending.state);
  if (verdict.kind === 'ignored') {
    return {
      kind: 'ignored',
      reason: verdict.reason,
      outcome: { final: false, ok: false, title: 'Ignored', message: `togo ignored ${verdict.reason}.` },
    };
  }
  if (verdict.kind === 'error') {
    return {
      kind: 'ended',
      ending: {
        kind: 'provider-error',
        error: verdict.error,
        ...(verdict.description ? { description: verdict.description } : {}),
      },
      outcome: {
        final: true,
        ok: false,
        title: 'Login failed',
        message: `The provider returned ${verdict.error}.`,
      },
    };
  }
  const result = await completeLogin(verdict.response, pending, provider);
  result.checks.push(...transportChecks(via, pending, verdict.response));
  const rows = loginTabRows(result);
  return {
    kind: 'ended',
    ending: { kind: 'result', result, via },
    outcome: result.ok
      ? { final: true, ok: true, title: 'Login verified', message: 'togo verified the tokens.', rows }
      : {
          final: true,
          ok: false,
          title: 'Login not valid',
          message: 'togo received tokens, but a check failed.',
          rows,
        },
  };
}

/** A response that came before the request was sent: nothing to judge it against. */
export const EARLY: Outcome = {
  final: false,
  ok: false,
  title: 'Ignored',
  message: 'togo ignored a response that came before its login request.',
};
