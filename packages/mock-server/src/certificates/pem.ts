// PEM encoding of keys and the SPKI SHA-256 fingerprint (the value certificate pins are made of).
// The fingerprint is base64 of SHA-256 over the DER SubjectPublicKeyInfo, as in HPKP (RFC 7469 §2.4)
// and DANE "SPKI" selectors (RFC 6698 §2.1.2).
import { createHash, X509Certificate } from 'node:crypto';

export function privateKeyToPem(pkcs8: ArrayBuffer): string {
  const base64 = Buffer.from(pkcs8).toString('base64');
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN PRIVATE KEY-----\n${lines.join('\n')}\n-----END PRIVATE KEY-----\n`;
}

/** base64(SHA-256(SubjectPublicKeyInfo DER)) of a PEM certificate: the pin format strictmail accepts. */
export function spkiSha256(certificatePem: string): string {
  const certificate = new X509Certificate(certificatePem);
  const spki = certificate.publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}
