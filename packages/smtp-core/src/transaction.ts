// One mail transaction (RFC 5321 §3.3) as data, and the checks that decide, before anything is sent,
// whether this server can carry this message: SMTPUTF8 (RFC 6531), 8BITMIME (RFC 6152), SIZE (RFC 1870),
// DSN (RFC 3461) and REQUIRETLS (RFC 8689). A failed check throws and leaves the connection untouched.
import { SecurityError, type StrictmailError, type TlsReceipt } from '@strictmail/tls-policy';
import { encodeXtext, needsSmtpUtf8, validateAddress } from './address';
import { type BareLineEndingHandling, BodyEncoder, type BodyFraming } from './body-encoder';
import type { Capabilities } from './capabilities';
import { LocalProtocolError, type RecipientOutcome, type SmtpReplyError } from './errors';
import type { Envelope, MessageStartCommand } from './events';
import { MAX_RECIPIENTS } from './limits';
import type { TransactionState } from './state';

export interface Transaction {
  readonly id: number;
  readonly envelope: Envelope;
  readonly framing: BodyFraming;
  readonly mailParameters: readonly string[];
  readonly recipientParameters: readonly string[];
  readonly encoder: BodyEncoder;
  /** Whether BODY=8BITMIME was declared, so 8-bit content may follow. */
  readonly eightBitDeclared: boolean;
  state: TransactionState;
  /** Recipients whose RCPT TO was written (without PIPELINING they go one at a time). */
  recipientsSent: number;
  /** Recipients whose RCPT TO was answered (replies come in order). */
  recipientsAnswered: number;
  mailRejected: boolean;
  dataPending: boolean;
  dataSent: boolean;
  endSent: boolean;
  readonly accepted: string[];
  readonly rejected: string[];
  readonly rejectedErrors: SmtpReplyError[];
}

export function recipientOutcome(transaction: Transaction): RecipientOutcome {
  return {
    accepted: [...transaction.accepted],
    rejected: [...transaction.rejected],
    unknown: transaction.envelope.to.slice(transaction.recipientsAnswered),
  };
}

export function isTerminal(transaction: Transaction): boolean {
  return transaction.state === 'ACCEPTED' || transaction.state === 'REJECTED';
}

/** Whether a TLS receipt shows a verified chain and host name, as REQUIRETLS demands (RFC 8689 §4.2). */
function verifiedTls(receipt: TlsReceipt | null): boolean {
  return receipt?.chainVerified === true && receipt.hostnameVerified;
}

export interface TransactionContext {
  readonly capabilities: Capabilities;
  readonly receipt: TlsReceipt | null;
  readonly framing: BodyFraming;
  readonly bareLineEndings: BareLineEndingHandling;
}

/** Validates a `message-start` command against the input rules and the server's capabilities. */
export function createTransaction(command: MessageStartCommand, context: TransactionContext): Transaction {
  const { envelope } = command;
  const { capabilities } = context;
  validateAddress(envelope.from, 'from');
  if (!Array.isArray(envelope.to) || envelope.to.length === 0) {
    throw new LocalProtocolError(
      'UNSAFE_INPUT',
      'The envelope has no recipient. Expected at least one address in `to`.',
    );
  }
  if (envelope.to.length > MAX_RECIPIENTS) {
    throw new LocalProtocolError(
      'UNSAFE_INPUT',
      `The envelope has ${envelope.to.length} recipients; at most MAX_RECIPIENTS (${MAX_RECIPIENTS}) per message. Split the message.`,
    );
  }
  for (const recipient of envelope.to) validateAddress(recipient, 'to');

  const mailParameters: string[] = [];
  if (envelope.size !== undefined) {
    if (!Number.isSafeInteger(envelope.size) || envelope.size < 0) {
      throw new LocalProtocolError(
        'UNSAFE_INPUT',
        `envelope.size must be a non-negative integer; received ${envelope.size}.`,
      );
    }
    if (capabilities.size !== null && capabilities.size > 0 && envelope.size > capabilities.size) {
      throw new LocalProtocolError(
        'MESSAGE_TOO_LARGE',
        `The message is ${envelope.size} bytes; the server accepts at most ${capabilities.size} (its EHLO SIZE, RFC 1870 §6). Make the message smaller.`,
      );
    }
    if (capabilities.size !== null) mailParameters.push(`SIZE=${envelope.size}`);
  }
  let eightBitDeclared = false;
  if (command.eightBit === true && !capabilities.eightBitMime) {
    throw new LocalProtocolError(
      'EIGHTBITMIME_UNAVAILABLE',
      'The message contains 8-bit bytes and the server does not advertise 8BITMIME (RFC 6152). Encode the body as quoted-printable or base64 (7-bit).',
    );
  }
  if (command.eightBit !== false && capabilities.eightBitMime) {
    mailParameters.push('BODY=8BITMIME');
    eightBitDeclared = true;
  }
  if ([envelope.from, ...envelope.to].some(needsSmtpUtf8)) {
    if (!capabilities.smtpUtf8) {
      throw new LocalProtocolError(
        'SMTPUTF8_UNAVAILABLE',
        'An envelope address has non-ASCII characters and the server does not advertise SMTPUTF8 (RFC 6531 §3.4). Use an ASCII address (e.g. the IDNA A-label of the domain).',
      );
    }
    mailParameters.push('SMTPUTF8');
  }
  const recipientParameters: string[] = [];
  const { dsn } = envelope;
  if (dsn !== undefined) {
    if (!capabilities.dsn) {
      throw new LocalProtocolError(
        'DSN_UNAVAILABLE',
        'DSN parameters were given and the server does not advertise DSN (RFC 3461 §4). Remove `dsn` or use another server.',
      );
    }
    if (dsn.ret !== undefined) mailParameters.push(`RET=${dsn.ret === 'HDRS' ? 'HDRS' : 'FULL'}`);
    if (dsn.envid !== undefined) mailParameters.push(`ENVID=${encodeXtext(dsn.envid)}`);
    if (dsn.notify !== undefined && dsn.notify.length > 0) {
      const allowed = new Set(['NEVER', 'SUCCESS', 'FAILURE', 'DELAY']);
      if (
        dsn.notify.some((value) => !allowed.has(value)) ||
        (dsn.notify.includes('NEVER') && dsn.notify.length > 1)
      ) {
        throw new LocalProtocolError(
          'UNSAFE_INPUT',
          `dsn.notify must be NEVER alone or any of SUCCESS, FAILURE, DELAY (RFC 3461 §4.1); received ${JSON.stringify(dsn.notify)}.`,
        );
      }
      recipientParameters.push(`NOTIFY=${dsn.notify.join(',')}`);
    }
    if (dsn.orcpt !== undefined) {
      validateAddress(dsn.orcpt, 'to');
      recipientParameters.push(`ORCPT=rfc822;${encodeXtext(dsn.orcpt)}`);
    }
  }
  if (envelope.requireTls === true) {
    if (!verifiedTls(context.receipt) || !capabilities.requireTls) {
      throw new SecurityError(
        'REQUIRETLS_UNAVAILABLE',
        `The message asks for REQUIRETLS (RFC 8689) but ${verifiedTls(context.receipt) ? 'the server does not advertise REQUIRETLS' : 'the session is not TLS with a verified chain and host name'}. It was not sent. Use a server that supports REQUIRETLS, or drop requireTls.`,
      );
    }
    mailParameters.push('REQUIRETLS');
  }
  return {
    id: command.id,
    envelope,
    framing: context.framing,
    mailParameters,
    recipientParameters,
    encoder: new BodyEncoder(context.framing, context.bareLineEndings, !eightBitDeclared),
    eightBitDeclared,
    state: 'QUEUED',
    recipientsSent: 0,
    recipientsAnswered: 0,
    mailRejected: false,
    dataPending: false,
    dataSent: false,
    endSent: false,
    accepted: [],
    rejected: [],
    rejectedErrors: [],
  };
}

/** A copy of a connection-wide error for one message, carrying that message's recipients (invariant 8). */
export function errorForTransaction(error: StrictmailError, transaction: Transaction): StrictmailError {
  const recipients = recipientOutcome(transaction);
  const Constructor = error.constructor as new (
    code: string,
    message: string,
    context: { cause?: unknown; recipients?: RecipientOutcome; command?: string; reply?: unknown },
  ) => StrictmailError;
  try {
    const copy = new Constructor(error.code, error.message, {
      cause: error,
      recipients,
      command: (error as { command?: string }).command,
      reply: (error as { reply?: unknown }).reply,
    });
    if (!('recipients' in copy)) Object.assign(copy, { recipients });
    return copy;
  } catch {
    return error;
  }
}
