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
  generateKeyPair as generateKeyPairCb,
  type KeyObject,
  sign as nodeSign,
  randomBytes,
  X509Certificate,
} from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';
import type { FaultName } from './types.js';

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
  /** The key `rotate-keys` publishes and signs with after the first token. */
  next?: SigningKey;
}

function selfSignedCertificate(privateKey: KeyObject, publicKey: KeyObject): Buffer {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  // A positive serial number of 16 random bytes (RFC 5280 §4.1.2.2).
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  const now = Date.now();
  cert.validity.notBefore = new Date(now - 60 * 60_000);
  cert.validity.notAfter = new Date(now + 365 * 24 * 60 * 60_000);
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

export async function makeSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('rsa', { modulusLength: 2048 });
  const der = selfSignedCertificate(privateKey, publicKey);
  const certificate = new X509Certificate(der);
  if (!certificate.checkPrivateKey(privateKey) || !certificate.verify(publicKey)) {
    throw new Error('the signing certificate does not match its key');
  }
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
  const needStranger = faults.includes('bad-signature') || faults.includes('unknown-kid');
  if (needStranger && !keys.stranger) keys.stranger = await makeSigningKey();
  if (faults.includes('rotate-keys') && !keys.next) keys.next = await makeSigningKey();
}

/** The primary key, plus the keys the key faults need. */
export async function makeKeys(faults: readonly FaultName[]): Promise<TamperKeys> {
  const needStranger = faults.includes('bad-signature') || faults.includes('unknown-kid');
  const needNext = faults.includes('rotate-keys');
  const [primary, stranger, next] = await Promise.all([
    makeSigningKey(),
    needStranger ? makeSigningKey() : undefined,
    needNext ? makeSigningKey() : undefined,
  ]);
  return { primary, ...(stranger ? { stranger } : {}), ...(next ? { next } : {}) };
}
