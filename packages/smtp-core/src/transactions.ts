// The transaction engine: puts messages on the wire and matches their replies (RFC 5321 §3.3).
// Strategy, for speed without ambiguity:
// - With PIPELINING (RFC 2920 §3.1), MAIL, every RCPT and DATA go out in one flight; DATA is last in its
//   group, so the body waits for 354. With CHUNKING too (RFC 3030 §4.2), MAIL, RCPTs and the BDAT
//   chunks go out without waiting at all.
// - One message owns the wire at a time: the next message's MAIL is written only after the previous
//   body's end (RFC 2920 §3.1: message content may be the first "command" of the next group), so it
//   rides in the same flight. Replies are matched by the FIFO in pending.ts, never by guessing.
// - RSET (RFC 5321 §4.1.1.5) precedes a MAIL whenever the server may still hold the previous
//   transaction; it is pipelined too, so it costs no round trip.

import type { StrictmailError } from '@strictmail/tls-policy';
import { encodeBdat, encodeData, encodeMailFrom, encodeRcptTo, encodeRset } from './commands';
import { LocalProtocolError, RemoteProtocolError, SmtpReplyError } from './errors';
import type { ClientEvent, MessageStartCommand } from './events';
import type { PendingReply } from './pending';
import type { Reply } from './reply';
import { nextTransactionState } from './state';
import {
  createTransaction,
  errorForTransaction,
  isTerminal,
  recipientOutcome,
  type Transaction,
  type TransactionContext,
} from './transaction';

/** What the engine needs from its connection. */
export interface TransactionHost {
  readonly pipelining: boolean;
  write(bytes: Uint8Array, pending: PendingReply | null, transcript: string): void;
  emit(event: ClientEvent): void;
  pendingCount(): number;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

export class TransactionEngine {
  readonly #host: TransactionHost;
  readonly #transactions: Transaction[] = [];
  #wireOwner: Transaction | null = null;
  #lastReleased: Transaction | null = null;

  constructor(host: TransactionHost) {
    this.#host = host;
  }

  /** Messages started and not yet accepted or rejected. */
  get unfinished(): number {
    return this.#transactions.length;
  }

  /** Whether every unfinished message has its end of data written (only replies are awaited). */
  get allEndsWritten(): boolean {
    return this.#transactions.every((transaction) => transaction.state === 'END_SENT');
  }

  /** Whether message `id` is started but none of its commands was written yet (safe to retry elsewhere). */
  isUnsent(id: number): boolean {
    return this.#transactions.some((transaction) => transaction.id === id && transaction.state === 'QUEUED');
  }

  start(command: MessageStartCommand, context: TransactionContext): void {
    if (!Number.isSafeInteger(command.id) || this.#transactions.some((t) => t.id === command.id)) {
      throw new LocalProtocolError(
        'INVALID_STATE',
        `Message id ${command.id} is not a unique integer among unfinished messages.`,
      );
    }
    this.#transactions.push(createTransaction(command, context));
    this.pump();
  }

  bodyChunk(id: number, data: Uint8Array, last: boolean): void {
    const transaction = this.#bodyTransaction(id);
    if (transaction === null) return;
    const encoded = transaction.encoder.encode(data);
    if (transaction.encoder.sawEightBit && !transaction.eightBitDeclared) {
      throw new LocalProtocolError(
        'EIGHTBITMIME_UNAVAILABLE',
        'The message body contains 8-bit bytes and the server does not advertise 8BITMIME (RFC 6152). The message was not completed. Encode the body as quoted-printable or base64.',
        { command: transaction.framing === 'data' ? 'DATA' : 'BDAT' },
      );
    }
    if (last) {
      this.#end(transaction, encoded);
      return;
    }
    if (transaction.framing === 'data') {
      if (encoded.length > 0) this.#host.write(encoded, null, '');
    } else if (encoded.length > 0) {
      this.#host.write(
        concat(encodeBdat(encoded.length, false), encoded),
        { kind: 'bdat', transaction, last: false },
        `BDAT ${encoded.length} [message data]`,
      );
    }
  }

  bodyEnd(id: number): void {
    const transaction = this.#bodyTransaction(id);
    if (transaction !== null) this.#end(transaction, new Uint8Array(0));
  }

  /** Handles a reply whose head-of-queue command belongs to a transaction. */
  handleReply(head: PendingReply, reply: Reply): void {
    const transaction = head.transaction;
    if (transaction === undefined) throw new Error('internal: transaction reply without a transaction');
    switch (head.kind) {
      case 'mail':
        if (!reply.isPositive()) {
          transaction.mailRejected = true;
          this.#reject(transaction, this.#replyError('MAIL_REJECTED', 'MAIL FROM', reply, transaction));
        }
        break;
      case 'rcpt':
        this.#recipientReply(transaction, reply);
        break;
      case 'data':
        transaction.dataPending = false;
        if (reply.code === 354) {
          if (transaction.state !== 'ENVELOPE' || transaction.accepted.length === 0) {
            throw new RemoteProtocolError(
              'UNEXPECTED_REPLY',
              'The server answered DATA with 354 although MAIL FROM or every RCPT TO was refused. Sending a body now would deliver it without a valid envelope; the connection is abandoned instead (RFC 2920 §3.1).',
              { command: 'DATA', reply },
            );
          }
          transaction.state = nextTransactionState(transaction.state, 'body-open');
          this.#host.emit({ type: 'body-request', id: transaction.id });
        } else if (reply.isPositive()) {
          throw new RemoteProtocolError(
            'UNEXPECTED_REPLY',
            `The server answered DATA with ${reply.code}; expected 354 or a failure (RFC 5321 §4.1.1.4).`,
            { command: 'DATA', reply },
          );
        } else {
          this.#reject(transaction, this.#replyError('DATA_REJECTED', 'DATA', reply, transaction));
          if (this.#wireOwner === transaction) this.#release(transaction);
        }
        break;
      case 'data-end':
        this.#finalReply(transaction, reply, 'end of data');
        break;
      case 'bdat':
        if (head.last === true) this.#finalReply(transaction, reply, 'BDAT LAST');
        else if (!reply.isPositive()) {
          this.#reject(transaction, this.#replyError('MESSAGE_REJECTED', 'BDAT', reply, transaction));
        }
        break;
      default:
        throw new Error(`internal: ${head.kind} is not a transaction command`);
    }
    this.pump();
  }

  /** Writes whatever the next message may write now. Called after every reply and command. */
  pump(): void {
    const host = this.#host;
    for (;;) {
      const owner = this.#wireOwner;
      if (owner !== null) {
        if (owner.state === 'ENVELOPE' && !host.pipelining && host.pendingCount() === 0)
          this.#stepWithoutPipelining(owner);
        return;
      }
      const transaction = this.#transactions.find((t) => t.state === 'QUEUED');
      if (transaction === undefined) return;
      if (!host.pipelining && host.pendingCount() > 0) return;
      if (this.#needsReset()) {
        this.#lastReleased = null;
        host.write(encodeRset(), { kind: 'rset' }, 'RSET');
        if (!host.pipelining) return;
      }
      transaction.state = nextTransactionState(transaction.state, 'envelope-send');
      this.#wireOwner = transaction;
      this.#writeMail(transaction);
      if (!host.pipelining) return;
      while (transaction.recipientsSent < transaction.envelope.to.length) this.#writeRecipient(transaction);
      if (transaction.framing === 'data') {
        this.#writeData(transaction);
        return;
      }
      transaction.state = nextTransactionState(transaction.state, 'body-open');
      host.emit({ type: 'body-request', id: transaction.id });
      return;
    }
  }

  /** Rejects every unfinished message with a copy of the connection's error (its recipients attached). */
  failAll(error: StrictmailError): void {
    for (const transaction of [...this.#transactions]) {
      if (isTerminal(transaction)) continue;
      const unsent = transaction.state === 'QUEUED';
      this.#reject(transaction, errorForTransaction(error, transaction), unsent);
    }
    this.#wireOwner = null;
  }

  #stepWithoutPipelining(transaction: Transaction): void {
    if (transaction.recipientsSent < transaction.envelope.to.length) {
      this.#writeRecipient(transaction);
    } else if (!transaction.dataSent && transaction.accepted.length > 0) {
      this.#writeData(transaction);
    }
  }

  #writeMail(transaction: Transaction): void {
    const { from } = transaction.envelope;
    this.#host.write(
      encodeMailFrom(from, transaction.mailParameters),
      { kind: 'mail', transaction },
      [`MAIL FROM:<${from}>`, ...transaction.mailParameters].join(' '),
    );
  }

  #writeRecipient(transaction: Transaction): void {
    const address = transaction.envelope.to[transaction.recipientsSent++] as string;
    this.#host.write(
      encodeRcptTo(address, transaction.recipientParameters),
      { kind: 'rcpt', transaction },
      [`RCPT TO:<${address}>`, ...transaction.recipientParameters].join(' '),
    );
  }

  #writeData(transaction: Transaction): void {
    transaction.dataSent = true;
    transaction.dataPending = true;
    this.#host.write(encodeData(), { kind: 'data', transaction }, 'DATA');
  }

  /** The message whose body the driver may send, or null when it was rejected meanwhile (ignore the chunk). */
  #bodyTransaction(id: number): Transaction | null {
    const transaction = this.#wireOwner;
    if (transaction !== null && transaction.id === id) {
      if (transaction.state === 'BODY') return transaction;
      if (transaction.state === 'REJECTED') {
        this.#release(transaction);
        this.pump();
        return null;
      }
    }
    throw new LocalProtocolError(
      'INVALID_STATE',
      `Body data for message ${id} was sent before its body-request event or after its end. Send the body only between body-request and body-end.`,
    );
  }

  #end(transaction: Transaction, encoded: Uint8Array): void {
    const tail = concat(encoded, transaction.encoder.finish());
    transaction.endSent = true;
    transaction.state = nextTransactionState(transaction.state, 'body-end');
    const size = transaction.encoder.messageSize;
    if (transaction.framing === 'data') {
      this.#host.write(tail, { kind: 'data-end', transaction }, `[${size} bytes of message data] .`);
    } else {
      this.#host.write(
        concat(encodeBdat(tail.length, true), tail),
        { kind: 'bdat', transaction, last: true },
        `BDAT ${tail.length} LAST [${size} bytes of message in total]`,
      );
    }
    this.#release(transaction);
    this.pump();
  }

  #recipientReply(transaction: Transaction, reply: Reply): void {
    const address = transaction.envelope.to[transaction.recipientsAnswered++] as string;
    if (reply.isPositive()) {
      transaction.accepted.push(address);
    } else {
      transaction.rejected.push(address);
      transaction.rejectedErrors.push(
        new SmtpReplyError(
          'RECIPIENT_REJECTED',
          `The server refused the recipient <${address}>: ${reply.text}`,
          {
            command: 'RCPT TO',
            reply,
            recipient: address,
          },
        ),
      );
    }
    if (transaction.recipientsAnswered < transaction.envelope.to.length || transaction.accepted.length > 0)
      return;
    if (isTerminal(transaction)) return;
    const transient = transaction.rejectedErrors.some((error) => error.isTransient());
    this.#reject(
      transaction,
      new SmtpReplyError(
        'RECIPIENTS_REJECTED',
        `The server refused every recipient (${transaction.rejected.length}); the message was not sent. First refusal: ${transaction.rejectedErrors[0]?.response ?? ''}`,
        { command: 'RCPT TO', reply, transient, recipients: recipientOutcome(transaction) },
      ),
    );
    if (this.#wireOwner === transaction && !transaction.dataPending && transaction.state !== 'BODY') {
      this.#release(transaction);
    }
  }

  #finalReply(transaction: Transaction, reply: Reply, command: string): void {
    if (isTerminal(transaction)) return;
    if (reply.isPositive() && transaction.state === 'END_SENT' && transaction.accepted.length > 0) {
      transaction.state = nextTransactionState(transaction.state, 'final-accept');
      this.#remove(transaction);
      this.#host.emit({
        type: 'message-accept',
        id: transaction.id,
        accepted: [...transaction.accepted],
        rejected: [...transaction.rejected],
        rejectedErrors: [...transaction.rejectedErrors],
        reply,
        messageSize: transaction.encoder.messageSize,
      });
      return;
    }
    if (reply.isPositive()) {
      throw new RemoteProtocolError(
        'UNEXPECTED_REPLY',
        `The server accepted the ${command} of a transaction without any accepted recipient.`,
        { command, reply },
      );
    }
    this.#reject(transaction, this.#replyError('MESSAGE_REJECTED', command, reply, transaction));
  }

  #replyError(
    code: 'MAIL_REJECTED' | 'DATA_REJECTED' | 'MESSAGE_REJECTED',
    command: string,
    reply: Reply,
    transaction: Transaction,
  ): SmtpReplyError {
    return new SmtpReplyError(code, `The server refused ${command} for the message: ${reply.text}`, {
      command,
      reply,
      recipients: recipientOutcome(transaction),
    });
  }

  #reject(transaction: Transaction, error: StrictmailError, unsent = false): void {
    if (isTerminal(transaction)) return;
    const wasOwnerBeforeBody = this.#wireOwner === transaction && transaction.state === 'ENVELOPE';
    transaction.state = nextTransactionState(transaction.state, 'reject');
    this.#remove(transaction);
    this.#host.emit({ type: 'message-reject', id: transaction.id, error, unsent });
    if (wasOwnerBeforeBody && !transaction.dataPending) this.#release(transaction);
  }

  #release(transaction: Transaction): void {
    if (this.#wireOwner === transaction) {
      this.#wireOwner = null;
      this.#lastReleased = transaction;
    }
  }

  #remove(transaction: Transaction): void {
    const index = this.#transactions.indexOf(transaction);
    if (index >= 0) this.#transactions.splice(index, 1);
  }

  /** Whether the server may still hold the last message's transaction, so RSET must come first. */
  #needsReset(): boolean {
    const last = this.#lastReleased;
    if (last === null || last.mailRejected) return false;
    if (last.framing === 'data' && last.endSent) return false;
    return last.state !== 'ACCEPTED';
  }
}
