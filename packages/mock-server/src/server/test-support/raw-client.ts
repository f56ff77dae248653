// A minimal SMTP client for tests: writes exactly the bytes it is told to and reads whole replies
// (multi-line replies up to the "NNN " line, RFC 5321 §4.2.1). No retries, no timers of its own:
// every read is driven by socket events, and a reply that never comes fails the test's timeout.
import { once } from 'node:events';
import { connect as netConnect, type Socket } from 'node:net';
import { type TLSSocket, connect as tlsConnect } from 'node:tls';

export interface RawReply {
  readonly code: number;
  readonly lines: readonly string[];
  readonly text: string;
}

export class RawSmtpClient {
  #socket: Socket | TLSSocket;
  #buffer = '';
  #replies: RawReply[] = [];
  #waiting: ((reply: RawReply | null) => void) | undefined;
  #closed = false;

  private constructor(socket: Socket | TLSSocket) {
    this.#socket = socket;
    this.#listen(socket);
  }

  static async connect(port: number, options: { host?: string; tls?: { ca: string } } = {}) {
    const host = options.host ?? '127.0.0.1';
    const socket =
      options.tls === undefined
        ? netConnect({ host, port })
        : tlsConnect({ host, port, ca: options.tls.ca, minVersion: 'TLSv1.2' });
    await once(socket, options.tls === undefined ? 'connect' : 'secureConnect');
    return new RawSmtpClient(socket);
  }

  get socket(): Socket | TLSSocket {
    return this.#socket;
  }

  get closed(): boolean {
    return this.#closed;
  }

  #listen(socket: Socket | TLSSocket): void {
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      this.#buffer += chunk;
      this.#parse();
    });
    socket.on('close', () => {
      this.#closed = true;
      this.#waiting?.(null);
      this.#waiting = undefined;
    });
    socket.on('error', () => undefined);
  }

  #parse(): void {
    for (;;) {
      const match = /^((?:\d{3}-[^\r\n]*\r\n)*)(\d{3})(?: [^\r\n]*)?\r\n/.exec(this.#buffer);
      if (match === null) return;
      const raw = match[0];
      this.#buffer = this.#buffer.slice(raw.length);
      const lines = raw.split('\r\n').filter((line) => line !== '');
      const reply = { code: Number(match[2]), lines, text: lines.map((line) => line.slice(4)).join('\n') };
      if (this.#waiting !== undefined) {
        const waiting = this.#waiting;
        this.#waiting = undefined;
        waiting(reply);
      } else {
        this.#replies.push(reply);
      }
    }
  }

  /** The next reply, or null if the server closed the connection first. */
  reply(): Promise<RawReply | null> {
    const queued = this.#replies.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.#closed) return Promise.resolve(null);
    return new Promise((resolve) => {
      this.#waiting = resolve;
    });
  }

  write(data: string | Buffer): void {
    this.#socket.write(data);
  }

  /** Sends one command line and returns its reply. */
  async command(line: string): Promise<RawReply | null> {
    this.write(`${line}\r\n`);
    return this.reply();
  }

  /** Upgrades the connection after a 220 to STARTTLS. */
  async startTls(ca: string): Promise<void> {
    const tlsSocket = tlsConnect({ socket: this.#socket, ca, host: '127.0.0.1', minVersion: 'TLSv1.2' });
    this.#socket.removeAllListeners('data');
    this.#socket.removeAllListeners('close');
    this.#socket = tlsSocket;
    this.#listen(tlsSocket);
    await once(tlsSocket, 'secureConnect');
  }

  /** Resolves once the server has closed the connection. */
  closedByServer(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    // Not events.once(): that rejects on 'error', and a reset is one way for the server to close.
    return new Promise((resolve) => this.#socket.once('close', () => resolve()));
  }

  close(): void {
    this.#socket.destroy();
  }
}
