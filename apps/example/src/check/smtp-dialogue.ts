// A deliberately small SMTP conversation for `check`: read a (multi-line) reply, send a command.
// It only inspects a server (greeting, EHLO, STARTTLS, QUIT); mail is sent by @strictmail/smtp-core,
// never by this file. Rule: input is bounded and every wait has a deadline, and the bytes left
// unread when STARTTLS is answered are reported, because a server (or a man in the middle) that
// sends them is injecting plaintext into the TLS session (RFC 3207 §6, CVE-2021-22947 class).
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';

/** RFC 5321 §4.5.3.1.5 allows 512-octet reply lines; 64 KiB holds any sane EHLO reply many times over. */
export const MAX_REPLY_BYTES = 64 * 1024;

export interface SmtpReplyText {
  readonly code: number;
  /** The text of each line, without the code and separator. */
  readonly lines: readonly string[];
}

export class SmtpDialogue {
  private buffered = '';
  private waiting: { resolve: (reply: SmtpReplyText) => void; reject: (error: Error) => void } | undefined;
  private failure: Error | undefined;
  private readonly onData = (chunk: Buffer): void => {
    this.buffered += chunk.toString('latin1');
    if (this.buffered.length > MAX_REPLY_BYTES) {
      this.fail(new Error(`the server sent more than ${MAX_REPLY_BYTES} bytes without a complete reply`));
      return;
    }
    this.deliver();
  };
  private readonly onEnd = (): void => this.fail(new Error('the server closed the connection'));
  private readonly onError = (error: Error): void => this.fail(error);

  constructor(
    readonly socket: Socket | TLSSocket,
    private readonly timeoutMs: number,
  ) {
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('error', this.onError);
  }

  /** Waits for the next complete reply (RFC 5321 §4.2.1: `xyz-` continues, `xyz ` ends). */
  readReply(): Promise<SmtpReplyText> {
    return new Promise((resolve, reject) => {
      if (this.failure !== undefined) {
        reject(this.failure);
        return;
      }
      const timer = setTimeout(
        () => this.fail(new Error(`no complete reply within ${this.timeoutMs} ms`)),
        this.timeoutMs,
      );
      this.waiting = {
        resolve: (reply) => {
          clearTimeout(timer);
          resolve(reply);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.deliver();
    });
  }

  /** Sends one command line and reads its reply. */
  async command(line: string): Promise<SmtpReplyText> {
    this.socket.write(`${line}\r\n`);
    return this.readReply();
  }

  /**
   * Stops reading so the socket can be handed to `tls.connect`. Returns whatever arrived after the
   * last reply: anything non-empty here was sent before the TLS handshake and must be reported.
   */
  detach(): string {
    this.socket.off('data', this.onData);
    this.socket.off('end', this.onEnd);
    this.socket.off('error', this.onError);
    const rest = this.buffered;
    this.buffered = '';
    return rest;
  }

  private fail(error: Error): void {
    this.failure ??= error;
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.reject(this.failure);
  }

  private deliver(): void {
    if (this.waiting === undefined) return;
    const reply = this.takeReply();
    if (reply === undefined) return;
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting.resolve(reply);
  }

  private takeReply(): SmtpReplyText | undefined {
    const lines: string[] = [];
    let offset = 0;
    for (;;) {
      const end = this.buffered.indexOf('\n', offset);
      if (end === -1) return undefined;
      const line = this.buffered.slice(offset, end).replace(/\r$/, '');
      offset = end + 1;
      const match = /^(\d{3})([ -]?)(.*)$/.exec(line);
      if (match === null) {
        this.fail(new Error(`the server sent a line that is not an SMTP reply: ${JSON.stringify(line)}`));
        return undefined;
      }
      lines.push(match[3] ?? '');
      if (match[2] !== '-') {
        this.buffered = this.buffered.slice(offset);
        return { code: Number(match[1]), lines };
      }
    }
  }
}

/** The EHLO keywords (first word of each line after the greeting line), upper-cased. */
export function ehloKeywords(reply: SmtpReplyText): string[] {
  return reply.lines.slice(1).map((line) => line.trim().toUpperCase());
}

/** The SASL mechanisms of an EHLO reply's AUTH line (RFC 4954 §3), or `[]`. */
export function authMechanisms(keywords: readonly string[]): string[] {
  const line = keywords.find((keyword) => keyword === 'AUTH' || keyword.startsWith('AUTH '));
  return line === undefined ? [] : line.split(/\s+/).slice(1);
}
