// `createClient`: the Node client and its pool. Messages wait in one queue; connections take them up
// to PIPELINE_WINDOW at a time (the core pipelines them), each connection carries at most `maxMessages`
// and closes after `idleTimeoutMs` idle. A failed connection fails only the messages it had started;
// queued messages go to a new connection (reconnect), which resumes the last TLS session.
// `close()` rejects queued messages, lets started ones finish, sends QUIT, and leaves nothing behind.
import { EventEmitter } from 'node:events';
import { StrictmailError, type TlsReceipt } from '@strictmail/tls-policy';
import { validateAddress } from '../address';
import type { Credentials } from '../auth/mechanisms';
import { capabilityList } from '../capabilities';
import { ConnectionError, LocalProtocolError, type SmtpReplyError } from '../errors';
import type { Envelope } from '../events';
import { type MessageInput, type PreparedBody, prepareBody } from './body-source';
import { ConnectionDriver, UnsentMessageError } from './driver';
import { type Logger, silentLogger } from './logger';
import {
  type ClientOptions,
  PIPELINE_WINDOW,
  type ResolvedPool,
  resolvePool,
  resolveTimeouts,
  validateOptions,
} from './options';
import { type ClientTimeouts, QUIT_TIMEOUT_MS } from './timeouts';
import type { ResumableSession } from './tls-upgrade';

export interface SendResult {
  readonly accepted: string[];
  readonly rejected: string[];
  readonly rejectedErrors: SmtpReplyError[];
  /** The server's final reply, e.g. `250 2.0.0 Ok: queued as 4F2A`. */
  readonly response: string;
  readonly envelope: Envelope;
  readonly tls: TlsReceipt | null;
  /** Bytes of the message after line-ending normalisation. */
  readonly messageSize: number;
}

export interface VerifyResult {
  readonly tls: TlsReceipt | null;
  readonly capabilities: string[];
  readonly authenticated: boolean;
}

export interface SendOptions {
  readonly signal?: AbortSignal;
}

interface Job {
  readonly envelope: Envelope;
  readonly body: PreparedBody;
  readonly signal: AbortSignal | undefined;
  readonly resolve: (result: SendResult) => void;
  readonly reject: (error: unknown) => void;
  started: boolean;
  /** Times this message went back to the queue because its connection failed before sending it. */
  retries: number;
  /** Order of the send() call. */
  readonly sequence: number;
}

/** How often a message that never reached the wire is moved to a new connection before failing. */
export const MAX_UNSENT_RETRIES = 2;

interface PooledConnection {
  driver: ConnectionDriver | null;
  /** Settles once `driver` is set or could not be created. */
  readonly opened: Promise<void>;
  ready: boolean;
  started: number;
  idleTimer: NodeJS.Timeout | null;
  /** Set once the connection is being closed (QUIT), so that closing is done once. */
  retiring: Promise<void> | null;
}

function aborted(signal: AbortSignal): ConnectionError {
  return new ConnectionError('ABORTED', 'The send was aborted by its AbortSignal.', { cause: signal.reason });
}

export class SmtpClient extends EventEmitter {
  readonly #options: ClientOptions;
  readonly #timeouts: ClientTimeouts;
  readonly #pool: ResolvedPool;
  readonly #logger: Logger;
  readonly #queue: Job[] = [];
  readonly #connections = new Set<PooledConnection>();
  #resume: ResumableSession | undefined;
  #closing = false;
  #sequence = 0;

  constructor(options: ClientOptions) {
    super();
    validateOptions(options);
    this.#options = options;
    this.#timeouts = resolveTimeouts(options.timeouts);
    this.#pool = resolvePool(options.pool, this.#timeouts);
    this.#logger = options.logger ?? silentLogger;
  }

  /** Sends one message. Resolves only after the server's final positive reply (invariant 8). */
  send(envelope: Envelope, message: MessageInput, options: SendOptions = {}): Promise<SendResult> {
    return new Promise<SendResult>((resolve, reject) => {
      if (this.#closing) {
        reject(new ConnectionError('CLIENT_CLOSED', 'send() was called after close().'));
        return;
      }
      const { signal } = options;
      if (signal?.aborted) {
        reject(aborted(signal));
        return;
      }
      let job: Job;
      try {
        // Invariant 6 before any connection is opened: unsafe addresses never reach a socket.
        validateAddress(envelope.from, 'from');
        if (!Array.isArray(envelope.to) || envelope.to.length === 0) {
          throw new LocalProtocolError('UNSAFE_INPUT', 'envelope.to must be a non-empty array of addresses.');
        }
        for (const recipient of envelope.to) validateAddress(recipient, 'to');
        job = {
          envelope,
          body: prepareBody(message),
          signal,
          resolve,
          reject,
          started: false,
          retries: 0,
          sequence: this.#sequence++,
        };
      } catch (error) {
        reject(error);
        return;
      }
      signal?.addEventListener(
        'abort',
        () => {
          const index = this.#queue.indexOf(job);
          if (index >= 0) {
            this.#queue.splice(index, 1);
            reject(aborted(signal));
          }
        },
        { once: true },
      );
      this.#queue.push(job);
      this.#schedule();
    });
  }

  /** Connects, sets up TLS, EHLO and AUTH as for a send, then QUITs: proves the configuration works. */
  async verify(): Promise<VerifyResult> {
    const driver = new ConnectionDriver(await this.#driverOptions()).open();
    const session = await driver.ready;
    await driver.quit(QUIT_TIMEOUT_MS);
    return {
      tls: session.tls,
      capabilities: capabilityList(session.capabilities),
      authenticated: session.authenticated,
    };
  }

  /** Whether a new message would be taken at once (the pool has room). */
  isIdle(): boolean {
    if (this.#closing || this.#queue.length > 0) return false;
    // A connection that has carried maxMessages is about to be replaced: it does not take a slot.
    const lasting = [...this.#connections].filter(
      (connection) => connection.started < this.#pool.maxMessages,
    );
    if (lasting.length < this.#pool.maxConnections) return true;
    return lasting.some((connection) => this.#hasRoom(connection));
  }

  /** Rejects queued messages, lets started ones finish, QUITs every connection, and waits for the sockets. */
  async close(): Promise<void> {
    this.#closing = true;
    for (const job of this.#queue.splice(0))
      job.reject(new ConnectionError('CLIENT_CLOSED', 'The client was closed before this message was sent.'));
    while (this.#connections.size > 0) {
      await Promise.all([...this.#connections].map((connection) => this.#retire(connection)));
    }
  }

  async #driverOptions() {
    const { auth } = this.#options;
    let credentials: Credentials | undefined;
    if (auth !== undefined) {
      if ('pass' in auth) credentials = { user: auth.user, pass: auth.pass };
      else {
        const token = typeof auth.accessToken === 'function' ? await auth.accessToken() : auth.accessToken;
        credentials = { user: auth.user, accessToken: token };
      }
    }
    return {
      host: this.#options.host,
      port: this.#options.port,
      policy: this.#options.policy,
      credentials,
      clientName: this.#options.clientName,
      timeouts: this.#timeouts,
      logger: this.#logger,
      resume: this.#resume,
      onSession: (session: ResumableSession) => {
        this.#resume = session;
      },
      ...(this.#options.bareLineEndings === undefined
        ? {}
        : { bareLineEndings: this.#options.bareLineEndings }),
      ...(this.#options.pipelining === undefined ? {} : { pipelining: this.#options.pipelining }),
      ...(this.#options.chunking === undefined ? {} : { chunking: this.#options.chunking }),
    };
  }

  #hasRoom(connection: PooledConnection): boolean {
    const { driver } = connection;
    return (
      connection.ready &&
      connection.retiring === null &&
      driver !== null &&
      !driver.isClosed &&
      connection.started < this.#pool.maxMessages &&
      driver.inFlight < PIPELINE_WINDOW
    );
  }

  #schedule(): void {
    while (this.#queue.length > 0 && !this.#closing) {
      const connection = [...this.#connections].find((candidate) => this.#hasRoom(candidate));
      if (connection !== undefined) {
        this.#run(connection, this.#queue.shift() as Job);
        continue;
      }
      const opening = [...this.#connections].filter((candidate) => !candidate.ready).length;
      if (
        this.#connections.size < this.#pool.maxConnections &&
        (opening === 0 || this.#queue.length > opening * Math.min(PIPELINE_WINDOW, this.#pool.maxMessages))
      ) {
        this.#open();
        continue;
      }
      return;
    }
  }

  #open(): void {
    let markOpened = () => {};
    const opened = new Promise<void>((resolve) => {
      markOpened = resolve;
    });
    const connection: PooledConnection = {
      driver: null,
      opened,
      ready: false,
      started: 0,
      idleTimer: null,
      retiring: null,
    };
    this.#connections.add(connection);
    void (async () => {
      let driver: ConnectionDriver;
      try {
        driver = new ConnectionDriver(await this.#driverOptions());
      } catch (error) {
        this.#connections.delete(connection);
        markOpened();
        this.#failQueue(error);
        return;
      }
      connection.driver = driver;
      markOpened();
      driver.open();
      void driver.closed.then(() => {
        if (connection.idleTimer !== null) clearTimeout(connection.idleTimer);
        this.#connections.delete(connection);
        this.#schedule();
      });
      try {
        await driver.ready;
      } catch (error) {
        this.#connections.delete(connection);
        // The connection never became usable: the messages waiting for it fail with the reason rather
        // than loop on reconnects (a security refusal will not change by retrying).
        if (![...this.#connections].some((other) => other.ready)) this.#failQueue(error);
        this.#schedule();
        return;
      }
      connection.ready = true;
      if (this.#closing) {
        void this.#retire(connection);
        return;
      }
      this.#schedule();
      this.#afterActivity(connection);
    })();
  }

  #failQueue(error: unknown): void {
    for (const job of this.#queue.splice(0)) job.reject(error);
  }

  #run(connection: PooledConnection, job: Job): void {
    const driver = connection.driver as ConnectionDriver;
    if (connection.idleTimer !== null) clearTimeout(connection.idleTimer);
    connection.idleTimer = null;
    connection.started += 1;
    job.started = true;
    driver.setKeepsProcessAlive(true);
    const session = driver.session;
    driver
      .send(job.envelope, job.body, job.signal, connection.started >= this.#pool.maxMessages)
      .then(
        (accept) =>
          job.resolve({
            accepted: [...accept.accepted],
            rejected: [...accept.rejected],
            rejectedErrors: [...accept.rejectedErrors],
            response: accept.reply.text,
            envelope: job.envelope,
            tls: session?.tls ?? null,
            messageSize: accept.messageSize,
          }),
        (error: unknown) => {
          if (error instanceof UnsentMessageError) {
            // Reconnect on failure: nothing of this message was written, so it goes back to the queue.
            if (!this.#closing && !job.signal?.aborted && job.retries < MAX_UNSENT_RETRIES) {
              job.retries += 1;
              // Back in its original place: messages keep the order in which send() was called.
              const index = this.#queue.findIndex((queued) => queued.sequence > job.sequence);
              this.#queue.splice(index < 0 ? this.#queue.length : index, 0, job);
              return;
            }
            job.reject(error.error);
            return;
          }
          job.reject(
            StrictmailError.isInstance(error)
              ? error
              : new ConnectionError('SOCKET_ERROR', String(error), { cause: error }),
          );
        },
      )
      .finally(() => {
        this.#afterActivity(connection);
        this.#schedule();
        if (this.isIdle()) this.emit('idle');
      });
  }

  #afterActivity(connection: PooledConnection): void {
    const { driver } = connection;
    if (driver === null || driver.isClosed || driver.inFlight > 0) return;
    if (connection.started >= this.#pool.maxMessages || this.#closing) {
      void this.#retire(connection);
      return;
    }
    if (this.#queue.length > 0) return;
    driver.setKeepsProcessAlive(false);
    if (connection.idleTimer !== null) clearTimeout(connection.idleTimer);
    connection.idleTimer = setTimeout(() => void this.#retire(connection), this.#pool.idleTimeoutMs);
    connection.idleTimer.unref();
  }

  async #retire(connection: PooledConnection): Promise<void> {
    if (connection.retiring !== null) return connection.retiring;
    connection.retiring = this.#quit(connection);
    return connection.retiring;
  }

  async #quit(connection: PooledConnection): Promise<void> {
    if (connection.idleTimer !== null) clearTimeout(connection.idleTimer);
    connection.idleTimer = null;
    this.#connections.delete(connection);
    await connection.opened;
    const { driver } = connection;
    if (driver === null) return;
    driver.setKeepsProcessAlive(true);
    await driver.whenIdle();
    if (!connection.ready)
      driver.destroy(new ConnectionError('CLIENT_CLOSED', 'The client was closed while connecting.'));
    await driver.quit(QUIT_TIMEOUT_MS);
    await driver.closed;
  }
}

/** Creates a client. Nothing connects until the first `send()` or `verify()`. */
export function createClient(options: ClientOptions): SmtpClient {
  return new SmtpClient(options);
}
