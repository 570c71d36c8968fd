import { describe, expect, it } from 'vitest';
import type { Check } from '../../src/check.js';
import type { Expansion } from '../../src/oidc/claims.js';
import type { LoginResult } from '../../src/provider/complete-login.js';
import { loginTabRows } from '../../src/ui/login-tab.js';

/** A login result with one ID token: only what the tab reads. */
function result(
  payload: Record<string, unknown>,
  opts: { ok?: boolean; checks?: Check[]; tokenChecks?: Check[]; expanded?: Record<string, Expansion> } = {},
): LoginResult {
  return {
    ok: opts.ok ?? true,
    checks: opts.checks ?? [],
    idTokens: [
      {
        from: 'token endpoint',
        decoded: { payload },
        expansion: { expanded: opts.expanded ?? {} },
        verification: {
          checks: opts.tokenChecks ?? [
            { id: 'D1', status: 'pass', message: 'ok' },
            { id: 'D2', status: 'pass', message: 'ok' },
          ],
        },
      },
    ],
    tokens: {},
    warnings: [],
  } as unknown as LoginResult;
}

describe('the browser tab after a login', () => {
  it('names who signed in with their email, then the subject and the verdict', () => {
    const rows = loginTabRows(result({ sub: 'u1', name: 'Ada Lovelace', email: 'ada@example.com' }));
    expect(rows).toEqual([
      { label: 'Signed in as', value: 'Ada Lovelace <ada@example.com>' },
      { label: 'Subject', value: 'u1' },
      { label: 'Verdict', value: 'VALID: 2 checks passed' },
    ]);
  });

  it('builds the name from given and family names, and falls back to the subject', () => {
    expect(loginTabRows(result({ sub: 'u1', given_name: 'Ada', family_name: 'King' }))[0]?.value).toBe(
      'Ada King',
    );
    expect(loginTabRows(result({ sub: 'u1', name: '   ' }))[0]?.value).toBe('u1');
  });

  it('shows organizations with their roles, and says when there are none', () => {
    const rows = loginTabRows(
      result(
        { sub: 'u1' },
        {
          expanded: {
            togo_user: {
              kind: 'togo-user',
              claim: 'togo_user',
              fromJsonString: true,
              organizations: [
                { name: 'Acme', isAdministrator: true, roles: ['editor', 'viewer'] },
                { id: 'org-2', isAdministrator: false, roles: [] },
              ],
            },
            roles: { kind: 'roles', claim: 'roles', roles: [] },
          },
        },
      ),
    );
    expect(rows).toContainEqual({ label: 'Organization', value: 'Acme: editor, viewer (administrator)' });
    expect(rows).toContainEqual({ label: 'Organization', value: 'org-2: no roles' });
    expect(rows).toContainEqual({ label: 'Roles', value: 'none' });
  });

  it('marks an invalid login and lists each failed check, from the flow and from the token', () => {
    const rows = loginTabRows(
      result(
        { sub: 'u1' },
        {
          ok: false,
          checks: [{ id: 'F2', status: 'fail', message: 'state did not match' }],
          tokenChecks: [{ id: 'D5', name: 'exp', status: 'fail', message: 'expired' }],
        },
      ),
    );
    expect(rows.slice(-3)).toEqual([
      { label: 'Verdict', value: 'INVALID: 2 checks failed', fail: true },
      { label: 'F2', value: 'state did not match', fail: true },
      { label: 'D5 exp', value: 'expired', fail: true },
    ]);
  });

  it('gives only the verdict when there was no ID token', () => {
    const r = {
      ...result({}),
      idTokens: [],
      checks: [
        { id: 'F1', status: 'pass', message: 'ok' },
        { id: 'F2', status: 'pass', message: 'ok' },
      ],
    } as LoginResult;
    expect(loginTabRows(r)).toEqual([{ label: 'Verdict', value: 'VALID: 2 checks passed' }]);
  });

  it('counts a single passed check in the singular', () => {
    const r = {
      ...result({}),
      idTokens: [],
      checks: [{ id: 'F1', status: 'pass', message: 'ok' }],
    } as LoginResult;
    expect(loginTabRows(r)).toEqual([{ label: 'Verdict', value: 'VALID: 1 check passed' }]);
  });
});
