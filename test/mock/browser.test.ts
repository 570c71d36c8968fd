/**
 * The emulator through a real browser, as a person would use it: Togo ID's login URL, the email and
 * password form, and the fragment the provider sends back. One file, one browser launch.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start } from '../../src/mock/server.js';
import type { MockProvider } from '../../src/mock/types.js';
import { useBrowser } from '../helpers/browser.js';
import { authorizeUrl, random, togoLoginUrl } from './flow.js';

const browser = useBrowser();
let mock: MockProvider;
let app: Server;
let redirectUri: string;

beforeAll(async () => {
  mock = await start();
  // The application's callback page: a fragment never reaches a server, so the page shows it.
  app = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!DOCTYPE html><title>callback</title><p id="done">back in the app</p>');
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  redirectUri = `http://127.0.0.1:${(app.address() as AddressInfo).port}/callback`;
});
afterAll(async () => {
  await mock.close();
  app.closeAllConnections();
  await new Promise((resolve) => app.close(resolve));
});

describe('logging in to the emulator in a browser', () => {
  it("completes Togo ID's implicit flow from its login URL and returns the user's organizations", async () => {
    const context = await browser.context();
    const page = await context.newPage();
    const nonce = random();
    const state = random();
    const returnUrl = authorizeUrl(mock.issuer, {
      client_id: 'togo-cli',
      nonce,
      redirect_uri: redirectUri,
      response_type: 'id_token',
      scope: 'openid email profile',
      state,
    });
    await page.goto(togoLoginUrl(mock.issuer, 'togo-cli', returnUrl));
    await page.getByLabel('Email').fill('joe@m.test');
    await page.getByLabel('Password').fill('togo-mock');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.href.startsWith(redirectUri));

    const fragment = new URLSearchParams(new URL(page.url()).hash.slice(1));
    expect(fragment.get('state')).toBe(state);
    const { payload } = await jwtVerify(
      fragment.get('id_token') ?? '',
      createRemoteJWKSet(new URL(mock.jwksUri)),
      {
        issuer: mock.issuer,
        audience: 'togo-cli',
      },
    );
    expect(payload.nonce).toBe(nonce);
    const user = JSON.parse(payload.user as string) as {
      id: string;
      organizations: Array<{
        isAdministrator?: boolean;
        organization: { name: string };
        roles: Array<{ role: { name: string } }>;
      }>;
    };
    expect(user.id).toBe('de7b350e-0ef2-450e-b2ae-24aca70d8a33');
    expect(
      user.organizations.map((o) => [
        o.organization.name,
        o.isAdministrator ?? false,
        o.roles.map((r) => r.role.name),
      ]),
    ).toEqual([
      ['Joe Marsh', true, []],
      ['Airstream', false, ['Campervan Owner']],
    ]);
  });

  it('shows a readable error page for a login URL without behaviourProfile', async () => {
    const context = await browser.context();
    const page = await context.newPage();
    const response = await page.goto(
      `${mock.loginUrl}?profile=togo&client_id=togo-cli&ReturnUrl=${encodeURIComponent(mock.authorizationEndpoint)}`,
    );
    expect(response?.status()).toBe(400);
    await expect(page.getByText('behaviourProfile is missing').isVisible()).resolves.toBe(true);
  });
});
