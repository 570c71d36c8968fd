/**
 * `--client-key <file>`: the client's private key for private_key_jwt, as PEM (PKCS#8, PKCS#1 or
 * SEC1) or as a JWK. Read once, never printed; a key others can read is named on stderr, as ssh does.
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { TogoError } from '../../errors.js';
import { assertionAlg, type ClientKey } from '../../oidc/client-assertion.js';
import { t } from '../../ui/safe.js';
import type { Ctx } from './context.js';

export async function readClientKey(
  ctx: Ctx,
  file: string,
  providerAlgs: readonly string[] | undefined,
): Promise<ClientKey> {
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
  const alg = jwkAlg ?? assertionAlg(type, namedCurve, providerAlgs);
  if (!alg) throw bad(`is a ${type ?? 'unknown'} key; private_key_jwt takes an RSA, EC or Ed25519 key`);
  return { key, alg, ...(kid ? { kid } : {}) };
}
