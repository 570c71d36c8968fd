import { describe, expect, it } from 'vitest';
import { inspectUrl } from '../../src/oidc/inspect-url.js';
import { composeLoginUrl } from '../../src/oidc/login-url.js';
import { PLAIN } from '../../src/ui/color.js';
import { renderComposedParams, renderInspection } from '../../src/ui/url-report.js';

const TOGO = {
  flavor: 'togo',
  loginBase: 'https://id.example/identity',
  authorizationEndpoint: 'https://id.example/identity/connect/authorize',
  clientId: 'my-app',
  nonce: 'c7709929297c0f47645cd4e270049fd0',
  redirectUri: 'https://app.example/callback',
  responseType: 'id_token',
  scope: 'openid email',
  state: 'ac65007cf9729c9168b475452439e9fa',
} as const;

describe('the parameters of a composed login URL', () => {
  it('says which parameters sit inside ReturnUrl and does not repeat the nested URL', () => {
    const out = renderComposedParams(composeLoginUrl(TOGO), PLAIN).text;
    expect(out).toMatch(/^in\s+parameter\s+value/);
    expect(out).toMatch(/ReturnUrl\s+client_id\s+my-app/);
    expect(out).toContain('(the authorize URL below, encoded once more)');
    expect(out).not.toContain('code_verifier');
  });

  it('shows the code verifier to keep when PKCE is used, with authorize parameters labelled as such', () => {
    const composed = composeLoginUrl({
      ...TOGO,
      flavor: 'standard',
      responseType: 'code',
      codeVerifier: 'v'.repeat(43),
    });
    const out = renderComposedParams(composed, PLAIN).text;
    expect(out).toMatch(/authorize\s+client_id\s+my-app/);
    expect(out).toContain(`code_verifier  ${'v'.repeat(43)}  (keep it: the token request needs it)`);
  });
});

describe('the inspection of a URL', () => {
  it('names the kind of URL and says when nothing is wrong', () => {
    const url = composeLoginUrl(TOGO).url;
    const out = renderInspection(inspectUrl(url), PLAIN).text;
    expect(out.split('\n')[0]).toBe('Togo ID login URL');
    expect(out).toContain('ReturnUrl (absolute), decoded:');
    expect(out).toMatch(/\nnonce\s+c7709929297c0f47645cd4e270049fd0\n/);
    expect(out.trimEnd().split('\n').at(-1)).toBe('no problems found');
  });

  it('lists the findings of a faulty URL worst first, with every hint and a summary line', () => {
    const out = renderInspection(
      inspectUrl('https://op.example/authorize?response_type=token&client_id=c'),
      PLAIN,
    ).text;
    expect(out.split('\n')[0]).toBe('authorization URL');
    const statuses = out.match(/^ {2}(FAIL|WARN|INFO|PASS)\b/gm)?.map((s) => s.trim());
    expect(statuses).toEqual(['FAIL', 'FAIL', 'FAIL', 'WARN', 'INFO']);
    expect(out.match(/hint:/g)).toHaveLength(5);
    expect(out.trimEnd().split('\n').at(-1)).toBe('1 warning, 3 failed, 1 note');
  });

  it('calls a URL that is no login URL by that name', () => {
    const out = renderInspection(inspectUrl('https://example.com/'), PLAIN).text;
    expect(out.split('\n')[0]).toBe('URL (not a login or authorization URL)');
  });
});
