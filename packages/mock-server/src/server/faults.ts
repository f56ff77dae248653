// Scripted faults: deterministic misbehaviour at a named stage of the SMTP dialogue. A fault is matched
// by stage (and, for RCPT, by recipient); `times: K` makes it fire for the first K matching commands on
// the server, across connections, and then step aside ("fail K times, then succeed", for retry logic).
// Faults are checked in the order given; the first one that still has uses left wins.
import { MockServerError } from './errors';

/** Where in the dialogue a fault fires. */
export type FaultStage =
  /** Instead of the 220 greeting (RFC 5321 §4.2: 554 or 421 refuse the session). */
  | 'greeting'
  | 'ehlo'
  | 'helo'
  /** Instead of the 220 to STARTTLS; TLS then does not start (RFC 3207 §4). */
  | 'starttls'
  | 'auth'
  | 'mail'
  /** Any RCPT, or only the one naming `recipient`. */
  | 'rcpt'
  /** Instead of the 354 to DATA. */
  | 'data'
  /** While the message body arrives: only `disconnect` (after `afterBytes`) makes sense here. */
  | 'data-body'
  /** Instead of the 250 after the final `<CRLF>.<CRLF>`: the message is then not stored. */
  | 'data-end'
  | 'rset'
  | 'quit';

/**
 * One scripted fault. Give `reply` (a code, with optional `text`) or `disconnect: true`; with only
 * `delayMs` the server waits and then behaves normally.
 */
export interface Fault {
  readonly at: FaultStage;
  /** `rcpt` only: the recipient address (compared case-insensitively) this fault applies to. */
  readonly recipient?: string;
  /** SMTP reply code sent instead of the normal reply. A 421 also closes the connection. */
  readonly reply?: number;
  /** Reply text. Default: a text naming the fault, so a test log shows where it came from. */
  readonly text?: string;
  /** Close the connection without a reply. */
  readonly disconnect?: boolean;
  /** `data-body` only: body bytes received before the disconnect. Default 0. */
  readonly afterBytes?: number;
  /** Wait this long before acting (a slow server). */
  readonly delayMs?: number;
  /** Fire for the first K matching commands on this server, then step aside. Default: always. */
  readonly times?: number;
}

/** Checks a fault list once, up front, so a typo fails at `createMockSmtpServer` and not mid-test. */
export function validateFaults(faults: readonly Fault[]): void {
  for (const [index, fault] of faults.entries()) {
    const where = `faults[${index}] (at '${fault.at}')`;
    if (fault.reply !== undefined && fault.disconnect === true) {
      throw new MockServerError(
        'INVALID_OPTION',
        `${where} has both reply and disconnect; expected one of them. Split it into two faults.`,
      );
    }
    if (
      fault.reply !== undefined &&
      (!Number.isInteger(fault.reply) || fault.reply < 200 || fault.reply > 599)
    ) {
      throw new MockServerError(
        'INVALID_OPTION',
        `${where} has reply ${fault.reply}; expected an SMTP reply code from 200 to 599 (RFC 5321 §4.2).`,
      );
    }
    if (fault.at === 'data-body' && fault.disconnect !== true) {
      throw new MockServerError(
        'INVALID_OPTION',
        `${where} needs disconnect: true; the only fault possible while the body arrives is dropping the connection.`,
      );
    }
    if (fault.recipient !== undefined && fault.at !== 'rcpt') {
      throw new MockServerError('INVALID_OPTION', `${where} names a recipient; only 'rcpt' faults can.`);
    }
    if (fault.times !== undefined && (!Number.isInteger(fault.times) || fault.times < 1)) {
      throw new MockServerError(
        'INVALID_OPTION',
        `${where} has times ${fault.times}; expected an integer >= 1.`,
      );
    }
  }
}

/** A fault list with its use counters. One per server; `reset()` starts the counters again. */
export class FaultScript {
  #faults: readonly Fault[] = [];
  #uses: number[] = [];

  constructor(faults: readonly Fault[] = []) {
    this.replace(faults);
  }

  replace(faults: readonly Fault[]): void {
    validateFaults(faults);
    this.#faults = [...faults];
    this.#uses = faults.map(() => 0);
  }

  resetCounters(): void {
    this.#uses = this.#faults.map(() => 0);
  }

  /** The fault to apply to this command, counting one use of it; `undefined` to behave normally. */
  take(stage: FaultStage, recipient?: string): Fault | undefined {
    const fault = this.peek(stage, recipient);
    if (fault !== undefined) this.consume(fault);
    return fault;
  }

  /** The fault that would apply, without counting a use (for faults that may never fire, like data-body). */
  peek(stage: FaultStage, recipient?: string): Fault | undefined {
    return this.#faults.find((fault, index) => {
      if (fault.at !== stage) return false;
      if (
        fault.recipient !== undefined &&
        fault.recipient.toLowerCase() !== (recipient ?? '').toLowerCase()
      ) {
        return false;
      }
      return fault.times === undefined || (this.#uses[index] ?? 0) < fault.times;
    });
  }

  /** Counts one use of a fault from `peek`; false if its uses ran out meanwhile (then it must not fire). */
  consume(fault: Fault): boolean {
    const index = this.#faults.indexOf(fault);
    if (index < 0) return false;
    const used = this.#uses[index] ?? 0;
    if (fault.times !== undefined && used >= fault.times) return false;
    this.#uses[index] = used + 1;
    return true;
  }
}

/** The reply text a fault sends when it names none. */
export function faultText(fault: Fault): string {
  return fault.text ?? `mock-server scripted fault at ${fault.at}`;
}

/** Maps a command verb to the stage its faults are scripted under. */
export function stageOfCommand(verb: string): FaultStage | undefined {
  switch (verb) {
    case 'EHLO':
      return 'ehlo';
    case 'HELO':
      return 'helo';
    case 'STARTTLS':
      return 'starttls';
    case 'AUTH':
      return 'auth';
    case 'MAIL':
      return 'mail';
    case 'RCPT':
      return 'rcpt';
    case 'DATA':
      return 'data';
    case 'RSET':
      return 'rset';
    case 'QUIT':
      return 'quit';
    default:
      return undefined;
  }
}
