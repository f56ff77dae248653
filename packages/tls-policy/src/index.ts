// Public surface of @strictmail/tls-policy (sans-I/O: no `node:*` import anywhere below this entry).
export {
  ConfigurationError,
  type ConfigurationErrorCode,
  type ErrorKind,
  SecurityError,
  type SecurityErrorCode,
  StrictmailError,
  type StrictmailErrorOptions,
} from './errors';
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
