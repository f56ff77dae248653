// What the core tells its driver (events, from `nextEvent()`) and what the driver asks of the core
// (commands, to `send()`), as discriminated unions on `type` (`<noun>-<action>`).
// Each event says when it is emitted and, where it matters, when it is not.
import type { StrictmailError, TlsEntry, TlsReceipt } from '@strictmail/tls-policy';
import type { Capabilities } from './capabilities';
import type { SmtpReplyError } from './errors';
import type { Reply } from './reply';

/** Returned by `nextEvent()` when the core needs more bytes from the server (h11's `NEED_DATA`). */
export const NEED_DATA: unique symbol = Symbol.for('strictmail.smtp-core.NEED_DATA');
export type NeedData = typeof NEED_DATA;

/**
 * The driver must perform a TLS handshake now and call `tlsEstablished(receipt)` with the judged
 * receipt. Emitted first for implicit TLS, and after exactly `220` to STARTTLS. Never emitted under
 * `dangerous-plaintext`. Until `tlsEstablished`, any received byte fails the connection.
 */
export interface TlsUpgradeRequestEvent {
  readonly type: 'tls-upgrade-request';
  readonly entry: TlsEntry;
}

/**
 * The session is set up (TLS as the policy demands, EHLO after TLS, AUTH when credentials were given):
 * messages may be started. Emitted once. Not emitted when any security check failed.
 */
export interface SessionReadyEvent {
  readonly type: 'session-ready';
  readonly capabilities: Capabilities;
  readonly tls: TlsReceipt | null;
  readonly authenticated: boolean;
}

/**
 * The driver may now stream the body of message `id` (`body-chunk` ... `body-end`): after 354 to DATA,
 * or as soon as the message owns the wire with BDAT. Not emitted when the envelope failed first.
 */
export interface BodyRequestEvent {
  readonly type: 'body-request';
  readonly id: number;
}

/** The server gave a positive final reply to the data phase of message `id` (invariant 8). */
export interface MessageAcceptEvent {
  readonly type: 'message-accept';
  readonly id: number;
  readonly accepted: readonly string[];
  readonly rejected: readonly string[];
  readonly rejectedErrors: readonly SmtpReplyError[];
  readonly reply: Reply;
  /** Bytes of the message after line-ending normalisation (what SIZE counts). */
  readonly messageSize: number;
}

/**
 * Message `id` was not delivered. The error says why, and carries `recipients` (accepted, rejected,
 * unknown). May arrive while its body is still streaming (a BDAT chunk was refused): stop and send
 * `body-end`. When the connection fails, every unfinished message gets one of these first.
 */
export interface MessageRejectEvent {
  readonly type: 'message-reject';
  readonly id: number;
  readonly error: StrictmailError;
  /** True when the connection failed before any command of this message was written: retrying it elsewhere cannot duplicate it. */
  readonly unsent: boolean;
}

/** The session ended cleanly (221 to QUIT, or EOF after QUIT). Repeats on every later call. */
export interface ConnectionCloseEvent {
  readonly type: 'connection-close';
}

/** The connection failed for good (sticky: repeats on every later call). Close the socket. */
export interface ConnectionFailEvent {
  readonly type: 'connection-fail';
  readonly error: StrictmailError;
}

export type ClientEvent =
  | TlsUpgradeRequestEvent
  | SessionReadyEvent
  | BodyRequestEvent
  | MessageAcceptEvent
  | MessageRejectEvent
  | ConnectionCloseEvent
  | ConnectionFailEvent;

/** DSN parameters (RFC 3461). */
export interface DsnOptions {
  readonly ret?: 'FULL' | 'HDRS';
  readonly envid?: string;
  readonly notify?: readonly ('NEVER' | 'SUCCESS' | 'FAILURE' | 'DELAY')[];
  readonly orcpt?: string;
}

export interface Envelope {
  readonly from: string;
  readonly to: readonly string[];
  /** Message size in bytes, when known in advance (sent as SIZE=, checked against the server's limit). */
  readonly size?: number;
  readonly dsn?: DsnOptions;
  /** RFC 8689 REQUIRETLS: only over verified TLS to a server advertising it, otherwise refused. */
  readonly requireTls?: boolean;
}

/**
 * Start message `id`. `eightBit`: whether the body has bytes above 0x7F, or `'unknown'` for a stream
 * (BODY=8BITMIME is then declared when offered, and an 8-bit byte fails the message when not).
 */
export interface MessageStartCommand {
  readonly type: 'message-start';
  readonly id: number;
  readonly envelope: Envelope;
  readonly eightBit: boolean | 'unknown';
}

/** A chunk of message `id`'s body; `last: true` also ends it (one `BDAT n LAST` for small messages). */
export interface BodyChunkCommand {
  readonly type: 'body-chunk';
  readonly id: number;
  readonly data: Uint8Array;
  readonly last?: boolean;
}

export interface BodyEndCommand {
  readonly type: 'body-end';
  readonly id: number;
}

/** Ends the session politely (RFC 5321 §4.1.1.10). Only when no message is unfinished. */
export interface QuitCommand {
  readonly type: 'quit';
}

export type ClientCommand = MessageStartCommand | BodyChunkCommand | BodyEndCommand | QuitCommand;

/** One line of the session, with credentials redacted (invariant 9), for logs. */
export interface TranscriptEntry {
  readonly direction: 'client' | 'server';
  readonly text: string;
}
