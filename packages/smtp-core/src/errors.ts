// The errors of the SMTP client, each saying who is at fault (h11's split): the caller
// (`LocalProtocolError`), the server breaking the protocol (`RemoteProtocolError`), the server answering
// with a negative reply (`SmtpReplyError`, transient or permanent by its code), or the connection itself
// (`ConnectionError`). Security refusals are `SecurityError`s from @strictmail/tls-policy.
// Rule: no credential ever appears in a message or field of these errors (invariant 9).
import { StrictmailError, type StrictmailErrorOptions } from '@strictmail/tls-policy';
import type { Reply } from './reply';

/** Which recipients the server accepted, rejected, or never answered for, when a send fails. */
export interface RecipientOutcome {
  readonly accepted: readonly string[];
  readonly rejected: readonly string[];
  readonly unknown: readonly string[];
}

/** Context every SMTP-related error may carry. */
export interface SmtpErrorContext extends StrictmailErrorOptions {
  /** The command that was answered or pending, e.g. `RCPT TO`. Never contains credentials. */
  readonly command?: string;
  readonly reply?: Reply;
  readonly recipients?: RecipientOutcome;
  readonly transient?: boolean;
}

abstract class SmtpContextError<Code extends string> extends StrictmailError<Code> {
  readonly command: string | undefined;
  readonly replyCode: number | undefined;
  /** The server's reply text, all lines joined by newlines. */
  readonly response: string | undefined;
  readonly reply: Reply | undefined;
  recipients: RecipientOutcome | undefined;

  constructor(code: Code, message: string, context: SmtpErrorContext = {}) {
    super(code, message, context);
    this.command = context.command;
    this.reply = context.reply;
    this.replyCode = context.reply?.code;
    this.response = context.reply?.text;
    this.recipients = context.recipients;
  }
}

export type LocalProtocolErrorCode =
  /** An address, EHLO name or AUTH value contains CR, LF, NUL or other unsafe bytes (invariant 6). */
  | 'UNSAFE_INPUT'
  /** The method was called in a state that does not allow it (e.g. a message before `session-ready`). */
  | 'INVALID_STATE'
  /** The message needs SMTPUTF8 (non-ASCII address) and the server does not offer it (RFC 6531 §3.4). */
  | 'SMTPUTF8_UNAVAILABLE'
  /** The message has 8-bit bytes and the server does not offer 8BITMIME (RFC 6152 §3). */
  | 'EIGHTBITMIME_UNAVAILABLE'
  /** DSN parameters were given and the server does not offer DSN (RFC 3461 §4). */
  | 'DSN_UNAVAILABLE'
  /** The declared message size exceeds the server's SIZE limit (RFC 1870 §6). */
  | 'MESSAGE_TOO_LARGE'
  /** The body has a bare CR or LF and the encoder was told to refuse them (invariant 7). */
  | 'BARE_LINE_ENDING'
  /** The message body (a stream) threw while it was being read. */
  | 'BODY_STREAM_FAILED'
  /** The connection has already failed; its `cause` is the original error. */
  | 'CONNECTION_FAILED';

/** The caller misused the API or gave input that cannot be sent safely. Nothing was sent for it. */
export class LocalProtocolError extends SmtpContextError<LocalProtocolErrorCode> {
  readonly kind = 'local-protocol' as const;
}

export type RemoteProtocolErrorCode =
  /** A reply line is not `ddd[ -]text CRLF` (RFC 5321 §4.2). */
  | 'MALFORMED_REPLY'
  /** The lines of one multi-line reply carry different codes (RFC 5321 §4.2.1). */
  | 'INCONSISTENT_REPLY_CODE'
  /** A reply exceeded one of the named limits in limits.ts. */
  | 'REPLY_TOO_LARGE'
  /** A reply code outside 200-599 (RFC 5321 §4.2.1: clients should treat it as fatal). */
  | 'REPLY_CODE_OUT_OF_RANGE'
  /** A reply arrived when no command was waiting for one, or a reply the command does not allow. */
  | 'UNEXPECTED_REPLY'
  /** The server's SCRAM proof did not verify (RFC 5802 §5.1): it does not know the password. */
  | 'AUTH_SERVER_SIGNATURE_INVALID';

/** The server broke the SMTP protocol. The connection is unusable afterwards. */
export class RemoteProtocolError extends SmtpContextError<RemoteProtocolErrorCode> {
  readonly kind = 'remote-protocol' as const;
}

export type SmtpReplyErrorCode =
  | 'GREETING_REJECTED'
  | 'EHLO_REJECTED'
  | 'AUTH_FAILED'
  | 'MAIL_REJECTED'
  | 'RECIPIENT_REJECTED'
  | 'RECIPIENTS_REJECTED'
  | 'DATA_REJECTED'
  | 'MESSAGE_REJECTED'
  | 'COMMAND_REJECTED'
  /** 421: the server is closing the connection (RFC 5321 §3.8). */
  | 'SERVICE_UNAVAILABLE';

/** The server answered with a negative reply. `isTransient()` follows the reply code (4xx vs 5xx). */
export class SmtpReplyError extends SmtpContextError<SmtpReplyErrorCode> {
  readonly kind = 'smtp-reply' as const;
  /** The recipient this error is about, for `RECIPIENT_REJECTED`. */
  readonly recipient: string | undefined;
  readonly #transient: boolean;

  constructor(code: SmtpReplyErrorCode, message: string, context: SmtpErrorContext & { recipient?: string }) {
    super(code, message, context);
    this.recipient = context.recipient;
    this.#transient = context.transient ?? context.reply?.isTransient() ?? false;
  }

  override isTransient(): boolean {
    return this.#transient;
  }
}

export type ConnectionErrorCode =
  /** The server closed the connection while a reply was still expected. */
  | 'CONNECTION_CLOSED'
  /** A named timeout expired; the message names it and its value. */
  | 'TIMEOUT'
  /** The socket failed (refused, reset, unreachable). */
  | 'SOCKET_ERROR'
  /** The caller aborted the operation with an AbortSignal. */
  | 'ABORTED'
  /** The client was closed before the message could be sent. */
  | 'CLIENT_CLOSED';

/** The connection failed, closed or timed out. Transient unless the caller aborted. */
export class ConnectionError extends SmtpContextError<ConnectionErrorCode> {
  readonly kind = 'connection' as const;

  override isTransient(): boolean {
    return this.code !== 'ABORTED' && this.code !== 'CLIENT_CLOSED';
  }
}
