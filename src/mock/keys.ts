/**
 * The emulator's signing keys, published as IdentityServer (and so Togo ID) publishes them: each
 * RSA key comes with a self-signed X.509 certificate; the key id is the certificate's SHA-1
 * thumbprint in uppercase hex, `x5t` the same thumbprint in base64url, and the JWKS entry carries
 * the certificate in `x5c`.
 *
 * The certificate is made by node-forge (a well-kept PKI library); Node's own X509Certificate reads
 * it back for the thumbprint, so both ends of the check are libraries, not hand-built ASN.1.
 */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPair as generateKeyPairCb,
  type KeyObject,
  sign as nodeSign,
  randomBytes,
  X509Certificate,
} from 'node:crypto';
import {
  closeSync,
  constants,
  fchmodSync,
  fstatSync,
  fsyncSync,
  linkSync,
  openSync,
  readFileSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import forge from 'node-forge';
import { TogoError } from '../errors.js';
import { type FaultName, keysNeeded } from './faults.js';

const generateKeyPair = promisify(generateKeyPairCb);

export interface SigningKey {
  /** The certificate's SHA-1 thumbprint, uppercase hex, as IdentityServer names its keys. */
  kid: string;
  /** The same thumbprint, base64url (RFC 7515 §4.1.7). */
  x5t: string;
  /** The certificate, base64 DER (RFC 7517 §4.7). */
  x5c: string[];
  privateKey: KeyObject;
  /** What the JWKS publishes for this key. */
  publicJwk: Record<string, unknown>;
  /** What oidc-provider's `jwks` configuration takes (private parts, kid and x5c). */
  privateJwk: Record<string, unknown>;
}

export interface TamperKeys {
  /** The key the provider signs with and publishes. */
  primary: SigningKey;
  /** A key nobody publishes: `bad-signature` signs with it under the primary kid, `unknown-kid` under its own. */
  stranger?: SigningKey;
  /** The key `rotate-keys` signs with from the second token on, published once it has signed one. */
  next?: SigningKey;
}

const DAY_MS = 24 * 60 * 60_000;

function selfSignedCertificate(privateKey: KeyObject, publicKey: KeyObject, days: number): Buffer {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  // A positive serial number of 16 random bytes (RFC 5280 §4.1.2.2).
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  const now = Date.now();
  cert.validity.notBefore = new Date(now - 60 * 60_000);
  cert.validity.notAfter = new Date(now + days * DAY_MS);
  const name = [{ name: 'commonName', value: 'togo mock token signing' }];
  cert.setSubject(name);
  cert.setIssuer(name);
  // forge lays out the certificate and asks its key to sign the to-be-signed part; Node's crypto
  // does the signing (forge's own RSA is JavaScript and costs a tenth of a second or more).
  const tbs = () => Buffer.from(forge.asn1.toDer(cert.tbsCertificate).getBytes(), 'binary');
  const signer = { sign: () => nodeSign('sha256', tbs(), privateKey).toString('binary') };
  cert.sign(signer as unknown as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
}

/** A new key with a self-signed certificate valid for `days` (a year for a run, ten for a keys file). */
export async function makeSigningKey(days = 365): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('rsa', { modulusLength: 2048 });
  const der = selfSignedCertificate(privateKey, publicKey, days);
  const certificate = new X509Certificate(der);
  if (!certificate.checkPrivateKey(privateKey) || !certificate.verify(publicKey)) {
    throw new Error('the signing certificate does not match its key');
  }
  return signingKey(privateKey, publicKey, certificate, der);
}

function signingKey(
  privateKey: KeyObject,
  publicKey: KeyObject,
  certificate: X509Certificate,
  der: Buffer,
): SigningKey {
  const thumbprint = Buffer.from(certificate.fingerprint.replaceAll(':', ''), 'hex');
  const kid = thumbprint.toString('hex').toUpperCase();
  const x5t = thumbprint.toString('base64url');
  const x5c = [der.toString('base64')];
  const common = { kid, alg: 'RS256', use: 'sig' };
  return {
    kid,
    x5t,
    x5c,
    privateKey,
    publicJwk: { ...publicKey.export({ format: 'jwk' }), ...common, x5t, x5c },
    privateJwk: { ...privateKey.export({ format: 'jwk' }), ...common, x5c },
  };
}

/** Adds the keys that faults switched on at run time need; the keys already made stay as they are. */
export async function addFaultKeys(keys: TamperKeys, faults: readonly FaultName[]): Promise<void> {
  const need = keysNeeded(faults);
  if (need.stranger && !keys.stranger) keys.stranger = await makeSigningKey();
  if (need.next && !keys.next) keys.next = await makeSigningKey();
}

/**
 * The primary key, plus the keys the key faults need. With a keys file the primary key is read
 * from it (or created there); the fault keys are made for each run, so `rotate-keys` rotates
 * within a run and a restart publishes the file's key again.
 */
export async function makeKeys(
  faults: readonly FaultName[],
  keysFile?: string,
  event: (message: string) => void = () => {},
): Promise<TamperKeys> {
  const need = keysNeeded(faults);
  const [primary, stranger, next] = await Promise.all([
    keysFile === undefined ? makeSigningKey() : keyFromFile(keysFile, event),
    need.stranger ? makeSigningKey() : undefined,
    need.next ? makeSigningKey() : undefined,
  ]);
  return { primary, ...(stranger ? { stranger } : {}), ...(next ? { next } : {}) };
}

/** The largest keys file read: one RSA key and its certificate take a few kilobytes. */
const KEYS_FILE_LIMIT = 256 * 1024;
const KEY_FILE_VALIDITY_DAYS = 3650;

function invalid(path: string, why: string, cause?: unknown): TogoError {
  return new TogoError('MOCK_KEYS_INVALID', `keys file ${path}: ${why}`, cause ? { cause } : {});
}

/**
 * The signing key from a keys file: a JSON Web Key Set of one private RSA key whose `x5c` holds
 * its certificate. A missing file is created with a new key (mode 0600). The file is the user's
 * own: one that is a symbolic link, not a regular file, another user's, or writable by group or
 * others is refused, since whoever can write it chooses the keys the emulator's tokens verify with.
 */
export async function keyFromFile(path: string, event: (message: string) => void): Promise<SigningKey> {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return createKeyFile(path, event);
    if (code === 'ELOOP') throw invalid(path, 'it is a symbolic link; name the file itself');
    throw invalid(path, `cannot read it (${code ?? 'error'})`, error);
  }
  let text: string;
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw invalid(path, 'it is not a regular file');
    const uid = process.getuid?.();
    if (uid !== undefined && stat.uid !== uid)
      throw invalid(path, `it belongs to another user (uid ${stat.uid})`);
    if ((stat.mode & 0o022) !== 0) {
      const mode = (stat.mode & 0o777).toString(8).padStart(4, '0');
      throw invalid(
        path,
        `it is writable by ${stat.mode & 0o002 ? 'anyone' : 'its group'} (mode ${mode}); chmod 600 it`,
      );
    }
    if (stat.size > KEYS_FILE_LIMIT) throw invalid(path, `it is ${stat.size} bytes, more than a key set`);
    text = readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
  const key = parseKeyFile(path, text);
  event(`signing key ${key.kid} from ${path}`);
  return key;
}

function parseKeyFile(path: string, text: string): SigningKey {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw invalid(path, `not JSON (${(error as Error).message})`, error);
  }
  const keys = (doc as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) throw invalid(path, 'not a JSON Web Key Set (an object with a "keys" array)');
  if (keys.length !== 1)
    throw invalid(path, `it holds ${keys.length} keys; the emulator signs with exactly one`);
  const jwk = keys[0] as Record<string, unknown> | null;
  if (typeof jwk !== 'object' || jwk === null || jwk.kty !== 'RSA' || typeof jwk.d !== 'string') {
    throw invalid(path, 'its key is not a private RSA key (kty "RSA" with "d")');
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' });
  } catch (error) {
    throw invalid(path, `its key cannot be read (${(error as Error).message})`, error);
  }
  const bits = privateKey.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < 2048) throw invalid(path, `its key has ${bits} bits; RS256 needs at least 2048`);
  const x5c = jwk.x5c;
  if (!Array.isArray(x5c) || typeof x5c[0] !== 'string') {
    throw invalid(path, 'its key has no certificate ("x5c"), which the kid and x5t come from');
  }
  let certificate: X509Certificate;
  const der = Buffer.from(x5c[0], 'base64');
  try {
    certificate = new X509Certificate(der);
  } catch (error) {
    throw invalid(path, `its certificate cannot be read (${(error as Error).message})`, error);
  }
  if (!certificate.checkPrivateKey(privateKey)) throw invalid(path, 'its certificate is not for its key');
  const key = signingKey(privateKey, createPublicKey(privateKey), certificate, der);
  if (jwk.kid !== undefined && jwk.kid !== key.kid) {
    throw invalid(path, `its kid ${String(jwk.kid)} is not the certificate's thumbprint ${key.kid}`);
  }
  return key;
}

/**
 * Writes a new key set to `path`, never over a file: written aside (0600), then linked into place,
 * which fails when a file appeared there meanwhile (another start made it: that one is read).
 */
async function createKeyFile(path: string, event: (message: string) => void): Promise<SigningKey> {
  const key = await makeSigningKey(KEY_FILE_VALIDITY_DAYS);
  const text = `${JSON.stringify({ keys: [key.privateJwk] }, null, 2)}\n`;
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const fd = openSync(
      temp,
      constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0),
      0o600,
    );
    try {
      fchmodSync(fd, 0o600);
      writeFileSync(fd, text, 'utf8');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    linkSync(temp, path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return keyFromFile(path, event);
    throw invalid(path, `cannot create it (${code ?? 'error'})`, error);
  } finally {
    try {
      unlinkSync(temp);
    } catch {
      // never made
    }
  }
  event(`signing key ${key.kid} created in ${path} (mode 0600)`);
  return key;
}
