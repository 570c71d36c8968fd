/**
 * npm's `oauth2-mock-server`, a provider togo did not write, started from nothing on a loopback
 * port. It names itself `http://localhost:<port>` whatever it binds, so togo reaches it as
 * localhost. It registers no clients, approves every authorization request at once (so logins run
 * `--headless`), offers the code flow only (query), and signs with the one key generated here.
 */
import { OAuth2Server } from 'oauth2-mock-server';

export interface Oauth2MockServer {
  issuer: string;
  server: OAuth2Server;
  close(): Promise<void>;
}

export async function startOauth2MockServer(): Promise<Oauth2MockServer> {
  const server = new OAuth2Server();
  // Its discovery document names RS256 whatever the key is: an RS256 key keeps them consistent.
  await server.issuer.keys.generate('RS256');
  await server.start(0, '127.0.0.1');
  const issuer = server.issuer.url;
  if (!issuer) throw new Error('oauth2-mock-server started without an issuer URL');
  return { issuer, server, close: () => server.stop() };
}
