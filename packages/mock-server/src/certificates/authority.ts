// Throw-away certificate authorities and the leaf certificates they issue, generated for the run with
// @peculiar/x509 over Node's WebCrypto. Nothing here is ever loaded from disk: every run has fresh keys,
// so no long-lived certificate literal can expire in the repository (smtp-server's built-in one has).
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import { isIP } from 'node:net';
import * as x509 from '@peculiar/x509';
import { type KeyType, keyAlgorithm, type SignatureHash, signingAlgorithm } from './key-types';
import { privateKeyToPem, spkiSha256 } from './pem';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** A certificate authority whose private key stays in memory for issuing leaves. */
export interface CertificateAuthority {
  /** PEM of the CA certificate: the only root a client under test should trust. */
  readonly certificatePem: string;
  readonly commonName: string;
  readonly keys: webcrypto.CryptoKeyPair;
}

/** A leaf certificate with its key, ready for `tls.createServer({ key, cert })`. */
export interface IssuedCertificate {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
  /** base64 SHA-256 of the leaf's SubjectPublicKeyInfo: the value to pin. */
  readonly spkiSha256: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

export interface CertificateAuthorityOptions {
  readonly commonName?: string;
  /** Default `ecdsa-p256`. */
  readonly keyType?: KeyType;
  readonly notBefore?: Date;
  readonly notAfter?: Date;
}

export interface IssueOptions {
  /** DNS names and IP literals the certificate is valid for. Default `['localhost', '127.0.0.1', '::1']`. */
  readonly hosts?: readonly string[];
  /** Subject common name. Default: the first host. */
  readonly commonName?: string;
  /** `false` leaves out the subjectAltName extension (a "CN only" certificate, RFC 6125 §6.4.4). */
  readonly subjectAltName?: boolean;
  /** Default `ecdsa-p256`. */
  readonly keyType?: KeyType;
  /** Default `SHA-256`. */
  readonly signatureHash?: SignatureHash;
  /** Default: one hour ago (tolerates clock skew between the test and the client). */
  readonly notBefore?: Date;
  /** Default: one day after `notBefore`. */
  readonly notAfter?: Date;
}

export const DEFAULT_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '::1'];

async function generateKeys(keyType: KeyType): Promise<webcrypto.CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(keyAlgorithm(keyType), true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
}

function randomSerial(): string {
  // A positive 16-byte serial (RFC 5280 §4.1.2.2 allows up to 20 octets; the top bit cleared keeps it positive).
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return Buffer.from(bytes).toString('hex');
}

/** Creates a new CA (self-signed, `cA: true`, allowed to sign certificates). */
export async function createCertificateAuthority(
  options: CertificateAuthorityOptions = {},
): Promise<CertificateAuthority> {
  const commonName = options.commonName ?? `strictmail throw-away CA ${randomSerial().slice(0, 8)}`;
  const keys = await generateKeys(options.keyType ?? 'ecdsa-p256');
  const notBefore = options.notBefore ?? new Date(Date.now() - HOUR_MS);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: [{ CN: [commonName] }, { O: ['strictmail mock-server'] }],
    keys,
    notBefore,
    notAfter: options.notAfter ?? new Date(notBefore.getTime() + 30 * DAY_MS),
    signingAlgorithm: signingAlgorithm(keys.privateKey, 'SHA-256'),
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certificatePem: certificate.toString('pem'), commonName, keys };
}

function subjectAltNames(hosts: readonly string[]): x509.JsonGeneralName[] {
  return hosts.map((host) => (isIP(host) ? { type: 'ip', value: host } : { type: 'dns', value: host }));
}

async function issueWith(
  issuer: { keys: webcrypto.CryptoKeyPair; name: x509.JsonName | string } | null,
  options: IssueOptions,
): Promise<IssuedCertificate> {
  const hosts = options.hosts ?? DEFAULT_HOSTS;
  const keys = await generateKeys(options.keyType ?? 'ecdsa-p256');
  const notBefore = options.notBefore ?? new Date(Date.now() - HOUR_MS);
  const notAfter = options.notAfter ?? new Date(notBefore.getTime() + DAY_MS);
  const subject: x509.JsonName = [{ CN: [options.commonName ?? hosts[0] ?? 'localhost'] }];
  const signingKeys = issuer?.keys ?? keys;
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(
      x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
      true,
    ),
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
    await x509.AuthorityKeyIdentifierExtension.create(signingKeys.publicKey),
  ];
  if (options.subjectAltName !== false) {
    extensions.push(new x509.SubjectAlternativeNameExtension(subjectAltNames(hosts)));
  }
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject,
    issuer: issuer?.name ?? subject,
    notBefore,
    notAfter,
    publicKey: keys.publicKey,
    signingKey: signingKeys.privateKey,
    signingAlgorithm: signingAlgorithm(signingKeys.privateKey, options.signatureHash ?? 'SHA-256'),
    extensions,
  });
  const certificatePem = certificate.toString('pem');
  return {
    certificatePem,
    privateKeyPem: privateKeyToPem(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)),
    spkiSha256: spkiSha256(certificatePem),
    notBefore,
    notAfter,
  };
}

/** Issues a leaf certificate for `hosts`, signed by `authority`. */
export async function issueCertificate(
  authority: CertificateAuthority,
  options: IssueOptions = {},
): Promise<IssuedCertificate> {
  const name = new x509.X509Certificate(authority.certificatePem).subject;
  return issueWith({ keys: authority.keys, name }, options);
}

/** Issues a self-signed leaf (no CA): what a small private server often presents. */
export async function createSelfSignedCertificate(options: IssueOptions = {}): Promise<IssuedCertificate> {
  return issueWith(null, options);
}

let sharedAuthority: Promise<CertificateAuthority> | undefined;

/** The process-wide throw-away CA: created on first use, then shared by every mock server. */
export function sharedCertificateAuthority(): Promise<CertificateAuthority> {
  sharedAuthority ??= createCertificateAuthority({ commonName: 'strictmail mock-server CA' });
  return sharedAuthority;
}
