import { describe, expect, it } from 'vitest';
import { TogoError } from '../../src/errors.js';
import { composeLogoutUrl } from '../../src/oidc/logout-url.js';

describe('the end-session URL', () => {
  it('carries the hint, the post-logout redirect, state and client id, encoded, in that order', () => {
    const logout = composeLogoutUrl({
      endSessionEndpoint: 'https://id.example/connect/endsession',
      idTokenHint: 'eyJ.eyJ.sig',
      postLogoutRedirectUri: 'https://app.example/signed out',
      state: 's1',
      clientId: 'app',
    });
    expect(logout.url).toBe(
      'https://id.example/connect/endsession?id_token_hint=eyJ.eyJ.sig&post_logout_redirect_uri=https%3A%2F%2Fapp.example%2Fsigned%20out&state=s1&client_id=app',
    );
    expect(logout.params.map(([k]) => k)).toEqual([
      'id_token_hint',
      'post_logout_redirect_uri',
      'state',
      'client_id',
    ]);
    expect(logout.warnings).toEqual([]);
  });

  it('keeps a query the endpoint already has', () => {
    const logout = composeLogoutUrl({
      endSessionEndpoint: 'https://id.example/logout?p=togo',
      idTokenHint: 'x',
      state: 's',
    });
    expect(logout.url).toBe('https://id.example/logout?p=togo&id_token_hint=x&state=s');
  });

  it('makes up a state when none is given', () => {
    const a = composeLogoutUrl({ endSessionEndpoint: 'https://id.example/logout', idTokenHint: 'x' });
    const b = composeLogoutUrl({ endSessionEndpoint: 'https://id.example/logout', idTokenHint: 'x' });
    expect(a.state).toMatch(/^[\w-]{16,}$/);
    expect(a.state).not.toBe(b.state);
  });

  it('warns when the ID token would travel in clear, or the provider cannot redirect back', () => {
    const logout = composeLogoutUrl({
      endSessionEndpoint: 'http://id.example/logout',
      postLogoutRedirectUri: 'https://app.example/out',
    });
    expect(logout.warnings.map((w) => w.id)).toEqual([
      'logout.endpoint-not-https',
      'logout.redirect-without-hint',
      'logout.no-id-token-hint',
    ]);
  });

  it('does not warn about http to this machine', () => {
    const logout = composeLogoutUrl({ endSessionEndpoint: 'http://127.0.0.1:4444/logout', idTokenHint: 'x' });
    expect(logout.warnings).toEqual([]);
  });

  it('refuses an endpoint or a redirect that is not a URL, as URL_MALFORMED', () => {
    for (const request of [
      { endSessionEndpoint: 'not a url' },
      { endSessionEndpoint: 'ftp://id.example/logout' },
      { endSessionEndpoint: 'https://id.example/logout', postLogoutRedirectUri: '/relative' },
    ]) {
      expect(() => composeLogoutUrl(request)).toThrow(expect.objectContaining({ code: 'URL_MALFORMED' }));
      expect(() => composeLogoutUrl(request)).toThrow(TogoError);
    }
  });
});
