// Extracts, from a Node X509Certificate, the facts the pure certificate rules judge: key type and size,
// the outer signature algorithm, and the validity dates. Nothing here decides anything.
import type { X509Certificate } from 'node:crypto';
import {
  curveBits,
  type KeyFacts,
  readSignatureAlgorithm,
  type SignatureFacts,
} from '@strictmail/tls-policy';

export function keyFacts(certificate: X509Certificate): KeyFacts {
  const key = certificate.publicKey;
  const details = key.asymmetricKeyDetails;
  const type = key.asymmetricKeyType ?? 'unknown';
  const bits = type === 'ec' ? curveBits(details?.namedCurve) : details?.modulusLength;
  return { type, bits };
}

export function signatureFacts(certificate: X509Certificate): SignatureFacts {
  return readSignatureAlgorithm(new Uint8Array(certificate.raw));
}

export function validity(certificate: X509Certificate): { notBefore: Date; notAfter: Date } {
  return { notBefore: new Date(certificate.validFrom), notAfter: new Date(certificate.validTo) };
}

/** Whether the certificate signed itself (a root or a self-signed leaf: its own signature proves nothing). */
export function isSelfSigned(certificate: X509Certificate): boolean {
  try {
    return certificate.checkIssued(certificate) && certificate.verify(certificate.publicKey);
  } catch {
    return false;
  }
}
