// Connections from the attack endpoint to the sink server, kept one step ahead: a spare connection is
// dialled and greeted in advance, so a client's greeting costs no upstream round trip (and, were the sink
// a stock smtp-server, none of its hard-coded 100 ms "early talker" delay either). The spare is taken by the next client connection and a new
// one is dialled behind it; `close()` destroys the spare, so nothing is left open.
import { connect, type Socket } from 'node:net';

/** A greeting longer than this (4 KiB) is not an SMTP greeting: the dial fails instead of buffering on. */
export const MAX_GREETING_BYTES = 4096;

export interface GreetedConnection {
  readonly socket: Socket;
  /** The upstream's complete `220` greeting, CRLF included. */
  readonly greeting: Buffer;
}

function dialAndGreet(port: number): Promise<GreetedConnection> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let received = Buffer.alloc(0);
    const fail = (error: Error) => {
      socket.destroy();
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const text = received.toString('latin1');
      if (/(^|\n)\d{3} [^\n]*\n/.test(text)) {
        socket.pause();
        socket.off('data', onData);
        socket.off('error', fail);
        socket.off('close', onEarlyClose);
        // Until the relay attaches its own handler, a reset of an idle spare must not crash the process.
        socket.on('error', () => socket.destroy());
        resolve({ socket, greeting: received });
      } else if (received.length > MAX_GREETING_BYTES) {
        fail(new Error(`sink greeting exceeded ${MAX_GREETING_BYTES} bytes without a final line`));
      }
    };
    const onEarlyClose = () => reject(new Error('sink closed the connection before its greeting'));
    socket.on('data', onData);
    socket.on('error', fail);
    socket.on('close', onEarlyClose);
  });
}

export class UpstreamDialer {
  readonly #port: number;
  #spare: Promise<GreetedConnection> | undefined;
  #closed = false;
  readonly #handedOut = new Set<Socket>();

  constructor(port: number) {
    this.#port = port;
    this.#spare = this.#dialSpare();
  }

  #dialSpare(): Promise<GreetedConnection> {
    const spare = dialAndGreet(this.#port);
    spare.catch(() => undefined); // A failed spare is reported to whoever takes it.
    return spare;
  }

  /** A connected, greeted, paused socket to the sink. */
  async take(): Promise<GreetedConnection> {
    if (this.#closed) throw new Error('the upstream dialer is closed');
    const next = this.#spare ?? this.#dialSpare();
    this.#spare = this.#dialSpare();
    const connection = await next;
    this.#handedOut.add(connection.socket);
    connection.socket.once('close', () => this.#handedOut.delete(connection.socket));
    return connection;
  }

  async close(): Promise<void> {
    this.#closed = true;
    const spare = this.#spare;
    this.#spare = undefined;
    for (const socket of this.#handedOut) socket.destroy();
    if (spare !== undefined) {
      try {
        (await spare).socket.destroy();
      } catch {
        // The spare never connected: nothing to close.
      }
    }
  }
}
