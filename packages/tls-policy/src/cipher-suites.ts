// Cipher suite acceptance, by IANA standard name (what `TLSSocket#getCipher().standardName` reports).
// TLS 1.3 suites are all AEAD with forward-secret key exchange by construction (RFC 8446 §9.1).
// On TLS 1.2 only ECDHE key exchange with AES-GCM or ChaCha20-Poly1305 is accepted (RFC 9325 §4.2:
// forward secrecy and AEAD are required; §4.1 rules out NULL, anonymous, export, RC4, 3DES and static
// RSA; finite-field DHE is left out as RFC 9325 §4.1 discourages it). An unknown name is refused.
import { ACCEPTED, type Verdict } from './verdict';

/** The TLS 1.3 suites strictmail accepts (RFC 8446 §B.4, without the CCM variants nobody deploys). */
export const TLS13_CIPHER_SUITES: readonly string[] = Object.freeze([
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'TLS_AES_128_GCM_SHA256',
]);

/** The TLS 1.2 suites strictmail accepts: ECDHE + AEAD only (RFC 9325 §4.2), IANA names. */
export const TLS12_CIPHER_SUITES: readonly string[] = Object.freeze([
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
]);

/**
 * The same list in OpenSSL's syntax, for `tls.connect({ ciphers })`: TLS 1.3 suite names, the TLS 1.2
 * ECDHE+AEAD names, and `@SECLEVEL=2` so OpenSSL itself refuses keys under 112-bit strength (RSA < 2048)
 * and SHA-1 certificate signatures during verification (OpenSSL 3 security levels).
 */
export const OPENSSL_CIPHER_LIST: string = [
  ...TLS13_CIPHER_SUITES,
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  '@SECLEVEL=2',
].join(':');

function whyRejected(standardName: string): string {
  if (/NULL/.test(standardName)) return 'it does not encrypt at all (NULL cipher)';
  if (/_anon_|^TLS_DH_anon|_ANON_/.test(standardName))
    return 'it authenticates no one (anonymous key exchange)';
  if (/EXPORT/.test(standardName)) return 'it is an export-grade suite with deliberately weak keys';
  if (/RC4/.test(standardName)) return 'RC4 is prohibited (RFC 7465)';
  if (/3DES|DES_CBC/.test(standardName)) return '(3)DES has a 64-bit block and is broken by Sweet32';
  if (/^TLS_RSA_WITH_/.test(standardName)) {
    return 'static RSA key exchange has no forward secrecy (RFC 9325 §4.1)';
  }
  if (/^TLS_(DHE|DH)_/.test(standardName)) {
    return 'finite-field Diffie-Hellman is not accepted (RFC 9325 §4.1); ECDHE is required';
  }
  if (/_CBC_/.test(standardName)) return 'CBC mode is not AEAD (RFC 9325 §4.2 requires AEAD on TLS 1.2)';
  return 'it is not one of the forward-secret AEAD suites strictmail accepts';
}

/** Whether `standardName` is acceptable on the negotiated `protocol` (RFC 9325 §4.2). */
export function judgeCipherSuite(
  protocol: string | null | undefined,
  standardName: string | undefined,
): Verdict {
  const name = standardName ?? '';
  const accepted =
    (protocol === 'TLSv1.3' && TLS13_CIPHER_SUITES.includes(name)) ||
    (protocol === 'TLSv1.2' && TLS12_CIPHER_SUITES.includes(name));
  if (accepted) return ACCEPTED;
  return {
    accepted: false,
    code: 'CIPHER_REJECTED',
    reason:
      `the session negotiated ${name || 'no cipher suite'} on ${protocol ?? 'no protocol'}, which is refused: ` +
      `${whyRejected(name)}. Accepted on TLS 1.2: ${TLS12_CIPHER_SUITES.join(', ')}; any standard TLS 1.3 suite`,
  };
}
