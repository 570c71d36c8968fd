/**
 * Apache httpd with mod_auth_openidc (Debian's packages, installed by
 * scripts/ensure-test-packages.sh), started on a standalone configuration on loopback ports chosen
 * free at run time. Each virtual host is one application: a protected page whose CGI shows the
 * OIDC_CLAIM_user variable the module sets after a login.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONFIDENTIAL_SECRET } from '../../../src/mock/clients.js';
import { Browser } from './browse.js';

export const APACHE = '/usr/sbin/apache2';
const MODULES = '/usr/lib/apache2/modules';
export const MOD_AUTH_OPENIDC = `${MODULES}/mod_auth_openidc.so`;

export type ApacheVariant = 'code' | 'implicit';

const WHOAMI = `#!/bin/sh
printf 'Content-Type: text/plain\\n\\n'
printf 'user=%s\\n' "$OIDC_CLAIM_user"
`;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function vhost(port: number, discoveryUrl: string, variant: ApacheVariant, extra: readonly string[]): string {
  const client =
    variant === 'code'
      ? [
          'OIDCClientID togo-confidential',
          `OIDCClientSecret ${CONFIDENTIAL_SECRET}`,
          'OIDCResponseType code',
          'OIDCPKCEMethod S256',
        ]
      : ['OIDCClientID togo-cli', 'OIDCResponseType "id_token token"', 'OIDCResponseMode form_post'];
  return `<VirtualHost 127.0.0.1:${port}>
  ServerName 127.0.0.1
  OIDCProviderMetadataURL ${discoveryUrl}
  ${client.join('\n  ')}
  OIDCRedirectURI http://127.0.0.1:${port}/callback
  OIDCScope "openid email profile"${extra.map((d) => `\n  ${d}`).join('')}
  <Location /protected>
    AuthType openid-connect
    Require valid-user
  </Location>
  <Location /callback>
    AuthType openid-connect
    Require valid-user
  </Location>
</VirtualHost>`;
}

export interface RunningApache {
  /** The protected page of each variant's virtual host. */
  pages: Record<ApacheVariant, string>;
  /** Logs in through the protected page; returns the CGI's page, or the error page. */
  login(variant: ApacheVariant): Promise<{ status: number; body: string }>;
  errorLog(): Promise<string>;
  stop(): Promise<void>;
}

/** `extra`: more directives for every virtual host (e.g. one that weakens a check, for a test). */
export async function startApache(
  discoveryUrl: string,
  extra: readonly string[] = [],
): Promise<RunningApache> {
  if (!existsSync(APACHE) || !existsSync(MOD_AUTH_OPENIDC)) {
    throw new Error(
      'Apache or mod_auth_openidc is missing: run scripts/ensure-test-packages.sh (npm test runs it first)',
    );
  }
  const dir = await mkdtemp(join(tmpdir(), 'togo-apache-'));
  // The CGI runs as the unprivileged user when Apache starts as root.
  await chmod(dir, 0o755);
  await writeFile(join(dir, 'whoami.cgi'), WHOAMI, { mode: 0o755 });
  const ports: Record<ApacheVariant, number> = { code: await freePort(), implicit: await freePort() };
  const root = process.getuid?.() === 0;
  const conf = `ServerRoot ${dir}
ServerName 127.0.0.1
PidFile ${dir}/httpd.pid
ErrorLog ${dir}/error.log
LogLevel warn auth_openidc:info
${root ? 'User www-data\nGroup www-data' : ''}
${Object.values(ports)
  .map((p) => `Listen 127.0.0.1:${p}`)
  .join('\n')}
LoadModule mpm_prefork_module ${MODULES}/mod_mpm_prefork.so
LoadModule authz_core_module ${MODULES}/mod_authz_core.so
LoadModule authz_user_module ${MODULES}/mod_authz_user.so
LoadModule authn_core_module ${MODULES}/mod_authn_core.so
LoadModule alias_module ${MODULES}/mod_alias.so
LoadModule cgi_module ${MODULES}/mod_cgi.so
LoadModule auth_openidc_module ${MOD_AUTH_OPENIDC}
StartServers 2
OIDCCryptoPassphrase ${randomBytes(24).toString('hex')}
ScriptAlias /protected/whoami ${dir}/whoami.cgi
${(Object.entries(ports) as Array<[ApacheVariant, number]>).map(([v, p]) => vhost(p, discoveryUrl, v, extra)).join('\n')}
`;
  await writeFile(join(dir, 'httpd.conf'), conf);
  // A process group of its own: on stop, Apache's prefork signals every process in its group.
  const child: ChildProcess = spawn(APACHE, ['-f', join(dir, 'httpd.conf'), '-DFOREGROUND'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const pages = {
    code: `http://127.0.0.1:${ports.code}/protected/whoami`,
    implicit: `http://127.0.0.1:${ports.implicit}/protected/whoami`,
  };
  // Up when every port answers. An Apache that never comes up is stopped here, not left running.
  const deadline = Date.now() + 30_000;
  try {
    for (const page of Object.values(pages)) {
      for (;;) {
        if (child.exitCode !== null) throw new Error(`apache2 exited: ${stderr}`);
        if (Date.now() > deadline) throw new Error(`apache2 did not start: ${stderr}`);
        const up = await fetch(page.replace('/protected/whoami', '/'), { redirect: 'manual' }).then(
          () => true,
          () => false,
        );
        if (up) break;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  } catch (error) {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    pages,
    async login(variant) {
      const page = await new Browser().open(pages[variant]);
      return { status: page.status, body: page.body };
    },
    errorLog: () => readFile(join(dir, 'error.log'), 'utf8').catch(() => ''),
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
