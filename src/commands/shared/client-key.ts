/**
 * `--client-key <file>`: the client's private key for private_key_jwt, as PEM (PKCS#8, PKCS#1 or
 * SEC1) or as a JWK. Read once, never printed; a key others can read is named on stderr, as ssh does.
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ResolvedConfig } from '../../config/resolve.js';
import { TogoError } from '../../errors.js';
import type { ClientKey } from '../../oidc/client-assertion.js';
import type { ClientAuthMethod } from '../../oidc/client-auth.js';
import { t } from '../../ui/safe.js';
import type { ClientAuthFlags } from './client-auth-flags.js';
import type { Ctx } from './context.js';

/**
 * A key, like the secret, is used only with an issuer the user chose: not with one a config file in
 * the working directory named, unless --trust-directory-config confirms it (SECRET_ISSUER_UNTRUSTED).
 */
export function assertKeyIssuerTrusted(
  flags: ClientAuthFlags,
  resolved: ResolvedConfig,
  trustDirectoryConfig: boolean | undefined,
): void {
  if (flags.clientKey === undefined || trustDirectoryConfig) return;
  const source = resolved.sources.issuer;
  if (source?.kind === 'file' && source.origin === 'directory') {
    throw new TogoError(
      'SECRET_ISSUER_UNTRUSTED',
      `--client-key is given, but the issuer ${resolved.settings.issuer ?? ''} comes from ${source.path ?? source.label}, a config file in the current directory: nothing signed with the key is sent there`,
    );
  }
}

/** What a back channel needs from the flags: the key read from its file, and the method chosen. */
export async function clientAuthOptions(
  ctx: Ctx,
  flags: ClientAuthFlags,
): Promise<{ clientKey?: ClientKey; clientAuth?: ClientAuthMethod }> {
  return {
    ...(flags.clientKey !== undefined ? { clientKey: await readClientKey(ctx, flags.clientKey) } : {}),
    ...(flags.clientAuth ? { clientAuth: flags.clientAuth } : {}),
  };
}

export async function readClientKey(ctx: Ctx, file: string): Promise<ClientKey> {
  const path = resolve(ctx.cwd, file);
  let text: string;
  try {
    const info = statSync(path);
    if (info.size > 64 * 1024) {
      throw new TogoError(
        'INPUT_TOO_LARGE',
        `${path} is ${info.size} bytes; a private key is a few kilobytes`,
      );
    }
    if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) {
      ctx.warn(t`${path} can be read by other users (mode ${(info.mode & 0o777).toString(8)}); chmod 600 it`);
    }
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof TogoError) throw error;
    throw new TogoError(
      'INPUT_UNREADABLE',
      `cannot read the client key ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      { cause: error },
    );
  }
  const { createPrivateKey } = await import('node:crypto');
  const bad = (why: string, cause?: unknown) =>
    new TogoError('INPUT_UNREADABLE', `the client key ${path} ${why}`, {
      hint: 'Give a private key as PEM (BEGIN PRIVATE KEY) or as a JWK with its private part ("d").',
      ...(cause ? { cause } : {}),
    });
  let kid: string | undefined;
  let jwkAlg: string | undefined;
  let key: import('node:crypto').KeyObject;
  try {
    if (text.trimStart().startsWith('{')) {
      const jwk = JSON.parse(text) as Record<string, unknown>;
      if (typeof jwk.d !== 'string') throw bad('is a JWK without its private part ("d")');
      if (typeof jwk.kid === 'string') kid = jwk.kid;
      if (typeof jwk.alg === 'string') jwkAlg = jwk.alg;
      key = createPrivateKey({ key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' });
    } else {
      key = createPrivateKey(text);
    }
  } catch (error) {
    if (error instanceof TogoError) throw error;
    throw bad('is not a private key togo can read', error);
  }
  const type = key.asymmetricKeyType;
  const curve = key.asymmetricKeyDetails?.namedCurve;
  const namedCurve =
    curve === 'prime256v1'
      ? 'P-256'
      : curve === 'secp384r1'
        ? 'P-384'
        : curve === 'secp521r1'
          ? 'P-521'
          : curve;
  if (type !== 'rsa' && type !== 'rsa-pss' && type !== 'ec' && type !== 'ed25519') {
    throw bad(`is a ${type ?? 'unknown'} key; private_key_jwt takes an RSA, EC or Ed25519 key`);
  }
  return {
    key,
    type,
    ...(namedCurve ? { curve: namedCurve } : {}),
    ...(jwkAlg ? { alg: jwkAlg } : {}),
    ...(kid ? { kid } : {}),
  };
}

/**
 * Decides how the client authenticates at `endpoint` before anything is sent, and says so on
 * stderr: a method the provider refuses or a missing credential is reported before anyone signs in.
 */
export async function announceClientAuth(
  ctx: Ctx,
  provider: import('../../provider/token-endpoint.js').BackChannel,
  endpoint: import('../../oidc/client-auth.js').ClientAuthEndpoint,
): Promise<import('../../oidc/client-auth.js').ClientAuthChoice> {
  const [{ clientAuthFor }, { describeClientAuth }] = await Promise.all([
    import('../../provider/token-endpoint.js'),
    import('../../oidc/client-auth.js'),
  ]);
  const choice = clientAuthFor(provider, endpoint);
  if (choice.note) ctx.warn(t`${choice.note}`);
  ctx.note(
    ctx.styleErr.dim(
      t`The client authenticates at the ${endpoint.replace(/_/g, ' ')} endpoint with ${describeClientAuth(choice)}.`,
    ),
  );
  return choice;
}
