// One SMTP connection over a Node socket: the thin loop around the sans-I/O `ClientConnection`.
// It moves bytes both ways, performs the TLS handshake when the core asks (options from
// `tlsConnectOptions`, verdict from `judgeTlsSocket`), turns `pollTimeout()` into one timer, and streams
// bodies with backpressure. It holds no protocol knowledge: every SMTP decision is the core's.
import { once } from 'node:events';
import net from 'node:net';
import type tls from 'node:tls';
import { StrictmailError, type TlsEntry, type TlsPolicy, type TlsReceipt } from '@strictmail/tls-policy';
import { diagnoseGreetingTimeout, diagnoseHandshakeError } from '@strictmail/tls-policy/node';
import type { Credentials } from '../auth/mechanisms';
import { hasEightBit } from '../body-encoder';
import { ClientConnection } from '../connection';
import { ConnectionError, LocalProtocolError } from '../errors';
import {
  type Envelope,
  type MessageAcceptEvent,
  NEED_DATA,
  type SessionReadyEvent,
  type TranscriptEntry,
} from '../events';
import { type PreparedBody, toBytes } from './body-source';
import { Deferred } from './deferred';
import type { Logger } from './logger';
import type { ClientTimeouts } from './timeouts';
import { finishTls, type ResumableSession, sessionAfterHandshake, startTls } from './tls-upgrade';

export interface DriverOptions {
  readonly host: string;
  readonly port: number;
  readonly policy: TlsPolicy;
  readonly credentials: Credentials | undefined;
  readonly clientName: string | undefined;
  readonly timeouts: ClientTimeouts;
  readonly logger: Logger;
  readonly resume: ResumableSession | undefined;
  readonly onSession: (session: ResumableSession) => void;
  readonly bareLineEndings?: 'normalize' | 'reject';
  readonly pipelining?: boolean;
  readonly chunking?: boolean;
}

interface Waiter {
  readonly bodyRequested: Deferred<void>;
  readonly result: Deferred<MessageAcceptEvent>;
  settled: boolean;
  /** Why this message in particular failed when the connection is torn down for it (abort, stream error). */
  failure?: StrictmailError;
}

/**
 * The rejection of a message that never reached the wire because its connection failed first: the
 * pool may retry it on another connection without any risk of delivering it twice.
 */
export class UnsentMessageError extends Error {
  readonly error: StrictmailError;
  constructor(error: StrictmailError) {
    super(error.message, { cause: error });
    this.error = error;
  }
}

/** Bodies given whole are still written in slices of this many bytes, so the socket applies backpressure. */
export const WHOLE_BODY_SLICE_BYTES = 256 * 1024;

function abortError(signal: AbortSignal): ConnectionError {
  return new ConnectionError(
    'ABORTED',
    'The send was aborted by its AbortSignal; its connection was closed so the server discards any partial message.',
    { cause: signal.reason },
  );
}

async function* slices(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += WHOLE_BODY_SLICE_BYTES) {
    yield bytes.subarray(offset, offset + WHOLE_BODY_SLICE_BYTES);
  }
}

function addressLiteral(address: string | undefined): string {
  if (address === undefined || address === '') return '[127.0.0.1]';
  return net.isIPv6(address) ? `[IPv6:${address}]` : `[${address}]`;
}

export class ConnectionDriver {
  readonly #options: DriverOptions;
  #core: ClientConnection | null = null;
  #socket: net.Socket | tls.TLSSocket | null = null;
  #timer: NodeJS.Timeout | null = null;
  #timerDeadline = 0;
  #upgrading = false;
  /** The socket corked for the current tick, if any (see #write). */
  #corked: net.Socket | null = null;
  #nextId = 1;
  readonly #waiters = new Map<number, Waiter>();
  readonly #idleWaiters: (() => void)[] = [];
  readonly #ready = new Deferred<SessionReadyEvent>();
  readonly #closed = new Deferred<StrictmailError | null>();
  #finished = false;
  #session: SessionReadyEvent | null = null;

  constructor(options: DriverOptions) {
    this.#options = options;
  }

  /** Resolves with the finished session (TLS, EHLO, AUTH) or rejects with why it failed. */
  get ready(): Promise<SessionReadyEvent> {
    return this.#ready.promise;
  }
  /** Resolves when the socket is gone: with null after a clean QUIT, else with the error. */
  get closed(): Promise<StrictmailError | null> {
    return this.#closed.promise;
  }
  get isClosed(): boolean {
    return this.#finished;
  }
  get session(): SessionReadyEvent | null {
    return this.#session;
  }
  get inFlight(): number {
    return this.#waiters.size;
  }

  /** Resolves when no message is in flight on this connection (or the connection is gone). */
  whenIdle(): Promise<void> {
    if (this.#waiters.size === 0 || this.#finished) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #notifyIdle(): void {
    if (this.#waiters.size > 0 && !this.#finished) return;
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }

  /** Connects and sets the session up. Never throws: the outcome is `ready`. */
  open(): this {
    const { host, port, timeouts } = this.#options;
    // net.connect resolves names with dns.lookup: the system resolver, /etc/hosts honoured.
    const socket = net.connect({ host, port });
    this.#socket = socket;
    socket.setNoDelay(true);
    const connectTimer = setTimeout(() => {
      this.#finish(
        new ConnectionError(
          'TIMEOUT',
          `Could not connect to ${host}:${port} within ${timeouts.connectMs} ms (timeouts.connectMs). Check the host, port and firewall.`,
        ),
      );
    }, timeouts.connectMs);
    socket.once('connect', () => {
      clearTimeout(connectTimer);
      this.#startCore(socket);
    });
    socket.once('close', () => clearTimeout(connectTimer));
    this.#attach(socket);
    return this;
  }

  /** Sends one message on this connection; resolves after the final positive reply (invariant 8). */
  async send(
    envelope: Envelope,
    body: PreparedBody,
    signal: AbortSignal | undefined,
    last = false,
  ): Promise<MessageAcceptEvent> {
    const core = this.#requireCore();
    const id = this.#nextId++;
    const waiter: Waiter = { bodyRequested: new Deferred(), result: new Deferred(), settled: false };
    const sizedEnvelope =
      envelope.size === undefined && body.size !== undefined ? { ...envelope, size: body.size } : envelope;
    // With 8BITMIME offered, BODY=8BITMIME is declared for every message (allowed for 7-bit content too,
    // RFC 6152 §3) and nothing is scanned; without it, a whole body is scanned so that 8-bit content is
    // refused before anything is sent, and a stream is checked as it goes.
    const eightBit =
      body.whole === null || core.capabilities?.eightBitMime === true ? 'unknown' : hasEightBit(body.whole);
    this.#write(core.send({ type: 'message-start', id, envelope: sizedEnvelope, eightBit }));
    this.#waiters.set(id, waiter);
    const onAbort = () => this.#failMessage(waiter, abortError(signal as AbortSignal));
    signal?.addEventListener('abort', onAbort, { once: true });
    void waiter.result.promise.finally(() => signal?.removeEventListener('abort', onAbort)).catch(() => {});
    this.#process();
    await Promise.race([waiter.bodyRequested.promise, waiter.result.promise]);
    // The body streams on its own: the result may come first (a refused chunk, an abort, a dead socket).
    if (!waiter.settled) void this.#streamBody(core, id, body, waiter, last);
    return waiter.result.promise;
  }

  /** Ends the session with QUIT (RFC 5321 §4.1.1.10) and waits for the socket to close. */
  async quit(timeoutMs: number): Promise<void> {
    const core = this.#core;
    if (this.#finished) return;
    if (core?.state === 'QUIT') {
      await this.#closed.promise;
      return;
    }
    if (core === null || core.state !== 'READY' || core.unfinishedMessages > 0) {
      this.destroy(new ConnectionError('CLIENT_CLOSED', 'The client was closed.'));
      return;
    }
    const timer = setTimeout(
      () =>
        this.destroy(
          new ConnectionError('TIMEOUT', `No reply to QUIT within ${timeoutMs} ms (QUIT_TIMEOUT_MS).`),
        ),
      timeoutMs,
    );
    try {
      this.#write(core.send({ type: 'quit' }));
      this.#process();
      await this.#closed.promise;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes the socket at once; every unfinished message fails with `error`. */
  destroy(error: StrictmailError): void {
    this.#finish(error);
  }

  /** Lets the process exit while this connection is idle in a pool (and undoes it when busy). */
  setKeepsProcessAlive(alive: boolean): void {
    if (alive) this.#socket?.ref();
    else this.#socket?.unref();
  }

  #requireCore(): ClientConnection {
    const core = this.#core;
    if (core === null || this.#finished)
      throw new ConnectionError('CONNECTION_CLOSED', 'The connection is closed.');
    return core;
  }

  async #streamBody(
    core: ClientConnection,
    id: number,
    body: PreparedBody,
    waiter: Waiter,
    last: boolean,
  ): Promise<void> {
    try {
      if (body.whole !== null && body.whole.length <= WHOLE_BODY_SLICE_BYTES) {
        // Small messages go as one chunk: with CHUNKING that is a single `BDAT n LAST`.
        this.#write(core.send({ type: 'body-chunk', id, data: body.whole, last: true }));
      } else {
        const source =
          body.whole === null ? (body.stream as AsyncIterable<Uint8Array | string>) : slices(body.whole);
        for await (const chunk of source) {
          if (waiter.settled || this.#finished) break;
          const bytes = core.send({ type: 'body-chunk', id, data: toBytes(chunk) });
          if (!this.#write(bytes)) await this.#drained();
        }
        if (!this.#finished) this.#write(core.send({ type: 'body-end', id }));
      }
      // The connection's last message: QUIT rides in the same flight as the end of data (RFC 2920
      // §3.1), so closing costs no round trip of its own.
      if (last && !this.#finished && core.mayQuit) {
        this.#write(core.send({ type: 'quit' }));
      }
      this.#process();
    } catch (error) {
      if (this.#finished) return;
      if (core.state === 'ERROR') {
        // The core refused the body (e.g. 8-bit data without 8BITMIME) and failed the connection: its
        // events say which message failed and why.
        this.#process();
        return;
      }
      this.#failMessage(
        waiter,
        StrictmailError.isInstance(error)
          ? error
          : new LocalProtocolError(
              'BODY_STREAM_FAILED',
              `Reading the message body failed: ${(error as Error).message}. The connection was closed so the server discards the partial message.`,
              { cause: error },
            ),
      );
    }
  }

  /**
   * Fails one message whose data may already be partly on the wire: the only safe way to stop it is to
   * close the connection (the server then discards it, RFC 5321 §4.1.1.4). Other messages on the
   * connection fail with a transient CONNECTION_CLOSED and may be retried.
   */
  #failMessage(waiter: Waiter, error: StrictmailError): void {
    if (waiter.settled || this.#finished) return;
    waiter.failure = error;
    this.#finish(
      new ConnectionError(
        'CONNECTION_CLOSED',
        `The connection was closed because another message on it failed mid-transfer (${error.code}). Retry this message.`,
      ),
    );
  }

  async #drained(): Promise<void> {
    const socket = this.#socket;
    if (socket === null || this.#finished) return;
    await Promise.race([once(socket, 'drain'), this.#closed.promise]);
  }

  #startCore(socket: net.Socket): void {
    const { policy, credentials, timeouts, logger } = this.#options;
    try {
      this.#core = new ClientConnection({
        clientName: this.#options.clientName ?? addressLiteral(socket.localAddress),
        policy,
        ...(credentials === undefined ? {} : { credentials }),
        now: () => performance.now(),
        timeouts,
        transcript: (entry: TranscriptEntry) =>
          logger.debug({ smtp: entry.direction, line: entry.text }, 'smtp transcript'),
        ...(this.#options.bareLineEndings === undefined
          ? {}
          : { bareLineEndings: this.#options.bareLineEndings }),
        ...(this.#options.pipelining === undefined ? {} : { pipelining: this.#options.pipelining }),
        ...(this.#options.chunking === undefined ? {} : { chunking: this.#options.chunking }),
      });
    } catch (error) {
      this.#finish(error as StrictmailError);
      return;
    }
    this.#process();
  }

  #attach(socket: net.Socket): void {
    socket.on('data', this.#onData);
    socket.on('end', this.#onEnd);
    socket.on('error', this.#onError);
    socket.on('close', this.#onClose);
  }

  #detach(socket: net.Socket): void {
    socket.off('data', this.#onData);
    socket.off('end', this.#onEnd);
    socket.off('error', this.#onError);
    socket.off('close', this.#onClose);
  }

  readonly #onData = (chunk: Buffer): void => {
    this.#core?.receiveData(chunk);
    this.#process();
  };
  readonly #onEnd = (): void => {
    this.#core?.receiveData(new Uint8Array(0));
    this.#process();
  };
  readonly #onError = (error: Error): void => {
    this.#finish(
      new ConnectionError(
        'SOCKET_ERROR',
        `The connection to ${this.#options.host}:${this.#options.port} failed: ${error.message}`,
        { cause: error },
      ),
    );
  };
  readonly #onClose = (): void => {
    if (this.#finished) return;
    this.#core?.receiveData(new Uint8Array(0));
    this.#process();
    this.#finish(
      new ConnectionError(
        'CONNECTION_CLOSED',
        `The connection to ${this.#options.host}:${this.#options.port} closed unexpectedly.`,
      ),
    );
  };

  #write(bytes: Uint8Array): boolean {
    const socket = this.#socket;
    if (bytes.length === 0 || this.#finished || socket === null) return true;
    // Everything written in one tick leaves in one write (and one TLS record): cork now, uncork on the
    // next tick. Fewer records mean less encryption work here and less parsing at the server.
    if (this.#corked !== socket) {
      this.#corked = socket;
      socket.cork();
      process.nextTick(() => {
        if (this.#corked === socket) this.#corked = null;
        socket.uncork();
      });
    }
    return socket.write(bytes);
  }

  /** Drains the core's events and output, then re-arms the one timer. */
  #process(): void {
    const core = this.#core;
    if (core === null || this.#finished || this.#upgrading) return;
    for (;;) {
      const event = core.nextEvent();
      if (event === NEED_DATA) break;
      switch (event.type) {
        case 'tls-upgrade-request':
          this.#write(core.pollTransmit());
          void this.#upgrade(core, event.entry);
          this.#armTimer(core);
          return;
        case 'session-ready':
          this.#session = event;
          this.#ready.resolve(event);
          break;
        case 'body-request':
          this.#waiters.get(event.id)?.bodyRequested.resolve();
          break;
        case 'message-accept':
        case 'message-reject': {
          const waiter = this.#waiters.get(event.id);
          if (waiter === undefined) break;
          this.#waiters.delete(event.id);
          waiter.settled = true;
          if (event.type === 'message-accept') waiter.result.resolve(event);
          else waiter.result.reject(event.unsent ? new UnsentMessageError(event.error) : event.error);
          this.#notifyIdle();
          break;
        }
        case 'connection-close':
          this.#finish(null);
          return;
        case 'connection-fail':
          this.#finish(this.#explain(event.error));
          return;
      }
    }
    this.#write(core.pollTransmit());
    this.#armTimer(core);
  }

  #explain(error: StrictmailError): StrictmailError {
    if (error.code === 'TIMEOUT' && this.#core?.state === 'ERROR' && this.#session === null) {
      const advice = diagnoseGreetingTimeout({ port: this.#options.port, policy: this.#options.policy });
      if (advice !== undefined)
        return new ConnectionError('TIMEOUT', `${error.message} ${advice.advice}`, { cause: error });
    }
    return error;
  }

  #armTimer(core: ClientConnection): void {
    const deadline = core.pollTimeout();
    if (deadline === null || this.#finished) {
      if (this.#timer !== null) clearTimeout(this.#timer);
      this.#timer = null;
      return;
    }
    // Deadlines mostly move later (every reply is progress): an earlier timer is kept and simply
    // re-armed when it fires, instead of creating a timer per reply.
    if (this.#timer === null || this.#timerDeadline > deadline) {
      if (this.#timer !== null) clearTimeout(this.#timer);
      this.#timerDeadline = deadline;
      this.#timer = setTimeout(
        () => {
          this.#timer = null;
          core.handleTimeout(performance.now());
          if (core.state === 'ERROR') this.#upgrading = false;
          this.#process();
          if (!this.#finished) this.#armTimer(core);
        },
        Math.max(0, Math.ceil(deadline - performance.now())),
      );
    }
    // An idle pooled connection must not keep the process alive.
    if (this.#waiters.size === 0 && this.#session !== null) this.#timer.unref();
    else this.#timer.ref();
  }

  async #upgrade(core: ClientConnection, entry: TlsEntry): Promise<void> {
    const { host, port, policy, resume } = this.#options;
    const context = { host, port, policy, entry, resume };
    const raw = this.#socket as net.Socket;
    this.#upgrading = true;
    // The raw socket's listeners go before the TLS layer takes it over (see tls-upgrade.ts).
    this.#detach(raw);
    raw.on('error', () => {});
    let ticket: Buffer | undefined;
    let judged: TlsReceipt | null = null;
    try {
      const secure = startTls(raw, context, (session) => {
        ticket = session;
        if (judged !== null) this.#options.onSession({ session, receipt: judged });
      });
      this.#socket = secure;
      const receipt = await finishTls(secure, context, this.#closed.promise);
      if (receipt === null) return;
      this.#options.logger.info({ host, port, tls: receipt }, 'smtp tls established');
      this.#upgrading = false;
      this.#attach(secure);
      core.tlsEstablished(receipt);
      // Resumption needs the receipt of the session that presented the certificate.
      judged = receipt.resumed && resume !== undefined ? resume.receipt : receipt;
      const session = sessionAfterHandshake(secure, ticket);
      if (session !== undefined) this.#options.onSession({ session, receipt: judged });
    } catch (error) {
      this.#upgrading = false;
      this.#finish(
        StrictmailError.isInstance(error) ? error : diagnoseHandshakeError(error, { policy, host, port }),
      );
      return;
    }
    this.#process();
  }

  #finish(error: StrictmailError | null): void {
    if (this.#finished) return;
    this.#finished = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    const socket = this.#socket;
    if (socket !== null) {
      if (error === null) socket.end();
      socket.destroy();
    }
    const failure = error ?? new ConnectionError('CONNECTION_CLOSED', 'The connection was closed.');
    // A pooled connection the server closed while nothing was in flight is routine, not a warning.
    const routine = this.#waiters.size === 0 && this.#session !== null;
    for (const [id, waiter] of this.#waiters) {
      waiter.settled = true;
      const unsent = waiter.failure === undefined && this.#core?.isUnsent(id) === true;
      waiter.result.reject(unsent ? new UnsentMessageError(failure) : (waiter.failure ?? failure));
      waiter.bodyRequested.reject(failure);
    }
    this.#waiters.clear();
    this.#notifyIdle();
    this.#ready.reject(failure);
    if (error !== null)
      this.#options.logger[routine ? 'debug' : 'warn'](
        { host: this.#options.host, port: this.#options.port, code: error.code, err: error },
        'smtp connection failed',
      );
    this.#closed.resolve(error);
  }
}
