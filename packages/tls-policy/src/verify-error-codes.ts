// Maps the verification error names OpenSSL and Node report (`TLSSocket#authorizationError`, the `code`
// of a handshake error) to strictmail's specific `SecurityError` codes. Anything unrecognised maps to
// CERTIFICATE_UNTRUSTED: an unknown verification failure is still a failure (fail closed).
import type { SecurityErrorCode } from './errors';

const VERIFY_ERROR_CODES: Readonly<Record<string, SecurityErrorCode>> = {
  CERT_HAS_EXPIRED: 'CERTIFICATE_EXPIRED',
  CRL_HAS_EXPIRED: 'CERTIFICATE_EXPIRED',
  CERT_NOT_YET_VALID: 'CERTIFICATE_NOT_YET_VALID',
  CRL_NOT_YET_VALID: 'CERTIFICATE_NOT_YET_VALID',
  EE_KEY_TOO_SMALL: 'CERTIFICATE_WEAK_KEY',
  CA_KEY_TOO_SMALL: 'CERTIFICATE_WEAK_KEY',
  CA_MD_TOO_WEAK: 'CERTIFICATE_WEAK_SIGNATURE',
  ERR_TLS_CERT_ALTNAME_INVALID: 'HOSTNAME_MISMATCH',
  HOSTNAME_MISMATCH: 'HOSTNAME_MISMATCH',
  IP_ADDRESS_MISMATCH: 'HOSTNAME_MISMATCH',
};

/** Verification error names that always mean "no trusted chain" (RFC 5280 §6). */
const UNTRUSTED_NAMES: readonly string[] = [
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE',
  'CERT_CHAIN_TOO_LONG',
  'CERT_REVOKED',
];

/**
 * Node reports verification errors it has no name for as `UNSPECIFIED`, with OpenSSL's text as the
 * message (X509_verify_cert_error_string): these texts name the defect instead.
 */
const VERIFY_ERROR_MESSAGES: readonly (readonly [RegExp, SecurityErrorCode])[] = [
  [/key too (weak|small)/i, 'CERTIFICATE_WEAK_KEY'],
  [/(digest algorithm|md) too weak/i, 'CERTIFICATE_WEAK_SIGNATURE'],
  [/certificate has expired/i, 'CERTIFICATE_EXPIRED'],
  [/certificate is not yet valid/i, 'CERTIFICATE_NOT_YET_VALID'],
  [
    /invalid CA certificate|unable to (get|verify)|self[- ]signed|signature failure|key usage does not include|unsuitable certificate purpose|certificate chain too long|path length constraint/i,
    'CERTIFICATE_UNTRUSTED',
  ],
];

/** Whether `name` is a certificate verification error (as opposed to a transport or protocol error). */
export function isVerifyErrorName(name: string): boolean {
  return name in VERIFY_ERROR_CODES || UNTRUSTED_NAMES.includes(name);
}

/** The specific code for an error Node could not name (`UNSPECIFIED`), from OpenSSL's message. */
export function securityCodeForVerifyMessage(message: string): SecurityErrorCode | undefined {
  return VERIFY_ERROR_MESSAGES.find(([pattern]) => pattern.test(message))?.[1];
}

/** The specific code for a verification error name; CERTIFICATE_UNTRUSTED when not more specific. */
export function securityCodeForVerifyError(name: string): SecurityErrorCode {
  return VERIFY_ERROR_CODES[name] ?? 'CERTIFICATE_UNTRUSTED';
}
