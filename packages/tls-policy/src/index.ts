// Public surface of @strictmail/tls-policy (sans-I/O: no `node:*` import anywhere below this entry).
export {
  curveBits,
  judgeKeyStrength,
  judgeSignatureAlgorithm,
  judgeValidity,
  type KeyFacts,
  MINIMUM_EC_BITS,
  MINIMUM_RSA_BITS,
  type SignatureFacts,
} from './certificate-rules';
export { decodeObjectIdentifier, readSignatureAlgorithm } from './certificate-signature-algorithm';
export {
  judgeCipherSuite,
  OPENSSL_CIPHER_LIST,
  TLS12_CIPHER_SUITES,
  TLS13_CIPHER_SUITES,
} from './cipher-suites';
export {
  dangerousOpportunisticStarttls,
  dangerousPlaintext,
  implicitTls,
  requireStarttls,
} from './constructors';
export { mayAuthenticate, requiresTls } from './decisions';
export {
  ConfigurationError,
  type ConfigurationErrorCode,
  type ErrorKind,
  type HandshakeDiagnosis,
  SecurityError,
  type SecurityErrorCode,
  type SecurityErrorOptions,
  StrictmailError,
  type StrictmailErrorOptions,
} from './errors';
export {
  discoverMtaStsPolicy,
  type MtaStsDiscovery,
  type MtaStsResolver,
  type MxTlsPolicy,
  mtaStsPolicyUrl,
  tlsPolicyForMx,
} from './mta-sts-discovery';
export {
  MAXIMUM_MAX_AGE_SECONDS,
  MAXIMUM_POLICY_BYTES,
  type MtaStsMode,
  type MtaStsPolicy,
  type MtaStsPolicyResult,
  mxMatchesPolicy,
  parseMtaStsPolicy,
} from './mta-sts-policy';
export { type MtaStsRecord, parseMtaStsRecord, selectMtaStsRecord } from './mta-sts-record';
export { isWellFormedPin, pinMatches } from './pins';
export type {
  DangerousPlaintextPolicy,
  ImplicitTlsPolicy,
  OpportunisticPolicy,
  RequireStarttlsPolicy,
  SecurityMode,
  TlsCapablePolicy,
  TlsPolicy,
  TlsVersion,
  TrustMode,
  TrustOptions,
  TrustSettings,
} from './policy';
export type { TlsEntry, TlsReceipt, TrustDecision } from './receipt';
export { ACCEPTED, type Verdict } from './verdict';
export {
  isVerifyErrorName,
  securityCodeForVerifyError,
  securityCodeForVerifyMessage,
} from './verify-error-codes';
export { judgeProtocolVersion } from './versions';
