// The fast sink's SMTP server side as a sans-I/O object: bytes in, replies out, no socket, no clock.
// Rule: the sink must never be the bottleneck, so it does the least work a correct server can do:
// every complete command in a received chunk is answered in one batch (RFC 2920 §3.1: a server flushes
// its replies when it would otherwise wait for input), DATA bodies are scanned for the terminator
// without copying, BDAT chunks are skipped by counting (RFC 3030 §2), and bodies are discarded.
// It still enforces what a real STARTTLS server enforces: no MAIL or AUTH before TLS, EHLO again after
// TLS (RFC 3207 §4.2), bytes pipelined behind STARTTLS discarded (RFC 3207 §6), AUTH before MAIL.

/** RFC 5321 §4.5.3.1.4 allows 512 octets per command line; AUTH responses may reach 12,288 (RFC 4954 §4). */
export const MAX_COMMAND_LINE_BYTES = 16 * 1024;

const TERMINATOR = Buffer.from('\r\n.\r\n', 'latin1');
const CR = 13;
const LF = 10;

/** What the driver must do after writing the replies of one `receive` call. */
export type SinkAction = 'continue' | 'starttls' | 'close';

export interface SinkOutput {
  /** Replies to write, in order, as one write. Empty when nothing is due. */
  readonly replies: Buffer;
  readonly action: SinkAction;
}

export interface SinkSessionOptions {
  readonly hostname: string;
  /** Advertise CHUNKING and accept BDAT (RFC 3030). `false` makes a DATA-only sink. */
  readonly chunking: boolean;
  readonly user: string;
  readonly pass: string;
}

/** Totals one session (or a whole sink) has accepted. */
export interface SinkCounters {
  messages: number;
  recipients: number;
  bodyBytes: number;
}

type Mode = 'command' | 'data' | 'bdat' | 'auth-plain' | 'auth-login-user' | 'auth-login-pass' | 'closed';

const reply = (text: string): Buffer => Buffer.from(`${text}\r\n`, 'latin1');
const OK = reply('250 2.0.0 OK');
const MAIL_OK = reply('250 2.1.0 Sender OK');
const RCPT_OK = reply('250 2.1.5 Recipient OK');
const QUEUED = reply('250 2.0.0 Message queued');
const CHUNK_OK = reply('250 2.0.0 Chunk received');
const START_MAIL = reply('354 End data with <CR><LF>.<CR><LF>');
const READY_FOR_TLS = reply('220 2.0.0 Ready to start TLS');
const BYE = reply('221 2.0.0 Bye');
const AUTH_OK = reply('235 2.7.0 Authentication successful');
const AUTH_FAILED = reply('535 5.7.8 Authentication credentials invalid');
const AUTH_CONTINUE = reply('334 ');
const ASK_USER = reply('334 VXNlcm5hbWU6');
const ASK_PASS = reply('334 UGFzc3dvcmQ6');
const NEED_TLS = reply('530 5.7.0 Must issue a STARTTLS command first');
const NEED_AUTH = reply('530 5.7.0 Authentication required');
const BAD_SEQUENCE = reply('503 5.5.1 Bad sequence of commands');
const UNKNOWN = reply('500 5.5.2 Command not recognized');
const SYNTAX = reply('501 5.5.4 Syntax error in parameters');
const LINE_TOO_LONG = reply('500 5.5.6 Line too long');
const NOT_IMPLEMENTED = reply('502 5.5.1 Command not implemented');

/** One connection's server-side protocol state. Feed it bytes; write what it returns. */
export class SinkSession {
  readonly counters: SinkCounters = { messages: 0, recipients: 0, bodyBytes: 0 };
  private mode: Mode = 'command';
  private carry: Buffer | null = null;
  private tls = false;
  private greeted = false;
  private authenticated = false;
  private hasSender = false;
  private transactionRecipients = 0;
  private bdatRemaining = 0;
  private bdatLast = false;
  /** How much of `\r\n.\r\n` the end of the DATA body seen so far matches (0-4). */
  private terminatorState = 0;
  private loginUser = '';
  private readonly ehloBeforeTls: Buffer;
  private readonly ehloAfterTls: Buffer;

  constructor(private readonly options: SinkSessionOptions) {
    const name = options.hostname;
    this.ehloBeforeTls = reply(`250-${name}\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 STARTTLS`);
    const extensions = ['PIPELINING', '8BITMIME', 'SMTPUTF8', 'ENHANCEDSTATUSCODES', 'AUTH PLAIN LOGIN'];
    if (options.chunking) extensions.push('CHUNKING');
    extensions.push('SIZE 104857600');
    this.ehloAfterTls = reply(
      [name, ...extensions]
        .map((line, index, all) => `250${index === all.length - 1 ? ' ' : '-'}${line}`)
        .join('\r\n'),
    );
  }

  greeting(): Buffer {
    return reply(`220 ${this.options.hostname} ESMTP strictmail bench sink`);
  }

  /** The driver finished the server-side TLS handshake: forget the pre-TLS session (RFC 3207 §4.2). */
  tlsStarted(): void {
    this.tls = true;
    this.greeted = false;
    this.authenticated = false;
    this.resetTransaction();
    this.mode = 'command';
    this.carry = null;
  }

  receive(chunk: Buffer): SinkOutput {
    const replies: Buffer[] = [];
    let input = chunk;
    if (this.carry !== null) {
      input = Buffer.concat([this.carry, chunk]);
      this.carry = null;
    }
    let position = 0;
    let action: SinkAction = 'continue';
    while (position < input.length && action === 'continue') {
      if (this.mode === 'data') {
        position = this.consumeData(input, position, replies);
      } else if (this.mode === 'bdat') {
        position = this.consumeBdat(input, position, replies);
      } else if (this.mode === 'closed') {
        break;
      } else {
        const newline = input.indexOf(LF, position);
        if (newline === -1) {
          if (input.length - position > MAX_COMMAND_LINE_BYTES) {
            replies.push(LINE_TOO_LONG);
            this.mode = 'closed';
            action = 'close';
          } else {
            this.carry = input.subarray(position);
          }
          break;
        }
        const lineEnd = newline > position && input[newline - 1] === CR ? newline - 1 : newline;
        const line = input.toString('latin1', position, lineEnd);
        position = newline + 1;
        action = this.handleLine(line, replies);
        // RFC 3207 §6: bytes pipelined behind STARTTLS are discarded, never executed after the handshake.
        if (action === 'starttls') break;
      }
    }
    if (this.mode === 'bdat' && this.bdatRemaining === 0) this.finishBdat(replies);
    return { replies: replies.length === 1 ? replies[0]! : Buffer.concat(replies), action };
  }

  private resetTransaction(): void {
    this.hasSender = false;
    this.transactionRecipients = 0;
  }

  private handleLine(line: string, replies: Buffer[]): SinkAction {
    if (this.mode === 'auth-plain') {
      this.mode = 'command';
      replies.push(this.checkPlain(line));
      return 'continue';
    }
    if (this.mode === 'auth-login-user') {
      this.loginUser = decodeBase64(line);
      this.mode = 'auth-login-pass';
      replies.push(ASK_PASS);
      return 'continue';
    }
    if (this.mode === 'auth-login-pass') {
      this.mode = 'command';
      replies.push(this.finishAuth(this.loginUser, decodeBase64(line)));
      return 'continue';
    }
    const verb = line.slice(0, 4).toUpperCase();
    switch (verb) {
      case 'EHLO':
        this.greeted = true;
        this.resetTransaction();
        replies.push(this.tls ? this.ehloAfterTls : this.ehloBeforeTls);
        return 'continue';
      case 'HELO':
        this.greeted = true;
        this.resetTransaction();
        replies.push(reply(`250 ${this.options.hostname}`));
        return 'continue';
      case 'STAR':
        if (this.tls || line.toUpperCase() !== 'STARTTLS') {
          replies.push(this.tls ? BAD_SEQUENCE : SYNTAX);
          return 'continue';
        }
        replies.push(READY_FOR_TLS);
        this.carry = null;
        return 'starttls';
      case 'NOOP':
        replies.push(OK);
        return 'continue';
      case 'RSET':
        this.resetTransaction();
        replies.push(OK);
        return 'continue';
      case 'QUIT':
        replies.push(BYE);
        this.mode = 'closed';
        return 'close';
    }
    if (!this.tls) {
      replies.push(NEED_TLS);
      return 'continue';
    }
    if (!this.greeted) {
      replies.push(BAD_SEQUENCE);
      return 'continue';
    }
    switch (verb) {
      case 'AUTH':
        replies.push(this.startAuth(line));
        return 'continue';
      case 'MAIL':
        if (!this.authenticated) replies.push(NEED_AUTH);
        else if (this.hasSender) replies.push(BAD_SEQUENCE);
        else {
          this.hasSender = true;
          replies.push(MAIL_OK);
        }
        return 'continue';
      case 'RCPT':
        if (!this.hasSender) replies.push(BAD_SEQUENCE);
        else {
          this.transactionRecipients += 1;
          replies.push(RCPT_OK);
        }
        return 'continue';
      case 'DATA':
        if (this.transactionRecipients === 0) replies.push(BAD_SEQUENCE);
        else {
          this.mode = 'data';
          // The CRLF that ended the DATA line counts: an empty body ends with ".\r\n" alone.
          this.terminatorState = 2;
          replies.push(START_MAIL);
        }
        return 'continue';
      case 'BDAT':
        return this.startBdat(line, replies);
      default:
        replies.push(verb === 'VRFY' || verb === 'EXPN' ? NOT_IMPLEMENTED : UNKNOWN);
        return 'continue';
    }
  }

  private startAuth(line: string): Buffer {
    if (this.authenticated || this.hasSender) return BAD_SEQUENCE;
    const [, mechanism = '', initial] = line.split(' ');
    switch (mechanism.toUpperCase()) {
      case 'PLAIN':
        if (initial === undefined) {
          this.mode = 'auth-plain';
          return AUTH_CONTINUE;
        }
        return this.checkPlain(initial);
      case 'LOGIN':
        if (initial === undefined) {
          this.mode = 'auth-login-user';
          return ASK_USER;
        }
        this.loginUser = decodeBase64(initial);
        this.mode = 'auth-login-pass';
        return ASK_PASS;
      default:
        return reply('504 5.5.4 Unrecognized authentication type');
    }
  }

  private checkPlain(response: string): Buffer {
    // RFC 4616 §2: message = [authzid] NUL authcid NUL passwd
    const parts = decodeBase64(response).split('\u0000');
    if (parts.length !== 3) return SYNTAX;
    return this.finishAuth(parts[1] ?? '', parts[2] ?? '');
  }

  private finishAuth(user: string, pass: string): Buffer {
    if (user !== this.options.user || pass !== this.options.pass) return AUTH_FAILED;
    this.authenticated = true;
    return AUTH_OK;
  }

  private startBdat(line: string, replies: Buffer[]): SinkAction {
    // RFC 3030 §2: bdat-cmd = "BDAT" SP chunk-size [ SP end-marker ] CRLF
    const match = /^BDAT (\d{1,15})( LAST)?$/i.exec(line);
    if (!this.options.chunking || match === null) {
      replies.push(this.options.chunking ? SYNTAX : UNKNOWN);
      // Without a valid size the octets that follow cannot be skipped: the session is lost.
      this.mode = 'closed';
      return 'close';
    }
    this.mode = 'bdat';
    this.bdatRemaining = Number(match[1]);
    this.bdatLast = match[2] !== undefined;
    return 'continue';
  }

  private consumeBdat(input: Buffer, position: number, replies: Buffer[]): number {
    const take = Math.min(this.bdatRemaining, input.length - position);
    this.bdatRemaining -= take;
    this.counters.bodyBytes += take;
    if (this.bdatRemaining === 0) this.finishBdat(replies);
    return position + take;
  }

  private finishBdat(replies: Buffer[]): void {
    this.mode = 'command';
    // RFC 3030 §2: a BDAT without a transaction is answered 503 after its octets were consumed.
    if (this.transactionRecipients === 0) {
      this.resetTransaction();
      replies.push(BAD_SEQUENCE);
      return;
    }
    if (!this.bdatLast) {
      replies.push(CHUNK_OK);
      return;
    }
    this.acceptMessage();
    replies.push(QUEUED);
  }

  private consumeData(input: Buffer, position: number, replies: Buffer[]): number {
    const end = scanForTerminator(input, position, this.terminatorState);
    if (end.index === -1) {
      this.counters.bodyBytes += input.length - position;
      this.terminatorState = end.state;
      return input.length;
    }
    this.counters.bodyBytes += end.index - position;
    this.mode = 'command';
    this.acceptMessage();
    replies.push(QUEUED);
    return end.index;
  }

  private acceptMessage(): void {
    this.counters.messages += 1;
    this.counters.recipients += this.transactionRecipients;
    this.resetTransaction();
  }
}

function decodeBase64(text: string): string {
  return Buffer.from(text.trim(), 'base64').toString('utf8');
}

/** One step of the matcher for `\r\n.\r\n`; its only border is a lone CR, hence the fallback. */
function step(state: number, byte: number): number {
  if (byte === TERMINATOR[state]) return state + 1;
  return byte === CR ? 1 : 0;
}

/**
 * Finds the end of a DATA body (RFC 5321 §4.1.1.4) in `input` from `start`, given how much of the
 * terminator the previous chunk already matched. Returns the index just after the terminator, or -1
 * with the match state to carry into the next chunk. Only the first and last few bytes are stepped one
 * at a time; the middle is searched with `indexOf`.
 */
export function scanForTerminator(
  input: Buffer,
  start: number,
  state: number,
): { index: number; state: number } {
  let position = start;
  let current = state;
  while (current !== 0 && position < input.length) {
    current = step(current, input[position]!);
    position += 1;
    if (current === TERMINATOR.length) return { index: position, state: 0 };
  }
  if (position >= input.length) return { index: -1, state: current };
  const found = input.indexOf(TERMINATOR, position);
  if (found !== -1) return { index: found + TERMINATOR.length, state: 0 };
  current = 0;
  for (
    let index = Math.max(position, input.length - (TERMINATOR.length - 1));
    index < input.length;
    index++
  ) {
    current = step(current, input[index]!);
  }
  return { index: -1, state: current };
}
