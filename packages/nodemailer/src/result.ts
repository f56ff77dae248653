// The `info` a successful sendMail() resolves with: nodemailer's SMTP fields (`envelope`, `messageId`,
// `accepted`, `rejected`, `rejectedErrors`, `pending`, `response`, `messageSize`, `messageTime`) plus
// `tls`, the receipt of the TLS session that carried the message. Rule: every field comes from what the
// server answered and what the TLS session negotiated, never from what was configured.
import type { TlsReceipt } from '@strictmail/tls-policy';
import type { ReportedEnvelope } from './envelope';
import { type TransportError, toTransportError } from './errors';

/** What `client.send()` resolves with (see the @strictmail/smtp-core contract). */
export interface CoreSendResult {
  readonly accepted: readonly string[];
  readonly rejected: readonly string[];
  readonly rejectedErrors?: readonly unknown[];
  readonly response: string;
  readonly tls: TlsReceipt | null;
  readonly messageSize: number;
}

export interface StrictmailSentMessageInfo {
  readonly envelope: ReportedEnvelope;
  readonly messageId: string;
  /** Recipients the server accepted. The message was sent only if the data phase then succeeded. */
  readonly accepted: string[];
  /** Recipients the server refused (the message still went to the accepted ones). */
  readonly rejected: string[];
  /** One error per rejected recipient, with nodemailer's `code`, `response`, `responseCode`, `recipient`. */
  readonly rejectedErrors?: TransportError[];
  /** Always empty: nodemailer fills it only for LMTP, which this transport does not speak. */
  readonly pending: string[];
  /** The server's final reply to the data phase, e.g. `250 2.0.0 OK queued as 1234`. */
  readonly response: string;
  /** The TLS receipt (protocol, cipher, verified names, leaf key pin); `null` only in `dangerous-...` modes. */
  readonly tls: TlsReceipt | null;
  /** Bytes of message data sent, after dot-stuffing and line-ending normalisation. */
  readonly messageSize: number;
  /** Milliseconds from handing the message to the client to the final reply. */
  readonly messageTime: number;
}

export function buildSentMessageInfo(
  result: CoreSendResult,
  details: { readonly envelope: ReportedEnvelope; readonly messageId: string; readonly messageTime: number },
): StrictmailSentMessageInfo {
  const rejected = [...result.rejected];
  // The core lists rejections in recipient order; nodemailer names the recipient on each error.
  const rejectedErrors = (result.rejectedErrors ?? []).map((error, index) =>
    toTransportError(error, rejected[index] === undefined ? {} : { recipient: rejected[index] }),
  );
  return {
    envelope: details.envelope,
    messageId: details.messageId,
    accepted: [...result.accepted],
    rejected,
    ...(rejectedErrors.length > 0 ? { rejectedErrors } : {}),
    pending: [],
    response: result.response,
    tls: result.tls,
    messageSize: result.messageSize,
    messageTime: details.messageTime,
  };
}
