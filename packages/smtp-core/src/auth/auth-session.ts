// One AUTH dialogue (RFC 4954 §4): the AUTH command, an answer per 334 challenge, and the outcome.
// Rule: every line it produces is a credential; its transcript text is always redacted (invariant 9),
// and the exchange is bounded by MAX_AUTH_CHALLENGES so a server cannot keep the client answering.
import { encodeAuth, encodeAuthResponse } from '../commands';
import { RemoteProtocolError, SmtpReplyError } from '../errors';
import { MAX_AUTH_CHALLENGES } from '../limits';
import type { Reply } from '../reply';
import { type Credentials, type RandomBytes, type SaslExchange, startExchange } from './mechanisms';

/** Bytes to write and their redacted form for the transcript. */
export interface AuthLine {
  readonly bytes: Uint8Array;
  readonly transcript: string;
}

export class AuthSession {
  readonly #exchange: SaslExchange;
  #challenges = 0;

  constructor(mechanism: string, credentials: Credentials, randomBytes: RandomBytes) {
    this.#exchange = startExchange(mechanism, credentials, randomBytes);
  }

  get command(): string {
    return `AUTH ${this.#exchange.mechanism}`;
  }

  /** The `AUTH mechanism [initial-response]` line. */
  start(): AuthLine {
    const { mechanism, initialResponse } = this.#exchange;
    return {
      bytes: encodeAuth(mechanism, initialResponse),
      transcript: `AUTH ${mechanism}${initialResponse === undefined ? '' : ' [credentials redacted]'}`,
    };
  }

  /**
   * Handles a reply: a 334 gives the next line to write, a 235 ends it (`'authenticated'`), anything
   * else throws AUTH_FAILED (transient for 4xx, e.g. 454).
   */
  receive(reply: Reply): AuthLine | 'authenticated' {
    if (reply.code === 334) {
      this.#challenges += 1;
      if (this.#challenges > MAX_AUTH_CHALLENGES) {
        throw new RemoteProtocolError(
          'UNEXPECTED_REPLY',
          `The server sent more than MAX_AUTH_CHALLENGES (${MAX_AUTH_CHALLENGES}) AUTH challenges.`,
          { command: this.command },
        );
      }
      const response = this.#exchange.respond((reply.lines[0] ?? '').trim());
      return { bytes: encodeAuthResponse(response), transcript: '[credentials redacted]' };
    }
    if (reply.code === 235) {
      this.#exchange.complete();
      return 'authenticated';
    }
    throw new SmtpReplyError(
      'AUTH_FAILED',
      `Authentication with ${this.#exchange.mechanism} failed: ${reply.text}. Check the user name and password or token (they are not shown here).`,
      { command: this.command, reply },
    );
  }
}
