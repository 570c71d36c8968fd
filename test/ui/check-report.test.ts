import { describe, expect, it } from 'vitest';
import type { Check } from '../../src/check.js';
import { readErrorReason } from '../../src/oidc/check-probes.js';
import { githubAnnotations, renderCheckTable, renderJunit } from '../../src/ui/check-report.js';
import { PLAIN } from '../../src/ui/color.js';
import { elements, parseXmlStrict } from '../helpers/xml.js';

const checks: Check[] = [
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
    // A line break in an attribute is a character reference: it never starts a line of its own.
    expect(xml).toContain('<failure message="100% &lt;broken&gt;&#10;line two" type="fail">');
    expect(xml).toContain('hint: fix "it" &amp; retry</failure>');
    expect(xml).toContain('<skipped message="at_hash: no access token"/>');
    expect(xml).toContain('<system-out>WARN: no S256');
    const doc = parseXmlStrict(xml);
    expect(elements(doc, 'failure')[0]?.attributes.message).toBe('100% <broken>\nline two');
  });

  it('keeps JUnit XML well-formed whatever characters a provider sends', () => {
    const hostile = [
      'new\nline\r\ttab',
      'non-characters \uFFFE \uFFFF',
      'lone surrogates \uD800 and \uDFFF',
      `controls ${String.fromCharCode(0, 1, 8, 11, 12, 27, 31)}`,
      '"quotes" \'single\' <tag attr="x"> & ]]> </testcase><injected/>',
      'astral 😀 kept, U+0085 \u0085 kept',
    ];
    const many: Check[] = hostile.flatMap((text, i) => [
      { id: `hostile.${i}:${text}`, status: 'fail', message: text, hint: text },
      { id: `hostile.w${i}`, status: 'warn', message: text },
      { id: `hostile.s${i}`, status: 'skip', message: text },
    ]);
    const xml = renderJunit(`https://id.example/${hostile.join('')}`, many, new Date(0));
    const doc = parseXmlStrict(xml);
    expect(elements(doc, 'injected')).toEqual([]);
    const failures = elements(doc, 'failure');
    expect(failures).toHaveLength(hostile.length);
    // What XML can hold comes back as sent; what it cannot becomes U+FFFD.
    expect(failures[0]?.attributes.message).toBe('new\nline\r\ttab');
    expect(failures[1]?.attributes.message).toBe('non-characters \uFFFD \uFFFD');
    expect(failures[2]?.attributes.message).toBe('lone surrogates \uFFFD and \uFFFD');
    expect(failures[3]?.attributes.message).toBe(`controls ${'\uFFFD'.repeat(7)}`);
    expect(failures[4]?.attributes.message).toBe(hostile[4]);
    expect(failures[5]?.attributes.message).toBe(hostile[5]);
    expect(elements(doc, 'testcase')[0]?.attributes.name).toBe('hostile.0:new\nline\r\ttab');
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
