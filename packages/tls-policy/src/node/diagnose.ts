// Turns a raw handshake failure (an OpenSSL or Node error from `tls.connect`) into a SecurityError a
// user can act on: the specific certificate code when verification failed, or the likely
// misconfiguration ("wrong version number": implicit TLS on a STARTTLS port). Rule: diagnosis is advice
// only — nothing here retries, downgrades, or suggests turning verification off.
import {
  type HandshakeDiagnosis,
  isVerifyErrorName,
  SecurityError,
  type SecurityErrorCode,
  securityCodeForVerifyError,
  securityCodeForVerifyMessage,
  type TlsPolicy,
} from '@strictmail/tls-policy';

export interface HandshakeErrorContext {
  readonly policy: TlsPolicy;
  readonly host: string;
  readonly port: number;
}

/** The port RFC 8314 §3.3 assigns to SMTP submission over implicit TLS. */
export const IMPLICIT_TLS_SUBMISSION_PORT = 465;
/** The port RFC 6409 assigns to submission with STARTTLS. */
export const STARTTLS_SUBMISSION_PORT = 587;

interface Finding {
  readonly code: SecurityErrorCode;
  readonly diagnosis: HandshakeDiagnosis;
  readonly explanation: string;
}

function errorFacts(error: unknown): { code: string; message: string } {
  if (typeof error === 'object' && error !== null) {
    const code = (error as { code?: unknown }).code;
    const message = (error as { message?: unknown }).message;
    return {
      code: typeof code === 'string' ? code : '',
      message: typeof message === 'string' ? message : '',
    };
  }
  return { code: '', message: String(error) };
}

function find(code: string, message: string, context: HandshakeErrorContext): Finding {
  const { policy, port } = context;
  if (isVerifyErrorName(code)) {
    return {
      code: securityCodeForVerifyError(code),
      diagnosis: 'certificate-rejected',
      explanation: `the server certificate failed verification (${code}: ${message.split('\n')[0]})`,
    };
  }
  // Node names unknown verification results UNSPECIFIED; OpenSSL's text then names the defect.
  const fromMessage = securityCodeForVerifyMessage(message);
  if (code === 'UNSPECIFIED' || (code === '' && fromMessage !== undefined)) {
    return {
      code: fromMessage ?? 'CERTIFICATE_UNTRUSTED',
      diagnosis: 'certificate-rejected',
      explanation: `the server certificate failed verification (${message.split('\n')[0]})`,
    };
  }
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || /wrong version number/i.test(message)) {
    const advice =
      policy.mode === 'implicit-tls'
        ? `the server answered the TLS ClientHello in plaintext, which is what an SMTP server on a STARTTLS port does ` +
          `(it sends its 220 greeting). Port ${port} expects STARTTLS: use requireStarttls() (usually port ` +
          `${STARTTLS_SUBMISSION_PORT}), or implicitTls() with port ${IMPLICIT_TLS_SUBMISSION_PORT}`
        : 'the server answered the TLS ClientHello with non-TLS bytes after agreeing to STARTTLS; ' +
          'something between client and server is not speaking TLS (a broken proxy or an interception)';
    return { code: 'TLS_HANDSHAKE_FAILED', diagnosis: 'implicit-tls-on-starttls-port', explanation: advice };
  }
  if (
    [
      'ERR_SSL_UNSUPPORTED_PROTOCOL',
      'ERR_SSL_NO_PROTOCOLS_AVAILABLE',
      'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION',
    ].includes(code) ||
    /unsupported protocol|no protocols available|alert protocol version/i.test(message)
  ) {
    const minimum = policy.mode === 'dangerous-plaintext' ? 'TLSv1.2' : policy.minVersion;
    return {
      code: 'TLS_VERSION_TOO_OLD',
      diagnosis: 'server-protocol-too-old',
      explanation:
        `the server offers only TLS versions below ${minimum} (TLS 1.0 and 1.1 are deprecated by RFC 8996). ` +
        'Ask the server operator to enable TLS 1.2 or 1.3; strictmail will not downgrade',
    };
  }
  if (
    ['ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', 'ERR_SSL_NO_SHARED_CIPHER', 'ERR_SSL_NO_CIPHER_MATCH'].includes(
      code,
    ) ||
    /handshake failure|no shared cipher|no cipher match/i.test(message)
  ) {
    return {
      code: 'CIPHER_REJECTED',
      diagnosis: 'no-shared-cipher-suite',
      explanation:
        'the server refused the handshake, most likely because it shares no cipher suite with strictmail, which ' +
        'offers only forward-secret AEAD suites on TLS 1.2 (ECDHE with AES-GCM or ChaCha20-Poly1305, RFC 9325 ' +
        '§4.2). Ask the server operator to enable them (they are on by default in every current TLS server)',
    };
  }
  if (code === 'ECONNRESET' || code === 'EPIPE' || /socket disconnected|socket hang up/i.test(message)) {
    return {
      code: 'TLS_HANDSHAKE_FAILED',
      diagnosis: 'connection-closed',
      explanation:
        'the server closed the connection during the handshake. If it speaks STARTTLS on this port, use ' +
        `requireStarttls(); if it expects implicit TLS (port ${IMPLICIT_TLS_SUBMISSION_PORT}), use implicitTls()`,
    };
  }
  return {
    code: 'TLS_HANDSHAKE_FAILED',
    diagnosis: 'unknown',
    explanation: `the handshake failed with ${code || 'an error'}: ${message.split('\n')[0] ?? ''}`,
  };
}

/** Maps a `tls.connect` error to a SecurityError with a specific code and actionable message. */
export function diagnoseHandshakeError(error: unknown, context: HandshakeErrorContext): SecurityError {
  if (SecurityError.isInstance(error)) return error;
  const { code, message } = errorFacts(error);
  const finding = find(code, message, context);
  return new SecurityError(
    finding.code,
    `TLS handshake with ${context.host}:${context.port} failed (policy ${context.policy.mode}): ${finding.explanation}.`,
    { cause: error, diagnosis: finding.diagnosis },
  );
}

export interface GreetingTimeoutDiagnosis {
  readonly diagnosis: 'starttls-on-implicit-tls-port';
  /** A sentence to append to the driver's timeout error. */
  readonly advice: string;
}

/**
 * Explains a greeting timeout that comes from a port/mode mismatch: a server on port 465 waits for a
 * ClientHello while a STARTTLS client waits for a 220 greeting, so both wait until a timeout.
 * Returns `undefined` when the timeout has no such explanation.
 */
export function diagnoseGreetingTimeout(context: {
  readonly port: number;
  readonly policy: TlsPolicy;
}): GreetingTimeoutDiagnosis | undefined {
  if (context.port !== IMPLICIT_TLS_SUBMISSION_PORT || context.policy.mode === 'implicit-tls')
    return undefined;
  return {
    diagnosis: 'starttls-on-implicit-tls-port',
    advice:
      `Port ${IMPLICIT_TLS_SUBMISSION_PORT} expects implicit TLS (RFC 8314 §3.3): the server is waiting for a TLS ` +
      `ClientHello, not sending a greeting. Use implicitTls() on port ${IMPLICIT_TLS_SUBMISSION_PORT}, or ` +
      `requireStarttls() on port ${STARTTLS_SUBMISSION_PORT}.`,
  };
}
