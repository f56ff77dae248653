// The certificate a mock server presents unless told otherwise: one ECDSA P-256 leaf for localhost,
// 127.0.0.1 and ::1, issued once per process by the shared throw-away CA and reused by every server,
// so starting a TLS server costs no key generation (only a secure context, well under a millisecond).
// Never smtp-server's built-in certificate: its key is public, it expired in 2025 and allows TLS 1.0.
import {
  type CertificateAuthority,
  issueCertificate,
  sharedCertificateAuthority,
} from '../certificates/authority';

export interface ServerCertificate {
  readonly key: string;
  readonly cert: string;
  /** PEM of the CA a client must trust to accept `cert`. */
  readonly ca: string;
}

let defaultCertificate: Promise<ServerCertificate> | undefined;

async function issueDefault(): Promise<ServerCertificate> {
  const authority: CertificateAuthority = await sharedCertificateAuthority();
  const leaf = await issueCertificate(authority, { hosts: ['localhost', '127.0.0.1', '::1'] });
  return { key: leaf.privateKeyPem, cert: leaf.certificatePem, ca: authority.certificatePem };
}

/** The process-wide default server certificate (issued on first use). */
export function defaultServerCertificate(): Promise<ServerCertificate> {
  defaultCertificate ??= issueDefault();
  return defaultCertificate;
}
