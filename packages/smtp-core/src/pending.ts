// The queue of commands waiting for a reply. SMTP answers in order (RFC 5321 §4.1; RFC 2920 §3.1 keeps
// that order under pipelining), so the head of this FIFO owns the next reply: that is how replies are
// never confused between commands or between pipelined messages.
import type { Transaction } from './transaction';

export type PendingKind =
  | 'greeting'
  | 'ehlo'
  | 'helo'
  | 'starttls'
  | 'auth'
  | 'quit'
  | 'rset'
  | 'mail'
  | 'rcpt'
  | 'data'
  | 'data-end'
  | 'bdat';

export interface PendingReply {
  readonly kind: PendingKind;
  readonly transaction?: Transaction;
  /** For `bdat`: whether this was the LAST chunk. */
  readonly last?: boolean;
}

/** The command name for errors and logs. */
export function commandName(kind: PendingKind): string {
  switch (kind) {
    case 'greeting':
      return 'greeting';
    case 'data-end':
      return 'end of data';
    case 'mail':
      return 'MAIL FROM';
    case 'rcpt':
      return 'RCPT TO';
    default:
      return kind.toUpperCase();
  }
}
