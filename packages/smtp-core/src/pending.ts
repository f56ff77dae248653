// The queue of commands waiting for a reply. SMTP answers in order (RFC 5321 §4.1; RFC 2920 §3.1 keeps
// that order under pipelining), so the head of this FIFO owns the next reply: that is how replies are
// never confused between commands or between pipelined messages. Also here: the checks every reply
// passes before its command sees it (a reply nobody waits for, a code out of range, a 421).
import { RemoteProtocolError, SmtpReplyError } from './errors';
import type { Reply } from './reply';
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

/** The error for a reply that arrived when no command was waiting for one (421 is the server leaving). */
export function unsolicitedReply(reply: Reply): SmtpReplyError | RemoteProtocolError {
  if (reply.code === 421) {
    return new SmtpReplyError('SERVICE_UNAVAILABLE', `The server is closing the connection: ${reply.text}`, {
      reply,
    });
  }
  return new RemoteProtocolError(
    'UNEXPECTED_REPLY',
    `The server sent a reply when no command was waiting for one: ${reply.text.slice(0, 200)}`,
    { reply },
  );
}

/** Checks that apply to the reply to any command (STARTTLS has its own, stricter rule). */
export function checkReplyCode(kind: PendingKind, reply: Reply): void {
  if (reply.code < 200 || reply.code > 599) {
    throw new RemoteProtocolError(
      'REPLY_CODE_OUT_OF_RANGE',
      `The server answered ${commandName(kind)} with ${reply.code}; RFC 5321 §4.2.1 allows only 2yz-5yz and says to treat others as fatal.`,
      { command: commandName(kind), reply },
    );
  }
  if (reply.code === 421 && kind !== 'quit') {
    // RFC 5321 §3.8: 421 means the server is closing the channel, whatever command it answers.
    throw new SmtpReplyError(
      'SERVICE_UNAVAILABLE',
      `The server is closing the connection (421) in reply to ${commandName(kind)}: ${reply.text}`,
      { command: commandName(kind), reply },
    );
  }
}
