// Public surface of @strictmail/tls-policy/node: the Node side of the policy. It turns a policy into
// `tls.connect` options, judges a finished TLSSocket into a receipt, and explains handshake failures.
// Drivers: `tls.connect({ ...tlsConnectOptions(policy, { host, entry }), socket })`, then on `error`
// throw `diagnoseHandshakeError(...)`, on `secureConnect` call `judgeTlsSocket(...)`.
export { spkiSha256 } from './node/certificate-chain';
export { type TlsConnectContext, tlsConnectOptions } from './node/connect-options';
export {
  diagnoseGreetingTimeout,
  diagnoseHandshakeError,
  type GreetingTimeoutDiagnosis,
  type HandshakeErrorContext,
  IMPLICIT_TLS_SUBMISSION_PORT,
  STARTTLS_SUBMISSION_PORT,
} from './node/diagnose';
export { checkHostIdentity, expectedServerName } from './node/host-identity';
export { type JudgeContext, judgeTlsSocket } from './node/judge';
