// The error base every strictmail package shares. Each error has a machine-readable `code`, a `kind`
// saying who is at fault (h11's Local/Remote split, plus security refusals and SMTP replies), the
// underlying `cause`, and a `Symbol.for` marker so `isInstance()` works across duplicate installs.
// Messages say what happened, what was expected, what was received, and what the user can do.
// Rule: no credential ever appears in a message, a cause or a field of an error.

const STRICTMAIL_ERROR = Symbol.for('strictmail.error');

/** Who is at fault, and therefore what a caller can do about it. */
export type ErrorKind =
  /** The caller misused the API or gave unsafe input (fix the code or the input). */
  | 'local-protocol'
  /** The server broke the protocol (report it; retrying rarely helps). */
  | 'remote-protocol'
  /** The server answered an SMTP command with a negative reply (see `isTransient()`). */
  | 'smtp-reply'
  /** strictmail refused to continue because the channel is not secure enough. Never retry blindly. */
  | 'security'
  /** The configuration is invalid or would weaken security. */
  | 'configuration'
  /** The connection failed, closed, or timed out. Usually transient. */
  | 'connection';

export interface StrictmailErrorOptions {
  readonly cause?: unknown;
}

/** Base class of every error strictmail throws. */
export abstract class StrictmailError<Code extends string = string> extends Error {
  abstract readonly kind: ErrorKind;
  readonly code: Code;
  readonly [STRICTMAIL_ERROR] = true;

  constructor(code: Code, message: string, options: StrictmailErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = new.target.name;
  }

  /** True for any strictmail error, even one thrown by another installed copy of the package. */
  static isInstance(value: unknown): value is StrictmailError {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as Record<symbol, unknown>)[STRICTMAIL_ERROR] === true
    );
  }

  /** Whether the same operation may succeed later without any change (a timeout, a 4xx reply). */
  isTransient(): boolean {
    return false;
  }

  /** Whether retrying without a change is pointless. */
  isPermanent(): boolean {
    return !this.isTransient();
  }
}

/** Why strictmail refused to let a connection carry credentials or mail. */
export type SecurityErrorCode =
  /** TLS is required but the server did not advertise STARTTLS (RFC 3207 §4; a MITM can strip it). */
  | 'STARTTLS_STRIPPED'
  /** STARTTLS was answered with anything but exactly 220 (RFC 3207 §4). */
  | 'STARTTLS_REFUSED'
  /** Bytes arrived after the 220 to STARTTLS and before the handshake (RFC 3207 §6, CVE-2021-22947 class). */
  | 'PRE_TLS_DATA_INJECTED'
  /** EHLO was refused while TLS is required; falling back to HELO would lose STARTTLS (RFC 5321 §4.1.4). */
  | 'EHLO_REFUSED'
  /** Credentials were given but the server offers no usable AUTH mechanism over TLS. */
  | 'AUTH_UNAVAILABLE'
  /** REQUIRETLS was requested but the session is not verified TLS or the server lacks it (RFC 8689 §4). */
  | 'REQUIRETLS_UNAVAILABLE'
  /** The negotiated TLS version is below the policy's minimum (TLS 1.2 by default; RFC 8996). */
  | 'TLS_VERSION_TOO_OLD'
  /** The negotiated cipher suite is not forward-secret AEAD (RFC 9325 §4.2). */
  | 'CIPHER_REJECTED'
  /** The certificate chain does not lead to a trusted root (RFC 5280 §6). */
  | 'CERTIFICATE_UNTRUSTED'
  | 'CERTIFICATE_EXPIRED'
  | 'CERTIFICATE_NOT_YET_VALID'
  /** The leaf key is too small (RSA below 2048 bits, EC below 256 bits). */
  | 'CERTIFICATE_WEAK_KEY'
  /** The certificate is signed with a broken hash (MD5, SHA-1). */
  | 'CERTIFICATE_WEAK_SIGNATURE'
  /** The certificate does not name the host that was dialled (RFC 6125 §6). */
  | 'HOSTNAME_MISMATCH'
  /** None of the configured SPKI SHA-256 pins matches the leaf. */
  | 'PIN_MISMATCH'
  /** The TLS handshake failed; the message explains the likely misconfiguration. */
  | 'TLS_HANDSHAKE_FAILED'
  /** The domain's MTA-STS policy is in `enforce` mode and does not list this MX host (RFC 8461 §4.1). */
  | 'MTA_STS_MX_MISMATCH';

/**
 * The likely misconfiguration behind a failed handshake, when one can be named (set by
 * `diagnoseHandshakeError` in `@strictmail/tls-policy/node`). Never a reason to downgrade: only advice.
 */
export type HandshakeDiagnosis =
  /** The server answered a ClientHello with plaintext: implicit TLS was tried on a STARTTLS port. */
  | 'implicit-tls-on-starttls-port'
  /** The server waited for a ClientHello while the client waited for a greeting: STARTTLS on port 465. */
  | 'starttls-on-implicit-tls-port'
  /** The server offers only TLS versions below the policy's minimum (RFC 8996). */
  | 'server-protocol-too-old'
  /** The server shares no cipher suite with the policy's forward-secret AEAD list (RFC 9325 §4.2). */
  | 'no-shared-cipher-suite'
  /** The certificate failed verification; the error code names the defect. */
  | 'certificate-rejected'
  /** The connection closed or reset during the handshake. */
  | 'connection-closed'
  /** Nothing more specific is known; the cause holds the raw error. */
  | 'unknown';

export interface SecurityErrorOptions extends StrictmailErrorOptions {
  readonly diagnosis?: HandshakeDiagnosis;
}

/** strictmail refused to continue because the channel is not secure enough for the policy. */
export class SecurityError extends StrictmailError<SecurityErrorCode> {
  readonly kind = 'security' as const;
  /** For handshake failures: the likely misconfiguration, when one can be named. */
  readonly diagnosis: HandshakeDiagnosis | undefined;

  constructor(code: SecurityErrorCode, message: string, options: SecurityErrorOptions = {}) {
    super(code, message, options);
    this.diagnosis = options.diagnosis;
  }

  static override isInstance(value: unknown): value is SecurityError {
    return StrictmailError.isInstance(value) && value.kind === 'security';
  }
}

export type ConfigurationErrorCode =
  /** An option would weaken security; the message names the safe alternative. */
  | 'INSECURE_OPTION'
  /** An option is missing, malformed or contradicts another. */
  | 'INVALID_OPTION';

/** The configuration is invalid or would weaken security. Thrown before any connection is made. */
export class ConfigurationError extends StrictmailError<ConfigurationErrorCode> {
  readonly kind = 'configuration' as const;

  static override isInstance(value: unknown): value is ConfigurationError {
    return StrictmailError.isInstance(value) && value.kind === 'configuration';
  }
}
