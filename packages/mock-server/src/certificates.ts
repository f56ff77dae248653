// The `@strictmail/mock-server/certificates` subpath: throw-away CAs, leaves (good and deliberately
// defective) and SPKI pins, for any test that needs a real TLS server.
export {
  type CertificateAuthority,
  type CertificateAuthorityOptions,
  createCertificateAuthority,
  createSelfSignedCertificate,
  DEFAULT_HOSTS,
  type IssuedCertificate,
  type IssueOptions,
  issueCertificate,
  sharedCertificateAuthority,
} from './certificates/authority';
export type { KeyType, SignatureHash } from './certificates/key-types';
export { spkiSha256 } from './certificates/pem';
