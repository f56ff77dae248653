// `createMockSmtpServer`: an smtp-server on 127.0.0.1 (or ::1), port 0, that records every connection
// and message and plays scripted faults. Rules: loopback only; never smtp-server's built-in certificate;
// `minVersion` always set; no reverse DNS; a message is stored before its final 250; `close()` destroys
// every connection at once and resolves only when the listening socket is gone.
import { once } from 'node:events';
import type { TLSSocket } from 'node:tls';
import type { SMTPServerAddress, SMTPServerOptions, SMTPServerSession } from 'smtp-server';
import { createAuthHandler } from './auth-handler';
import { type ConnectionHost, type MockConnection, MockSmtpServerCore } from './connection';
import { createDataHandler } from './data-handler';
import { MockServerError, smtpError } from './errors';
import { type Fault, FaultScript, validateFaults } from './faults';
import { DEFAULT_GREYLIST_CODE, DEFAULT_GREYLIST_TEXT, Greylist } from './greylist';
import { type CapturedMessage, describeFilter, type MessageFilter, matchesFilter } from './message';
import {
  DEFAULT_AUTH_MECHANISMS,
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_SERVER_NAME,
  type MockSmtpServerOptions,
  type ServerMode,
} from './options';
import { defaultServerCertificate } from './server-certificate';
import { type MockSmtpSession, SessionRecorder } from './session';
import { tapSocket } from './wire-tap';

/** Default wait of `waitForMessage`: long enough for a slow CI machine, shorter than a test timeout. */
export const DEFAULT_WAIT_TIMEOUT_MS = 5_000;

export interface WaitOptions {
  /** Milliseconds before rejecting with `WAIT_TIMEOUT`. Default 5,000. */
  readonly timeout?: number;
}

/** A running mock SMTP server. `await using server = await createMockSmtpServer()` closes it. */
export interface MockSmtpServer extends AsyncDisposable {
  readonly host: string;
  readonly port: number;
  /** PEM of the CA a client must trust (and nothing else). */
  readonly ca: string;
  /** PEM of the leaf certificate the server presents (for pins: `spkiSha256(server.certificate)`). */
  readonly certificate: string;
  readonly mode: ServerMode;
  /** Accepted messages, in order of acceptance. Live; cleared by `reset()`. */
  readonly messages: readonly CapturedMessage[];
  /** One record per connection, in order of arrival. Live; cleared by `reset()`. */
  readonly sessions: readonly MockSmtpSession[];
  /** Resolves with the first stored message matching `filter`, or the next one to arrive. */
  waitForMessage(filter?: MessageFilter, options?: WaitOptions): Promise<CapturedMessage>;
  /** Replaces the fault script (and its use counters). */
  setFaults(faults: readonly Fault[]): void;
  /** Forgets messages, sessions, greylist entries and fault use counts. Open connections stay open. */
  reset(): void;
  /** Closes every connection at once and stops listening. Idempotent. */
  close(): Promise<void>;
}

interface Waiter {
  readonly filter: MessageFilter | undefined;
  readonly resolve: (message: CapturedMessage) => void;
  readonly reject: (error: Error) => void;
}

/** Starts a mock SMTP server. Resolves once it listens. */
export async function createMockSmtpServer(options: MockSmtpServerOptions = {}): Promise<MockSmtpServer> {
  const mode = options.mode ?? 'starttls';
  const host = options.host ?? '127.0.0.1';
  const auth = options.auth ?? {};
  validateFaults(options.faults ?? []);
  const tls = options.tls ?? {};
  if ((tls.key === undefined) !== (tls.cert === undefined)) {
    throw new MockServerError('INVALID_OPTION', 'tls.key and tls.cert must be given together; got only one.');
  }
  const certificate =
    tls.key !== undefined && tls.cert !== undefined
      ? { key: tls.key, cert: tls.cert, ca: tls.ca ?? (await defaultServerCertificate()).ca }
      : await defaultServerCertificate();

  const faults = new FaultScript(options.faults ?? []);
  const greylist = new Greylist();
  const greylistReply =
    options.greylist === undefined || options.greylist === false
      ? undefined
      : {
          code: (options.greylist === true ? undefined : options.greylist.code) ?? DEFAULT_GREYLIST_CODE,
          text: (options.greylist === true ? undefined : options.greylist.text) ?? DEFAULT_GREYLIST_TEXT,
        };
  const messages: CapturedMessage[] = [];
  const sessions: SessionRecorder[] = [];
  const connections = new Map<string, MockConnection>();
  const waiters = new Set<Waiter>();
  let closing: Promise<void> | undefined;

  const hostHooks: ConnectionHost = {
    faults,
    openSession(connection) {
      const recorder = new SessionRecorder(connection.id, connection.remoteAddress, connection.remotePort);
      sessions.push(recorder);
      connections.set(connection.id, connection);
      return recorder;
    },
    connectionClosed(connection) {
      connections.delete(connection.id);
    },
  };

  const connectionOf = (session: SMTPServerSession): MockConnection | undefined =>
    connections.get(session.id);

  function store(message: CapturedMessage): void {
    messages.push(message);
    for (const waiter of waiters) {
      // A throwing filter is the test's bug: it rejects that wait, never the server's reply to the client.
      let matched: boolean;
      try {
        matched = matchesFilter(message, waiter.filter);
      } catch (error) {
        waiters.delete(waiter);
        waiter.reject(error instanceof Error ? error : new Error(String(error)));
        continue;
      }
      if (matched) {
        waiters.delete(waiter);
        waiter.resolve(message);
      }
    }
  }

  function onRcptTo(
    address: SMTPServerAddress,
    session: SMTPServerSession,
    callback: (error?: Error) => void,
  ) {
    if (greylistReply !== undefined) {
      const from = session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address;
      if (greylist.shouldDefer(session.remoteAddress, from, address.address)) {
        return callback(smtpError(greylistReply.code, greylistReply.text));
      }
    }
    callback();
  }

  const mechanisms = auth === false ? [] : [...(auth.mechanisms ?? DEFAULT_AUTH_MECHANISMS)];
  const disabledCommands: string[] = [];
  if (mode === 'plaintext') disabledCommands.push('STARTTLS');
  if (auth === false) disabledCommands.push('AUTH');
  const smtpOptions: SMTPServerOptions = {
    secure: mode === 'implicit-tls',
    key: certificate.key,
    cert: certificate.cert,
    minVersion: tls.minVersion ?? 'TLSv1.2',
    ...(tls.maxVersion === undefined ? {} : { maxVersion: tls.maxVersion }),
    ...(tls.ciphers === undefined ? {} : { ciphers: tls.ciphers }),
    ...(tls.ciphersuites === undefined ? {} : { ciphersuites: tls.ciphersuites }),
    name: options.name ?? DEFAULT_SERVER_NAME,
    // No test may send a DNS query, and the lookup would delay every greeting.
    disableReverseLookup: true,
    logger: false,
    disabledCommands,
    authMethods: mechanisms,
    authOptional: auth === false || auth.required !== true,
    allowInsecureAuth: mode === 'plaintext' || (auth !== false && auth.allowBeforeTls === true),
    hidePIPELINING: options.pipelining === false,
    hideENHANCEDSTATUSCODES: false,
    hideDSN: false,
    hideREQUIRETLS: false,
    ...(options.size === undefined ? {} : { size: options.size }),
    ...(options.maxRecipients === undefined ? {} : { maxRecipients: options.maxRecipients }),
    rejectOversized: true,
    socketTimeout: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
    // smtp-server's default onConnect defers the greeting by a setImmediate; answering at once keeps
    // the greeting in the same tick as the socket set-up (see connection.ts).
    onConnect(_session, callback) {
      callback();
    },
    onAuth: createAuthHandler(auth, (session) => connectionOf(session)?.recorder),
    onRcptTo,
    onData: createDataHandler({ faults, connectionOf, isClosing: () => closing !== undefined, store }),
    onSecure(socket, session, callback) {
      const recorder = connectionOf(session)?.recorder;
      if (recorder !== undefined) {
        recorder.recordTls(socket as TLSSocket);
        tapSocket(socket, 'encrypted', recorder);
      }
      callback();
    },
  };
  const core = new MockSmtpServerCore(smtpOptions, hostHooks);
  // Socket errors of a client that vanished mid-transaction surface here; the session records the close.
  core.on('error', () => undefined);
  core.listen({ host, port: 0 });
  try {
    await once(core.server, 'listening');
  } catch (error) {
    throw new MockServerError(
      'LISTEN_FAILED',
      `could not listen on ${host} port 0: ${String(error)}. ` +
        (host === '::1' ? 'This machine may have no IPv6 loopback; use the default 127.0.0.1.' : ''),
      { cause: error },
    );
  }
  const address = core.server.address();
  if (address === null || typeof address === 'string') {
    throw new MockServerError('LISTEN_FAILED', `expected a TCP address for ${host}, got ${String(address)}`);
  }
  const port = address.port;

  async function close(): Promise<void> {
    closing ??= (async () => {
      for (const waiter of waiters) {
        waiter.reject(
          new MockServerError(
            'SERVER_CLOSED',
            `the mock server on ${host}:${port} closed while waiting for ${describeFilter(waiter.filter)}`,
          ),
        );
      }
      waiters.clear();
      const stopped = new Promise<void>((resolve) => core.close(() => resolve()));
      for (const connection of connections.values()) connection.drop();
      await stopped;
    })();
    return closing;
  }

  return {
    host,
    port,
    ca: certificate.ca,
    certificate: certificate.cert,
    mode,
    get messages() {
      return messages;
    },
    get sessions() {
      return sessions;
    },
    waitForMessage(filter, waitOptions = {}) {
      let existing: CapturedMessage | undefined;
      try {
        existing = messages.find((message) => matchesFilter(message, filter));
      } catch (error) {
        return Promise.reject(error);
      }
      if (existing !== undefined) return Promise.resolve(existing);
      if (closing !== undefined) {
        return Promise.reject(new MockServerError('SERVER_CLOSED', 'the mock server is closed'));
      }
      const timeoutMs = waitOptions.timeout ?? DEFAULT_WAIT_TIMEOUT_MS;
      return new Promise<CapturedMessage>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(
            new MockServerError(
              'WAIT_TIMEOUT',
              `waited ${timeoutMs} ms for ${describeFilter(filter)} on ${host}:${port}; ` +
                `received ${messages.length} message(s) in ${sessions.length} session(s) and none matched. ` +
                'Check the client reported success, or pass a longer { timeout }.',
            ),
          );
        }, timeoutMs);
        const waiter: Waiter = {
          filter,
          resolve: (message) => {
            clearTimeout(timer);
            resolve(message);
          },
          reject: (error) => {
            clearTimeout(timer);
            reject(error);
          },
        };
        waiters.add(waiter);
      });
    },
    setFaults(next) {
      faults.replace(next);
    },
    reset() {
      messages.length = 0;
      sessions.length = 0;
      faults.resetCounters();
      greylist.clear();
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
