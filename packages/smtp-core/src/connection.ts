// `ClientConnection`: the SMTP client as a sans-I/O state machine (h11, quinn-proto). It owns no socket,
// timer or clock, and enforces the TLS policy itself so that every driver gets the same security.
//
// Method families, in the order a driver uses them:
// - inputs: `receiveData(bytes)` (empty = EOF; only buffers), `tlsEstablished(receipt)`, `handleTimeout(now)`
// - outputs: `nextEvent()` (an event or NEED_DATA), `pollTransmit()` (bytes to write), `pollTimeout()`
// - commands: `send(command)` (returns bytes to write, including anything pending; throws LocalProtocolError)
// - getters: `state`, `capabilities`, `tls`, `authenticated`, `error`
// Driver loop: write(pollTransmit()); for each event from nextEvent() react; on NEED_DATA read more.
import { StrictmailError, type TlsPolicy, type TlsReceipt } from '@strictmail/tls-policy';
import { validateClientName, validateCredential } from './address';
import { AuthSession } from './auth/auth-session';
import type { Credentials, RandomBytes } from './auth/mechanisms';
import type { BareLineEndingHandling } from './body-encoder';
import { type Capabilities, heloCapabilities, parseCapabilities } from './capabilities';
import { encodeEhlo, encodeHelo, encodeQuit, encodeStarttls } from './commands';
import { ConnectionError, LocalProtocolError, RemoteProtocolError, SmtpReplyError } from './errors';
import {
  type ClientCommand,
  type ClientEvent,
  NEED_DATA,
  type NeedData,
  type TranscriptEntry,
} from './events';
import { checkReplyCode, commandName, type PendingReply, unsolicitedReply } from './pending';
import {
  afterEhlo,
  afterEhloRefused,
  checkStarttlsReply,
  chooseAuthentication,
  preTlsInjection,
} from './policy-enforcement';
import type { Reply } from './reply';
import { ReplyParser } from './reply-parser';
import { type ConnectionState, type ConnectionTrigger, nextConnectionState } from './state';
import { type CoreTimeouts, DEFAULT_CORE_TIMEOUTS, timeoutFor } from './timeouts';
import { TransactionEngine } from './transactions';

export interface ClientConnectionOptions {
  /** The name sent with EHLO: the client's domain or an address literal such as `[192.0.2.1]`. */
  readonly clientName: string;
  readonly policy: TlsPolicy;
  /** Credentials for AUTH; an access token must already be resolved (the core does not await). */
  readonly credentials?: Credentials;
  /** The current time in milliseconds. The core never reads a clock of its own. */
  readonly now: () => number;
  readonly timeouts?: Partial<CoreTimeouts>;
  /** Receives each line of the session with credentials redacted (invariant 9). */
  readonly transcript?: (entry: TranscriptEntry) => void;
  /** Random bytes for the SCRAM nonce. Default: `globalThis.crypto.getRandomValues`. */
  readonly randomBytes?: RandomBytes;
  /** Bare CR/LF in bodies: normalised to CRLF (default) or refused (invariant 7). */
  readonly bareLineEndings?: BareLineEndingHandling;
  /** Use PIPELINING when offered (default true). */
  readonly pipelining?: boolean;
  /** Use CHUNKING (BDAT) when offered together with PIPELINING (default true). */
  readonly chunking?: boolean;
}

const defaultRandomBytes: RandomBytes = (length) => globalThis.crypto.getRandomValues(new Uint8Array(length));

function asStrictmailError(error: unknown): StrictmailError {
  if (StrictmailError.isInstance(error)) return error;
  return new RemoteProtocolError(
    'UNEXPECTED_REPLY',
    `Internal error while handling the server's reply: ${String(error)}`,
    { cause: error },
  );
}

export class ClientConnection {
  readonly #options: ClientConnectionOptions;
  readonly #timeouts: CoreTimeouts;
  readonly #credentials: Credentials | undefined;
  #state: ConnectionState;
  #parser = new ReplyParser();
  readonly #pending: PendingReply[] = [];
  #output: Uint8Array[] = [];
  readonly #events: ClientEvent[] = [];
  #eof = false;
  #error: StrictmailError | null = null;
  #capabilities: Capabilities | null = null;
  #advertisedAuthBeforeTls = false;
  #receipt: TlsReceipt | null = null;
  #authenticated = false;
  #auth: AuthSession | null = null;
  #progressAt: number;
  readonly #transactions: TransactionEngine;

  constructor(options: ClientConnectionOptions) {
    validateClientName(options.clientName);
    const credentials = options.credentials;
    if (credentials !== undefined) {
      validateCredential(credentials.user, 'user');
      if ('accessToken' in credentials) validateCredential(credentials.accessToken, 'access token');
      else validateCredential(credentials.pass, 'password');
    }
    this.#options = options;
    this.#credentials = credentials;
    this.#timeouts = { ...DEFAULT_CORE_TIMEOUTS, ...options.timeouts };
    this.#progressAt = options.now();
    const pipelining = () => options.pipelining !== false && this.#capabilities?.pipelining === true;
    this.#transactions = new TransactionEngine({
      get pipelining() {
        return pipelining();
      },
      write: (bytes, pending, transcript) => this.#write(bytes, pending, transcript),
      emit: (event) => this.#events.push(event),
      pendingCount: () => this.#pending.length,
    });
    if (options.policy.mode === 'implicit-tls') {
      this.#state = 'TLS_CONNECTING';
      this.#events.push({ type: 'tls-upgrade-request', entry: 'implicit-tls' });
    } else {
      this.#state = 'GREETING';
      this.#pending.push({ kind: 'greeting' });
    }
  }

  get state(): ConnectionState {
    return this.#state;
  }
  /** The capabilities of the current EHLO (after TLS, only those learned over TLS). */
  get capabilities(): Capabilities | null {
    return this.#capabilities;
  }
  get tls(): TlsReceipt | null {
    return this.#receipt;
  }
  get authenticated(): boolean {
    return this.#authenticated;
  }
  get error(): StrictmailError | null {
    return this.#error;
  }
  /** Messages started and not yet accepted or rejected. */
  get unfinishedMessages(): number {
    return this.#transactions.unfinished;
  }

  /** Whether `send({ type: 'quit' })` is allowed now (READY, and every started message fully written). */
  get mayQuit(): boolean {
    return this.#state === 'READY' && this.#transactions.allEndsWritten;
  }

  /** Whether message `id` is started but none of its commands was written yet. */
  isUnsent(id: number): boolean {
    return this.#transactions.isUnsent(id);
  }

  /** Buffers bytes from the server; an empty array means EOF. Parsing happens in `nextEvent()`. */
  receiveData(data: Uint8Array): void {
    if (this.#state === 'ERROR' || this.#state === 'CLOSED') return;
    if (data.length === 0) {
      this.#eof = true;
      return;
    }
    if (this.#state === 'TLS_HANDSHAKE' || this.#state === 'TLS_CONNECTING') {
      this.#fail(preTlsInjection(`${data.length} byte(s) arrived`));
      return;
    }
    try {
      this.#parser.feed(data);
    } catch (error) {
      this.#fail(asStrictmailError(error));
    }
  }

  nextEvent(): ClientEvent | NeedData {
    for (;;) {
      const event = this.#events.shift();
      if (event !== undefined) return event;
      if (this.#state === 'ERROR') return { type: 'connection-fail', error: this.#error as StrictmailError };
      if (this.#state === 'CLOSED') return { type: 'connection-close' };
      try {
        const reply = this.#parser.next();
        if (reply !== null) {
          this.#handleReply(reply);
          continue;
        }
      } catch (error) {
        this.#fail(asStrictmailError(error));
        continue;
      }
      if (!this.#eof) return NEED_DATA;
      this.#handleEof();
    }
  }

  /** Bytes the core wants written, in order. Empty when there is nothing to write. */
  pollTransmit(): Uint8Array {
    const parts = this.#output;
    this.#output = [];
    if (parts.length === 1) return parts[0] as Uint8Array;
    const length = parts.reduce((sum, part) => sum + part.length, 0);
    const out = new Uint8Array(length);
    let offset = 0;
    for (const part of parts) {
      out.set(part, offset);
      offset += part.length;
    }
    return out;
  }

  /** Performs a command; returns every byte to write now (earlier pending bytes first). */
  send(command: ClientCommand): Uint8Array {
    if (this.#state === 'ERROR') {
      throw new LocalProtocolError(
        'CONNECTION_FAILED',
        `The connection has failed (${this.#error?.code}); open a new one.`,
        { cause: this.#error },
      );
    }
    switch (command.type) {
      case 'message-start':
        this.#requireState('READY', 'start a message');
        this.#transactions.start(command, {
          capabilities: this.#capabilities as Capabilities,
          receipt: this.#receipt,
          framing: this.#framing(),
          bareLineEndings: this.#options.bareLineEndings ?? 'normalize',
        });
        break;
      case 'body-chunk':
      case 'body-end':
        try {
          if (command.type === 'body-end') this.#transactions.bodyEnd(command.id);
          else this.#transactions.bodyChunk(command.id, command.data, command.last === true);
        } catch (error) {
          const failure = asStrictmailError(error);
          if (failure.code !== 'INVALID_STATE') this.#fail(failure);
          throw failure;
        }
        break;
      case 'quit':
        this.#requireState('READY', 'send QUIT');
        // RFC 2920 §3.1: QUIT may close a group that starts with message content, so it may follow
        // messages whose end of data is written; their replies still arrive first (FIFO).
        if (!this.#transactions.allEndsWritten) {
          throw new LocalProtocolError(
            'INVALID_STATE',
            `QUIT was requested while ${this.#transactions.unfinished} message(s) are not completely written; send their bodies first.`,
          );
        }
        this.#write(encodeQuit(), { kind: 'quit' }, 'QUIT');
        this.#transition('quit-send');
        break;
    }
    return this.pollTransmit();
  }

  /** The driver finished and judged the TLS handshake the core asked for (`tls-upgrade-request`). */
  tlsEstablished(receipt: TlsReceipt): void {
    if (this.#state !== 'TLS_HANDSHAKE' && this.#state !== 'TLS_CONNECTING') {
      throw new LocalProtocolError(
        'INVALID_STATE',
        `tlsEstablished() was called in state ${this.#state}; only after a tls-upgrade-request event.`,
      );
    }
    const implicit = this.#state === 'TLS_CONNECTING';
    this.#transition('tls-established');
    this.#receipt = receipt;
    // RFC 3207 §4.2: the client MUST discard any knowledge obtained from the server before TLS.
    this.#capabilities = null;
    this.#parser = new ReplyParser();
    this.#progressAt = this.#options.now();
    if (implicit) this.#pending.push({ kind: 'greeting' });
    else
      this.#write(encodeEhlo(this.#options.clientName), { kind: 'ehlo' }, `EHLO ${this.#options.clientName}`);
  }

  /** The next deadline in milliseconds (same clock as `now`), or null when nothing is awaited. */
  pollTimeout(): number | null {
    const waiting = this.#waitingFor();
    return waiting === null ? null : this.#progressAt + waiting.ms;
  }

  handleTimeout(now: number): void {
    const waiting = this.#waitingFor();
    if (waiting === null || now < this.#progressAt + waiting.ms) return;
    this.#fail(
      new ConnectionError(
        'TIMEOUT',
        `No progress within ${waiting.ms} ms (timeouts.${waiting.name}) while waiting for ${waiting.what}. The server is slow or unreachable; retry later or raise timeouts.${waiting.name}.`,
        waiting.command === undefined ? {} : { command: waiting.command },
      ),
    );
  }

  /** What the connection is waiting for, and under which timeout; null when idle. */
  #waitingFor(): { ms: number; name: keyof CoreTimeouts; what: string; command: string | undefined } | null {
    if (this.#state === 'TLS_HANDSHAKE' || this.#state === 'TLS_CONNECTING') {
      // A handshake is a short exchange, like the greeting: it shares greetingMs (not the 5 min commandMs).
      return {
        ms: this.#timeouts.greetingMs,
        name: 'greetingMs',
        what: 'the TLS handshake',
        command: undefined,
      };
    }
    const head = this.#pending[0];
    if (head === undefined || this.#state === 'ERROR' || this.#state === 'CLOSED') return null;
    const { ms, name } = timeoutFor(head.kind, this.#timeouts);
    return { ms, name, what: `the reply to ${commandName(head.kind)}`, command: commandName(head.kind) };
  }

  #framing(): 'data' | 'bdat' {
    const capabilities = this.#capabilities;
    const pipelining = this.#options.pipelining !== false && capabilities?.pipelining === true;
    return pipelining && this.#options.chunking !== false && capabilities?.chunking === true
      ? 'bdat'
      : 'data';
  }

  #requireState(state: ConnectionState, action: string): void {
    if (this.#state !== state) {
      throw new LocalProtocolError(
        'INVALID_STATE',
        `Cannot ${action} in state ${this.#state}; expected ${state} (after the session-ready event).`,
      );
    }
  }

  #transition(trigger: ConnectionTrigger): void {
    this.#state = nextConnectionState(this.#state, trigger);
  }

  #write(bytes: Uint8Array, pending: PendingReply | null, transcript: string): void {
    this.#output.push(bytes);
    if (pending !== null) {
      if (this.#pending.length === 0) this.#progressAt = this.#options.now();
      this.#pending.push(pending);
    }
    if (transcript !== '') this.#options.transcript?.({ direction: 'client', text: transcript });
  }

  #fail(error: StrictmailError): void {
    if (this.#state === 'ERROR' || this.#state === 'CLOSED') return;
    this.#error = error;
    this.#output = [];
    this.#pending.length = 0;
    this.#transactions.failAll(error);
    this.#transition('fail');
  }

  #handleEof(): void {
    if (this.#state === 'QUIT' && this.#transactions.unfinished === 0) {
      this.#transition('eof');
      this.#events.push({ type: 'connection-close' });
      return;
    }
    const head = this.#pending[0];
    const waiting =
      head === undefined ? 'while idle' : `while waiting for the reply to ${commandName(head.kind)}`;
    const partial = this.#parser.hasPartialReply ? ' in the middle of a reply' : '';
    this.#fail(
      new ConnectionError(
        'CONNECTION_CLOSED',
        `The server closed the connection${partial} ${waiting}. Retry on a new connection.`,
        head === undefined ? {} : { command: commandName(head.kind) },
      ),
    );
  }

  #handleReply(reply: Reply): void {
    this.#options.transcript?.({ direction: 'server', text: reply.text });
    const head = this.#pending.shift();
    if (head === undefined) throw unsolicitedReply(reply);
    this.#progressAt = this.#options.now();
    if (head.kind === 'starttls') {
      this.#handleStarttls(reply);
      return;
    }
    checkReplyCode(head.kind, reply);
    switch (head.kind) {
      case 'greeting':
        if (reply.code !== 220)
          throw new SmtpReplyError(
            'GREETING_REJECTED',
            `The server greeted with ${reply.code} instead of 220: ${reply.text}`,
            { command: 'greeting', reply },
          );
        this.#transition('greeting-receive');
        this.#write(
          encodeEhlo(this.#options.clientName),
          { kind: 'ehlo' },
          `EHLO ${this.#options.clientName}`,
        );
        return;
      case 'ehlo':
        this.#handleEhlo(reply);
        return;
      case 'helo':
        if (!reply.isPositive())
          throw new SmtpReplyError('EHLO_REJECTED', `The server refused HELO: ${reply.text}`, {
            command: 'HELO',
            reply,
          });
        this.#capabilities = heloCapabilities(reply);
        this.#afterGreetingCommand();
        return;
      case 'auth':
        this.#handleAuth(reply);
        return;
      case 'quit':
        this.#transition('quit-receive');
        this.#events.push({ type: 'connection-close' });
        return;
      case 'rset':
        if (!reply.isPositive())
          throw new SmtpReplyError('COMMAND_REJECTED', `The server refused RSET: ${reply.text}`, {
            command: 'RSET',
            reply,
          });
        this.#transactions.pump();
        return;
      default:
        this.#transactions.handleReply(head, reply);
    }
  }

  #handleEhlo(reply: Reply): void {
    const tlsActive = this.#receipt !== null;
    const { policy, clientName } = this.#options;
    if (!reply.isPositive()) {
      afterEhloRefused(policy, tlsActive, reply);
      this.#transition('ehlo-refuse');
      this.#write(encodeHelo(clientName), { kind: 'helo' }, `HELO ${clientName}`);
      return;
    }
    const capabilities = parseCapabilities(reply);
    this.#capabilities = capabilities;
    this.#parser.enhancedStatusCodes = capabilities.enhancedStatusCodes;
    if (!tlsActive) this.#advertisedAuthBeforeTls = capabilities.auth.length > 0;
    if (afterEhlo(policy, tlsActive, capabilities) === 'starttls') {
      this.#transition('starttls-send');
      this.#write(encodeStarttls(), { kind: 'starttls' }, 'STARTTLS');
      return;
    }
    this.#afterGreetingCommand();
  }

  #handleStarttls(reply: Reply): void {
    checkStarttlsReply(this.#options.policy, reply, this.#parser.bufferedBytes);
    this.#transition('starttls-accept');
    this.#progressAt = this.#options.now();
    this.#events.push({ type: 'tls-upgrade-request', entry: 'starttls' });
  }

  /** After EHLO/HELO: authenticate when credentials were given, else the session is ready. */
  #afterGreetingCommand(): void {
    const credentials = this.#credentials;
    const capabilities = this.#capabilities as Capabilities;
    if (credentials === undefined) {
      this.#ready();
      return;
    }
    const mechanism = chooseAuthentication(
      this.#options.policy,
      this.#receipt,
      credentials,
      capabilities,
      this.#advertisedAuthBeforeTls,
    );
    const auth = new AuthSession(mechanism, credentials, this.#options.randomBytes ?? defaultRandomBytes);
    this.#auth = auth;
    this.#transition('auth-send');
    const line = auth.start();
    this.#write(line.bytes, { kind: 'auth' }, line.transcript);
  }

  #handleAuth(reply: Reply): void {
    const auth = this.#auth;
    if (auth === null) throw new Error('internal: AUTH reply without an exchange');
    const next = auth.receive(reply);
    if (next !== 'authenticated') {
      this.#write(next.bytes, { kind: 'auth' }, next.transcript);
      return;
    }
    this.#auth = null;
    this.#authenticated = true;
    this.#transition('auth-accept');
    this.#emitReady();
  }

  #ready(): void {
    this.#transition('session-ready');
    this.#emitReady();
  }

  #emitReady(): void {
    this.#events.push({
      type: 'session-ready',
      capabilities: this.#capabilities as Capabilities,
      tls: this.#receipt,
      authenticated: this.#authenticated,
    });
  }
}
