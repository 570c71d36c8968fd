import { describe, expect, it } from 'vitest';
import { acceptsEndOfOptions, isLoopbackHost, openableUrl } from '../../src/oidc/open-url.js';

describe('which URLs togo hands to a browser', () => {
  it('opens https anywhere and http only to this machine', () => {
    expect(openableUrl('https://id.example/login?x=1')).toEqual({
      ok: true,
      href: 'https://id.example/login?x=1',
    });
    expect(openableUrl('http://127.0.0.1:4444/identity/connect/authorize').ok).toBe(true);
    expect(openableUrl('http://localhost/cb').ok).toBe(true);
    expect(openableUrl('http://id.example/login')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/plain http to id\.example/),
    });
  });

  it('refuses a value a browser command could read as an option', () => {
    expect(openableUrl('--disable-web-security')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/begins with "-"/),
    });
  });

  it('refuses other schemes and relative URLs', () => {
    expect(openableUrl('file:///etc/passwd')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/scheme is file:/),
    });
    expect(openableUrl('javascript:alert(1)').ok).toBe(false);
    expect(openableUrl('/login')).toMatchObject({ ok: false, reason: 'it is not an absolute URL' });
  });

  it('hands over the parsed form, not the raw text', () => {
    expect(openableUrl('  https://ID.example/a b  ')).toEqual({ ok: true, href: 'https://id.example/a%20b' });
  });
});

describe('loopback hosts', () => {
  it('are 127.0.0.0/8, ::1 and localhost names', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '[::1]', 'localhost', 'LOCALHOST', 'app.localhost']) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
    for (const host of ['128.0.0.1', '127.0.0.1.example', 'localhost.example', '10.0.0.1']) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });
});

describe('browsers told where their options end', () => {
  it('are Chromium and its family, by the command name', () => {
    expect(acceptsEndOfOptions('/usr/bin/chromium')).toBe(true);
    expect(acceptsEndOfOptions('google-chrome')).toBe(true);
    expect(acceptsEndOfOptions('C:\\Program Files\\Microsoft\\Edge\\msedge.exe')).toBe(true);
    expect(acceptsEndOfOptions('firefox')).toBe(false);
  });
});
