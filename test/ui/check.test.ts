import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/oidc/checks.js';
import { readErrorReason } from '../../src/oidc/checks.js';
import { githubAnnotations, renderCheckTable, renderJunit } from '../../src/ui/check.js';
import { PLAIN } from '../../src/ui/color.js';

const checks: CheckResult[] = [
  { id: 'disc.issuer-match', status: 'pass', message: 'ok' },
  { id: 'expect.scope:a,b', status: 'fail', message: '100% <broken>\nline two', hint: 'fix "it" & retry' },
  { id: 'disc.pkce', status: 'warn', message: 'no S256', hint: 'add it' },
  { id: 'id-token.D10', status: 'skip', message: 'at_hash: no access token' },
];

describe('check outputs', () => {
  it('escapes JUnit XML and marks skipped checks', () => {
    const xml = renderJunit('https://id.example/identity', checks, new Date(Date.UTC(2026, 0, 2, 3, 4, 5)));
    expect(xml).toContain('timestamp="2026-01-02T03:04:05"');
    expect(xml).toContain('failures="1"');
    expect(xml).toContain('skipped="1"');
    expect(xml).toContain('<failure message="100% &lt;broken&gt;\nline two" type="fail">');
    expect(xml).toContain('hint: fix &quot;it&quot; &amp; retry</failure>');
    expect(xml).toContain('<skipped message="at_hash: no access token"/>');
    expect(xml).toContain('<system-out>WARN: no S256');
  });

  it('escapes GitHub workflow commands and skips passes and skips', () => {
    expect(githubAnnotations(checks)).toEqual([
      '::error title=togo check expect.scope%3Aa%2Cb::100%25 <broken>%0Aline two (hint: fix "it" & retry)',
      '::warning title=togo check disc.pkce::no S256 (hint: add it)',
    ]);
  });

  it('counts each outcome in the table', () => {
    const table = renderCheckTable('https://id.example/identity', checks, PLAIN).text;
    expect(table).toContain('SKIP  id-token.D10');
    expect(table).toMatch(/1 passed, 1 warning, 1 failed, 1 skipped$/);
  });

  it('reads an error code and description from an error page or a JSON body', () => {
    expect(readErrorReason('{"error":"invalid_client","error_description":"unknown client"}')).toBe(
      'invalid_client (the provider\'s own words: "unknown client")',
    );
    expect(
      readErrorReason(
        '<div>Sorry, there was an error : <strong><em>unauthorized_client</em></strong><div>Invalid redirect_uri</div>',
      ),
    ).toBe('unauthorized_client: Invalid redirect_uri');
    expect(readErrorReason('<html><body>Sign in</body></html>')).toBeUndefined();
  });
});
