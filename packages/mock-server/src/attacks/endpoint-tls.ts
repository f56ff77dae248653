// The TLS side of an attack endpoint: which certificate it presents and which versions and suites it
// allows. Legacy profiles lower OpenSSL's security level on the SERVER only (`@SECLEVEL=0`), since
// OpenSSL 3 refuses TLS 1.0/1.1, RSA-1024 and SHA-1 at its default level 1.
// Not creatable here (OpenSSL 3 as bundled with Node is built without them): SSLv3, export and
// NULL suites, RC4, 3DES-only servers, and anonymous (certificate-less) key exchange.
import { createSecureContext, type SecureContext } from 'node:tls';
import {
  type CertificateAuthority,
  createCertificateAuthority,
  createSelfSignedCertificate,
  type IssuedCertificate,
  issueCertificate,
} from '../certificates/authority';
import type { CertificateDefect, TlsProfile } from './scenario-types';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The host name a `wrong-host` certificate is issued for: `.invalid` can never be a real host (RFC 2606 §2). */
export const WRONG_HOST_NAME = 'mail.wrong-host.invalid';

interface ProfileSettings {
  readonly minVersion: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
  readonly maxVersion: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
  readonly ciphers?: string;
  /** Static-RSA key exchange needs an RSA certificate. */
  readonly needsRsaKey?: boolean;
}

const PROFILES: Record<TlsProfile, ProfileSettings> = {
  modern: { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3' },
  'tls13-only': { minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3' },
  'tls10-only': { minVersion: 'TLSv1', maxVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' },
  'tls11-only': { minVersion: 'TLSv1.1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' },
  'tls12-cbc-only': {
    minVersion: 'TLSv1.2',
    maxVersion: 'TLSv1.2',
    ciphers:
      'ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES256-SHA384:ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA@SECLEVEL=0',
  },
  'tls12-static-rsa-only': {
    minVersion: 'TLSv1.2',
    maxVersion: 'TLSv1.2',
    ciphers: 'AES128-GCM-SHA256:AES256-GCM-SHA384:AES128-SHA256:AES256-SHA256@SECLEVEL=0',
    needsRsaKey: true,
  },
};

/** Certificates that OpenSSL refuses to load at its default security level need level 0 on the server. */
const WEAK_CERTIFICATES: ReadonlySet<CertificateDefect> = new Set(['weak-key', 'sha1-signature']);

let otherAuthority: Promise<CertificateAuthority> | undefined;

/** A CA nobody was told to trust: the issuer of `cert-untrusted-root` leaves. */
function untrustedAuthority(): Promise<CertificateAuthority> {
  otherAuthority ??= createCertificateAuthority({ commonName: 'strictmail untrusted CA (do not trust)' });
  return otherAuthority;
}

async function issueLeaf(
  authority: CertificateAuthority,
  defect: CertificateDefect,
  rsa: boolean,
): Promise<IssuedCertificate> {
  const keyType = rsa ? 'rsa-2048' : 'ecdsa-p256';
  const now = Date.now();
  switch (defect) {
    case 'valid':
      return issueCertificate(authority, { keyType });
    case 'self-signed':
      return createSelfSignedCertificate({ keyType });
    case 'untrusted-root':
      return issueCertificate(await untrustedAuthority(), { keyType });
    case 'expired':
      return issueCertificate(authority, {
        keyType,
        notBefore: new Date(now - 30 * DAY_MS),
        notAfter: new Date(now - DAY_MS),
      });
    case 'not-yet-valid':
      return issueCertificate(authority, {
        keyType,
        notBefore: new Date(now + DAY_MS),
        notAfter: new Date(now + 30 * DAY_MS),
      });
    case 'wrong-host':
      return issueCertificate(authority, { keyType, hosts: [WRONG_HOST_NAME] });
    case 'cn-only':
      return issueCertificate(authority, { keyType, subjectAltName: false, commonName: '127.0.0.1' });
    case 'weak-key':
      return issueCertificate(authority, { keyType: 'rsa-1024' });
    case 'sha1-signature':
      return issueCertificate(authority, { keyType, signatureHash: 'SHA-1' });
  }
}

// Leaves are cached per authority, defect and key kind: RSA key generation takes tens of milliseconds,
// and a defect does not need fresh keys for every scenario run.
const leafCache = new WeakMap<CertificateAuthority, Map<string, Promise<IssuedCertificate>>>();

function cachedLeaf(
  authority: CertificateAuthority,
  defect: CertificateDefect,
  rsa: boolean,
): Promise<IssuedCertificate> {
  let perAuthority = leafCache.get(authority);
  if (perAuthority === undefined) {
    perAuthority = new Map();
    leafCache.set(authority, perAuthority);
  }
  const key = `${defect}/${rsa ? 'rsa' : 'ec'}`;
  let leaf = perAuthority.get(key);
  if (leaf === undefined) {
    leaf = issueLeaf(authority, defect, rsa);
    perAuthority.set(key, leaf);
  }
  return leaf;
}

/** What an endpoint needs to terminate TLS, and whether a client may trust what it presents. */
export interface EndpointTls {
  readonly secureContext: SecureContext;
  readonly certificate: IssuedCertificate;
  /** `true` when the certificate or the TLS profile is one a correct client must refuse. */
  readonly defective: boolean;
}

/** Builds the secure context for a certificate defect and a TLS profile, issued under `authority`. */
export async function createEndpointTls(
  authority: CertificateAuthority,
  defect: CertificateDefect = 'valid',
  profile: TlsProfile = 'modern',
): Promise<EndpointTls> {
  const settings = PROFILES[profile];
  const certificate = await cachedLeaf(authority, defect, settings.needsRsaKey === true);
  const ciphers = settings.ciphers ?? (WEAK_CERTIFICATES.has(defect) ? 'DEFAULT@SECLEVEL=0' : undefined);
  const secureContext = createSecureContext({
    key: certificate.privateKeyPem,
    cert: certificate.certificatePem,
    minVersion: settings.minVersion,
    maxVersion: settings.maxVersion,
    ...(ciphers === undefined ? {} : { ciphers }),
  });
  const defective = defect !== 'valid' || (profile !== 'modern' && profile !== 'tls13-only');
  return { secureContext, certificate, defective };
}
