// What a user needs to know about a server certificate before trusting it: the chain as presented,
// whether it verified against the roots in use, whether it names the host (RFC 6125), when it
// expires, its key, and the SPKI SHA-256 pin (RFC 7469 §2.4 format) to configure for a self-signed
// server. Rule: facts only, read from the finished handshake; the verdict is tls-policy's.
import type tls from 'node:tls';
import { checkHostIdentity, spkiSha256 } from '@strictmail/tls-policy/node';

const DAY_MS = 86_400_000;

export interface CertificateSummary {
  readonly subject: string;
  readonly issuer: string;
  readonly validFrom: string;
  readonly validTo: string;
  /** e.g. `EC P-256`, `RSA 2048`. */
  readonly key: string;
  readonly fingerprintSha256: string;
}

export interface CertificateFacts {
  /** Leaf first, as the server presented it (a self-signed root may appear once at the end). */
  readonly chain: CertificateSummary[];
  readonly subjectAltName: string | undefined;
  /** Whether the chain verified against the roots in use (`--ca`, or Node's bundled roots). */
  readonly chainVerified: boolean;
  /** OpenSSL's reason when it did not, e.g. `DEPTH_ZERO_SELF_SIGNED_CERT`. */
  readonly verificationError: string | undefined;
  readonly nameChecked: string;
  /** Whether a subjectAltName names `nameChecked` (RFC 6125 §6; no CN fallback, RFC 9525 §6.3). */
  readonly hostnameVerified: boolean;
  readonly hostnameError: string | undefined;
  /** The DNS names of the subjectAltName, to suggest as `serverName` when the dialled name differs. */
  readonly dnsNames: string[];
  readonly selfSigned: boolean;
  readonly daysLeft: number;
  readonly expired: boolean;
  readonly notYetValid: boolean;
  /** base64 SHA-256 of the leaf's DER SubjectPublicKeyInfo: the value to pass as a pin. */
  readonly leafSpkiSha256: string;
}

function distinguishedName(name: Record<string, string | string[]> | undefined): string {
  if (name === undefined) return '';
  return Object.entries(name)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : value}`)
    .join(', ');
}

function keyDescription(certificate: tls.PeerCertificate): string {
  const detailed = certificate as tls.DetailedPeerCertificate & { asn1Curve?: string; nistCurve?: string };
  if (detailed.nistCurve !== undefined || detailed.asn1Curve !== undefined) {
    return `EC ${detailed.nistCurve ?? detailed.asn1Curve}`;
  }
  return certificate.bits === undefined ? 'unknown' : `RSA ${certificate.bits}`;
}

function summarise(certificate: tls.PeerCertificate): CertificateSummary {
  return {
    subject: distinguishedName(certificate.subject as unknown as Record<string, string | string[]>),
    issuer: distinguishedName(certificate.issuer as unknown as Record<string, string | string[]>),
    validFrom: new Date(certificate.valid_from).toISOString(),
    validTo: new Date(certificate.valid_to).toISOString(),
    key: keyDescription(certificate),
    fingerprintSha256: certificate.fingerprint256,
  };
}

/**
 * Reads the facts from a finished inspection handshake (one made with `checkServerIdentity` returning
 * nothing, so `socket.authorized` reflects the chain alone); `nameChecked` is the name the user dials.
 */
export function certificateFacts(socket: tls.TLSSocket, nameChecked: string, now: Date): CertificateFacts {
  const leaf = socket.getPeerCertificate(true);
  const leafX509 = socket.getPeerX509Certificate();
  if (leafX509 === undefined || Object.keys(leaf).length === 0) {
    throw new Error('the server presented no certificate');
  }
  const chain: CertificateSummary[] = [];
  const seen = new Set<string>();
  let current: tls.DetailedPeerCertificate | undefined = leaf;
  while (current !== undefined && !seen.has(current.fingerprint256)) {
    seen.add(current.fingerprint256);
    chain.push(summarise(current));
    current = current.issuerCertificate;
  }
  const identityError = checkHostIdentity(nameChecked, leaf);
  const validFrom = new Date(leaf.valid_from).getTime();
  const validTo = new Date(leaf.valid_to).getTime();
  const authorizationError = socket.authorizationError as unknown as Error | string | null | undefined;
  return {
    chain,
    subjectAltName: leaf.subjectaltname,
    chainVerified: socket.authorized,
    verificationError:
      authorizationError == null
        ? undefined
        : typeof authorizationError === 'string'
          ? authorizationError
          : authorizationError.message,
    nameChecked,
    hostnameVerified: identityError === undefined,
    hostnameError: identityError?.message,
    dnsNames: (leaf.subjectaltname ?? '')
      .split(', ')
      .filter((entry) => entry.startsWith('DNS:'))
      .map((entry) => entry.slice(4)),
    // Issuer name equals subject and the certificate verifies with its own key. (`checkIssued` is not
    // used: OpenSSL also demands keyCertSign there, which a self-signed leaf usually lacks.)
    selfSigned: leafX509.subject === leafX509.issuer && leafX509.verify(leafX509.publicKey),
    daysLeft: Math.floor((validTo - now.getTime()) / DAY_MS),
    expired: now.getTime() > validTo,
    notYetValid: now.getTime() < validFrom,
    leafSpkiSha256: spkiSha256(leafX509),
  };
}
