// A message the server accepted: the raw bytes exactly as received in the data phase (after smtp-server
// undid dot-stuffing, RFC 5321 §4.5.2), the envelope, and the parse by mailparser. A message is stored
// before the server sends its final 250, so once a client's send resolves, the message is already in
// `server.messages`. Filters select messages for `waitForMessage` and `toHaveReceivedMessage`.
import type { ParsedMail } from 'mailparser';
import type { SessionTls } from './session';

export interface MessageEnvelope {
  /** MAIL FROM address; `''` for the null reverse-path `<>`. */
  readonly from: string;
  readonly to: readonly string[];
  /** MAIL FROM parameters as sent (SIZE, BODY, SMTPUTF8, REQUIRETLS, RET, ENVID, ...), upper-case keys. */
  readonly mailParameters: Readonly<Record<string, string | true>>;
}

export interface CapturedMessage {
  /** `1`, `2`, ... in order of arrival on this server. */
  readonly sequence: number;
  readonly sessionId: string;
  readonly envelope: MessageEnvelope;
  readonly raw: Buffer;
  readonly parsed: ParsedMail;
  /** Whether the data phase ran inside TLS, and which TLS. */
  readonly tls: SessionTls | null;
  /** The AUTH username of the session, or null. */
  readonly user: string | null;
  readonly receivedAt: Date;
}

/** Selects messages: a predicate, or fields that must all match. */
export type MessageFilter =
  | ((message: CapturedMessage) => boolean)
  | {
      readonly from?: string;
      /** Matches when this address is among the envelope recipients. */
      readonly to?: string;
      readonly subject?: string | RegExp;
      /** Matches against the text body (mailparser's `text`). */
      readonly text?: string | RegExp;
    };

function matchesText(actual: string | undefined, expected: string | RegExp): boolean {
  if (actual === undefined) return false;
  return typeof expected === 'string' ? actual.includes(expected) : expected.test(actual);
}

export function matchesFilter(message: CapturedMessage, filter: MessageFilter | undefined): boolean {
  if (filter === undefined) return true;
  if (typeof filter === 'function') return filter(message);
  const sameAddress = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  if (filter.from !== undefined && !sameAddress(message.envelope.from, filter.from)) return false;
  if (filter.to !== undefined && !message.envelope.to.some((to) => sameAddress(to, filter.to ?? ''))) {
    return false;
  }
  if (filter.subject !== undefined && !matchesText(message.parsed.subject, filter.subject)) return false;
  if (filter.text !== undefined && !matchesText(message.parsed.text, filter.text)) return false;
  return true;
}

/** A short description of a filter for error messages. */
export function describeFilter(filter: MessageFilter | undefined): string {
  if (filter === undefined) return 'any message';
  if (typeof filter === 'function') return `a message matching ${filter.name || 'the given predicate'}`;
  const parts = Object.entries(filter).map(([key, value]) => `${key} ${String(value)}`);
  return parts.length === 0 ? 'any message' : `a message with ${parts.join(', ')}`;
}
