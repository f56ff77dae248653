// smtp-server's server and connection classes, extended at three points and nowhere else:
// 1. `init()` greets at once. smtp-server 3.21.6 waits a hard-coded 100 ms before every greeting to
//    catch "early talkers" (spam bots that speak before the 220). A test server has none to catch,
//    and the wait would cost 100 ms per connection. The greeting is sent in the same tick as the
//    socket's listeners are set, so bytes a client sent first wait in the socket buffer and are
//    answered after it; during a delayed-greeting fault smtp-server answers "421 You talk too soon".
// 2. `_onCommand()` records each line, then applies the scripted fault for its stage, if any, before
//    smtp-server's own handler would run (EHLO, STARTTLS and DATA have no smtp-server hook).
// 3. `_upgrade()` refuses to wrap a socket that is already destroyed (a Node crash, see below).
// All three override members smtp-server declares public in its types; the dependency is pinned exactly,
// and tests (no early-talker timer, each fault stage) fail if a new version changes these paths.
import type { Socket } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { SMTPConnection } from 'smtp-server/lib/smtp-connection.js';
import { type Fault, type FaultScript, faultText, stageOfCommand } from './faults';
import type { SessionRecorder } from './session';
import { tapSocket } from './wire-tap';

/** What a connection needs from the harness that owns it. */
export interface ConnectionHost {
  readonly faults: FaultScript;
  /** Called once per accepted connection, before smtp-server reads a byte. */
  openSession(connection: MockConnection): SessionRecorder;
  /** Called when a connection's socket closes, to cancel its pending fault timers. */
  connectionClosed(connection: MockConnection): void;
}

/** Extracts the address of `RCPT TO:<address>` (RFC 5321 §4.1.1.3), or undefined. */
function recipientOf(line: string): string | undefined {
  return /^RCPT TO:\s*<([^>]*)>/i.exec(line)?.[1];
}

/** An smtp-server connection that greets without delay, records its dialogue and plays faults. */
export class MockConnection extends SMTPConnection {
  readonly recorder: SessionRecorder;
  readonly #host: ConnectionHost;
  readonly #timers = new Set<NodeJS.Timeout>();

  constructor(
    server: MockSmtpServerCore,
    socket: Socket,
    options: ConstructorParameters<typeof SMTPConnection>[2],
    host: ConnectionHost,
  ) {
    super(server, socket, options);
    this.#host = host;
    this.recorder = host.openSession(this);
    // Implicit TLS hands over a finished TLS socket: everything on it is the encrypted phase.
    tapSocket(socket, this.secure ? 'encrypted' : 'plaintext', this.recorder);
  }

  /** smtp-server calls this when the current socket (raw or TLS) closed. */
  override _onClose(): void {
    super._onClose();
    this.recorder.closed = true;
    this.cancelTimers();
    this.#host.connectionClosed(this);
  }

  /** The socket smtp-server currently talks on (the TLS socket once STARTTLS finished). */
  get socket(): Socket {
    return this._socket;
  }

  /** Greets without smtp-server's 100 ms early-talker wait (see the header of this file). */
  override init(): void {
    this._setListeners(() => {
      const maxClients = this._server.options.maxClients;
      if (maxClients && this._server.connections.size > maxClients) {
        this.send(421, `${this.name} Too many connected clients, try again in a moment`, false);
        return;
      }
      this.connectionReady();
    });
  }

  /** Plays a `greeting` fault in place of the 220. */
  override _sendGreeting(): void {
    const fault = this.#host.faults.take('greeting');
    if (fault === undefined) {
      super._sendGreeting();
      return;
    }
    // Not ready while the greeting is delayed: a client speaking first is an early talker.
    this._ready = false;
    this.afterDelay(fault, () => {
      this._ready = true;
      if (fault.disconnect === true) return this.drop();
      if (fault.reply === undefined) return super._sendGreeting();
      this.send(fault.reply, faultText(fault), false);
      // RFC 5321 §3.1: a server refusing the session in its greeting closes it (421 closes in send()).
      if (fault.reply >= 400 && fault.reply !== 421) this.close();
    });
  }

  override _onCommand(command: Buffer, callback?: () => void): void {
    const line = command.toString('latin1');
    const continuation = this._nextHandler !== false;
    const verb = this.recorder.recordCommand(line, continuation);
    // Lines smtp-server discards or refuses on its own (mid-handshake plaintext, early talkers) and
    // SASL continuation lines go straight to it.
    const stage = continuation || this._upgrading || !this._ready ? undefined : stageOfCommand(verb);
    const fault = stage === undefined ? undefined : this.#host.faults.take(stage, recipientOf(line));
    if (fault === undefined) {
      super._onCommand(command, callback);
      return;
    }
    this.afterDelay(fault, () => {
      if (fault.disconnect === true) return this.drop();
      if (fault.reply === undefined) return super._onCommand(command, callback);
      this.send(fault.reply, faultText(fault), false);
      // Resume the parser the way smtp-server does after a reply of its own.
      setImmediate(() => this._whenWritable(callback ?? (() => undefined)));
    });
  }

  /** Drops the connection without a reply, as a crashed server or a cut cable would. */
  drop(): void {
    this.cancelTimers();
    this._socket.destroy();
  }

  cancelTimers(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  /** Runs `action` after the fault's `delayMs` (at once without one); the timer dies with the connection. */
  afterDelay(fault: Fault, action: () => void): void {
    if (fault.delayMs === undefined || fault.delayMs <= 0) {
      action();
      return;
    }
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      action();
    }, fault.delayMs);
    this.#timers.add(timer);
  }
}

/** An SMTPServer whose connections are `MockConnection`s. */
export class MockSmtpServerCore extends SMTPServer {
  readonly #host: ConnectionHost;

  constructor(options: SMTPServerOptions, host: ConnectionHost) {
    super(options);
    this.#host = host;
  }

  /**
   * Implicit TLS: smtp-server wraps the accepted socket in a TLSSocket one setImmediate after accepting
   * it. If `close()` destroyed the socket in between, Node 20 segfaults wrapping it (measured: a client
   * that connects and a server closed at once crash the process every time). A destroyed socket has
   * nothing to upgrade: report it as a failed handshake instead.
   */
  override _upgrade(socket: Socket, callback: Parameters<SMTPServer['_upgrade']>[1]): void {
    if (socket.destroyed) {
      callback(
        Object.assign(new Error('Connection closed before the TLS handshake'), { code: 'ECONNRESET' }),
      );
      return;
    }
    super._upgrade(socket, callback);
  }

  /** Same as smtp-server's `connect()`, with `MockConnection` in place of `SMTPConnection`. */
  override connect(socket: Socket, socketOptions?: ConstructorParameters<typeof SMTPConnection>[2]): void {
    const connection = new MockConnection(this, socket, socketOptions, this.#host);
    this.connections.add(connection);
    connection.on('error', (error: Error) => this._onError(error));
    connection.on('connect', (data) => this._onClientConnect(data));
    connection.init();
  }
}
