// Public surface of @strictmail/nodemailer: `strictmail(options)` returns a transport for
// `nodemailer.createTransport(...)`. Explicit named exports only.
import type { StrictmailTransportOptions } from './options';
import { StrictmailTransport } from './transport';

/**
 * A nodemailer transport that delivers only over TLS the policy accepts, and returns a TLS receipt.
 *
 * ```ts
 * const transporter = nodemailer.createTransport(strictmail({ host: 'smtp.example.com', port: 465, auth }));
 * ```
 * Throws a ConfigurationError before any connection for unsafe options (`ignoreTLS`,
 * `tls.rejectUnauthorized: false`, `secure: false` without STARTTLS) unless `security` is `dangerous-...`.
 */
export function strictmail(options: StrictmailTransportOptions): StrictmailTransport {
  return new StrictmailTransport(options);
}

export type { DsnNotify, DsnParameters, NodemailerDsn } from './dsn';
export type { CoreEnvelope, ReportedEnvelope } from './envelope';
export {
  type NodemailerErrorCode,
  type RecipientOutcome,
  TransportError,
} from './errors';
export {
  type AuthOptions,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_MAX_MESSAGES,
  type Logger,
  type OAuth2AuthOptions,
  type PasswordAuthOptions,
  type PoolOptions,
  SECURITY_OPTIONS,
  type SecurityOption,
  type StrictmailTransportOptions,
  type TimeoutOptions,
  type TlsOptions,
} from './options';
export type { ResolvedTransportOptions } from './resolve-options';
export type { StrictmailSentMessageInfo } from './result';
export {
  type ConnectionCheck,
  type SendCallback,
  StrictmailTransport,
  type TransportSettings,
  type VerifyCallback,
} from './transport';
