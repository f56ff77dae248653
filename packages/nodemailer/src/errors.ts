// Errors in the shape nodemailer users already handle: `code` is nodemailer's ('EAUTH', 'EENVELOPE',
// 'ETLS', ...), with `response`, `responseCode`, `command`, `permanent`, `rejected` and `rejectedErrors`
// where nodemailer's smtp-connection sets them; strictmail's own code ('STARTTLS_STRIPPED', ...) stays
// beside it as `strictmailCode`, and the original error is the `cause`. Rule: the mapping adds fields and
// never hides one; a credential never reaches a message (invariant 9: the core's messages hold none).
import { type ErrorKind, StrictmailError } from '@strictmail/tls-policy';

/** The nodemailer error codes (nodemailer/lib/errors) this transport reports. */
export type NodemailerErrorCode =
  | 'ECONFIG'
  | 'ECONNECTION'
  | 'ETIMEDOUT'
  | 'ETLS'
  | 'EREQUIRETLS'
  | 'EPROTOCOL'
  | 'EENVELOPE'
  | 'EMESSAGE'
  | 'ESTREAM'
  | 'EABORT'
  | 'EAUTH';

/** Which recipients the server accepted, rejected, or never answered for (invariant 8). */
export interface RecipientOutcome {
  readonly accepted: readonly string[];
  readonly rejected: readonly string[];
  readonly unknown: readonly string[];
}

/** The fields a strictmail error may carry (see the smtp-core contract); read defensively. */
interface CoreErrorFields {
  readonly code?: unknown;
  readonly kind?: unknown;
  readonly command?: unknown;
  readonly replyCode?: unknown;
  readonly response?: unknown;
  readonly recipient?: unknown;
  readonly recipients?: RecipientOutcome;
  readonly rejectedErrors?: unknown;
}

export interface TransportErrorDetails {
  readonly kind: ErrorKind | 'abort' | 'stream';
  readonly strictmailCode: string;
  readonly command?: string | undefined;
  readonly response?: string | undefined;
  readonly responseCode?: number | undefined;
  readonly recipient?: string | undefined;
  readonly recipients?: RecipientOutcome | undefined;
  readonly rejectedErrors?: readonly TransportError[] | undefined;
  readonly cause?: unknown;
}

/** A send or verify failure, readable both as a nodemailer error and as a strictmail error. */
export class TransportError extends StrictmailError<NodemailerErrorCode> {
  readonly kind: ErrorKind;
  /** strictmail's own code, e.g. `STARTTLS_STRIPPED`, `CERTIFICATE_UNTRUSTED`, or the core's reply code. */
  readonly strictmailCode: string;
  /** The SMTP command that failed, in nodemailer's spelling (`MAIL FROM`, `RCPT TO`, `DATA`, `AUTH PLAIN`). */
  readonly command: string | undefined;
  /** The server's reply, when a reply caused the failure. */
  readonly response: string | undefined;
  readonly responseCode: number | undefined;
  /** As nodemailer: true for a 5xx reply other than 503 (retrying the same message gets the same answer). */
  readonly permanent: boolean | undefined;
  /** For a recipient-level rejection: the address. */
  readonly recipient: string | undefined;
  /** Which recipients were accepted, rejected or left unknown when the send failed. */
  readonly recipients: RecipientOutcome | undefined;
  /** As nodemailer: the rejected recipients and their errors, when every recipient was rejected. */
  readonly rejected: string[] | undefined;
  readonly rejectedErrors: TransportError[] | undefined;

  constructor(code: NodemailerErrorCode, message: string, details: TransportErrorDetails) {
    super(code, message, { cause: details.cause });
    // nodemailer's cancelled sends are `AbortError`s; code that tests `error.name` keeps working.
    if (code === 'EABORT') this.name = 'AbortError';
    this.kind = details.kind === 'abort' || details.kind === 'stream' ? 'local-protocol' : details.kind;
    this.strictmailCode = details.strictmailCode;
    this.command = details.command;
    this.response = details.response;
    this.responseCode = details.responseCode;
    this.permanent =
      details.responseCode === undefined
        ? undefined
        : details.responseCode >= 500 && details.responseCode < 600 && details.responseCode !== 503;
    this.recipient = details.recipient;
    this.recipients = details.recipients;
    this.rejected = details.recipients === undefined ? undefined : [...details.recipients.rejected];
    this.rejectedErrors = details.rejectedErrors === undefined ? undefined : [...details.rejectedErrors];
  }

  /** Transient as the underlying strictmail error says, or as nodemailer's `isTransientError` would. */
  override isTransient(): boolean {
    if (StrictmailError.isInstance(this.cause)) return this.cause.isTransient();
    if (this.responseCode !== undefined) return this.responseCode >= 400 && this.responseCode < 500;
    return this.code === 'ECONNECTION' || this.code === 'ETIMEDOUT';
  }

  static override isInstance(value: unknown): value is TransportError {
    return (
      StrictmailError.isInstance(value) &&
      typeof (value as { strictmailCode?: unknown }).strictmailCode === 'string'
    );
  }
}

/**
 * nodemailer's code for each strictmail code whose meaning is fixed (smtp-core's errors, and the
 * security refusals that are not about the TLS channel itself). Every other SecurityError is 'ETLS'.
 */
const CODE_FOR: Readonly<Record<string, NodemailerErrorCode>> = {
  // tls-policy SecurityError
  AUTH_UNAVAILABLE: 'EAUTH',
  REQUIRETLS_UNAVAILABLE: 'EREQUIRETLS',
  EHLO_REFUSED: 'EPROTOCOL',
  // smtp-core SmtpReplyError (nodemailer: greeting and EHLO failures are EPROTOCOL)
  GREETING_REJECTED: 'EPROTOCOL',
  EHLO_REJECTED: 'EPROTOCOL',
  AUTH_FAILED: 'EAUTH',
  MAIL_REJECTED: 'EENVELOPE',
  RECIPIENT_REJECTED: 'EENVELOPE',
  RECIPIENTS_REJECTED: 'EENVELOPE',
  DATA_REJECTED: 'EENVELOPE',
  MESSAGE_REJECTED: 'EMESSAGE',
  // smtp-core LocalProtocolError (nodemailer: "Internationalized mailbox name not allowed" is EENVELOPE,
  // "Message size larger than allowed" is EMESSAGE)
  UNSAFE_INPUT: 'EENVELOPE',
  SMTPUTF8_UNAVAILABLE: 'EENVELOPE',
  DSN_UNAVAILABLE: 'EENVELOPE',
  EIGHTBITMIME_UNAVAILABLE: 'EMESSAGE',
  MESSAGE_TOO_LARGE: 'EMESSAGE',
  BARE_LINE_ENDING: 'EMESSAGE',
  BODY_STREAM_FAILED: 'ESTREAM',
  INVALID_STATE: 'EPROTOCOL',
  CONNECTION_FAILED: 'ECONNECTION',
  // smtp-core ConnectionError
  TIMEOUT: 'ETIMEDOUT',
  ABORTED: 'EABORT',
  CONNECTION_CLOSED: 'ECONNECTION',
  SOCKET_ERROR: 'ECONNECTION',
  CLIENT_CLOSED: 'ECONNECTION',
};

/** nodemailer's code for a failed SMTP command (as smtp-connection assigns them). */
export function codeForCommand(command: string | undefined): NodemailerErrorCode | undefined {
  if (command === undefined) return undefined;
  const upper = command.toUpperCase();
  if (upper.startsWith('AUTH')) return 'EAUTH';
  if (upper.startsWith('STARTTLS')) return 'ETLS';
  if (upper.startsWith('MAIL') || upper.startsWith('RCPT')) return 'EENVELOPE';
  // The reply to the DATA command itself is an envelope failure; the reply after the message (the
  // final dot, or the last BDAT chunk) is a message failure.
  if (upper === 'DATA') return 'EENVELOPE';
  if (
    upper.startsWith('BDAT') ||
    upper.startsWith('.') ||
    upper.includes('END') ||
    upper.includes('MESSAGE')
  ) {
    return 'EMESSAGE';
  }
  if (upper.startsWith('EHLO') || upper.startsWith('HELO') || upper.startsWith('GREETING'))
    return 'EPROTOCOL';
  return undefined;
}

function classify(error: StrictmailError, command: string | undefined): NodemailerErrorCode {
  const fixed = CODE_FOR[error.code];
  if (fixed !== undefined) return fixed;
  switch (error.kind) {
    case 'security':
      return 'ETLS';
    case 'configuration':
      return 'ECONFIG';
    case 'connection':
      return 'ECONNECTION';
    case 'remote-protocol':
      return 'EPROTOCOL';
    case 'smtp-reply':
      // COMMAND_REJECTED, SERVICE_UNAVAILABLE (421): as nodemailer, by the command that got the reply.
      return codeForCommand(command) ?? (error.code === 'SERVICE_UNAVAILABLE' ? 'ECONNECTION' : 'EPROTOCOL');
    case 'local-protocol':
      return codeForCommand(command) ?? 'EPROTOCOL';
  }
}

function replyCodeOf(fields: CoreErrorFields): number | undefined {
  if (typeof fields.replyCode === 'number') return fields.replyCode;
  if (typeof fields.response === 'string') {
    const match = /^(\d{3})/.exec(fields.response);
    if (match) return Number(match[1]);
  }
  return undefined;
}

function isAbort(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error.name === 'AbortError' || (error as { code?: unknown }).code === 'ABORT_ERR')
  );
}

/** Maps any error from the core (or from the message stream) to a TransportError. */
export function toTransportError(
  error: unknown,
  context: {
    readonly streamError?: unknown;
    readonly envelopePhase?: boolean;
    readonly recipient?: string;
  } = {},
): TransportError {
  if (TransportError.isInstance(error)) return error;
  const fields = (typeof error === 'object' && error !== null ? error : {}) as CoreErrorFields;
  const message = error instanceof Error ? error.message : String(error);
  // A broken message stream explains the failure, unless the channel itself was refused first: a
  // security refusal stays what it is, whatever happened to the message meanwhile.
  const refusedChannel = StrictmailError.isInstance(error) && error.kind === 'security';
  const reportedByCore = StrictmailError.isInstance(error) && error.code === 'BODY_STREAM_FAILED';
  if (context.streamError !== undefined && !refusedChannel && !reportedByCore) {
    const streamMessage =
      context.streamError instanceof Error ? context.streamError.message : String(context.streamError);
    return new TransportError('ESTREAM', `The message could not be read: ${streamMessage}`, {
      kind: 'stream',
      strictmailCode: 'BODY_STREAM_FAILED',
      recipients: fields.recipients,
      cause: context.streamError,
    });
  }
  if (isAbort(error)) {
    return new TransportError('EABORT', 'Message sending aborted', {
      kind: 'abort',
      strictmailCode: 'ABORTED',
      recipients: fields.recipients,
      cause: error,
    });
  }
  if (!StrictmailError.isInstance(error)) {
    return new TransportError('ECONNECTION', message, {
      kind: 'connection',
      strictmailCode: typeof fields.code === 'string' ? fields.code : 'UNKNOWN',
      cause: error,
    });
  }
  const command = typeof fields.command === 'string' ? fields.command : undefined;
  let code = classify(error, command);
  if (context.envelopePhase === true && error.kind === 'configuration') code = 'EENVELOPE';
  const rejectedErrors = Array.isArray(fields.rejectedErrors)
    ? fields.rejectedErrors.map((entry: unknown) => toTransportError(entry))
    : undefined;
  return new TransportError(code, message, {
    kind: error.kind,
    strictmailCode: error.code,
    command,
    response: typeof fields.response === 'string' ? fields.response : undefined,
    responseCode: replyCodeOf(fields),
    recipient: typeof fields.recipient === 'string' ? fields.recipient : context.recipient,
    recipients: fields.recipients,
    rejectedErrors,
    cause: error,
  });
}
