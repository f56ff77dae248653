// Test-client plumbing: reads whole SMTP replies from a socket that may be swapped for a TLS socket.
// `pending()` exposes bytes received but not yet consumed, which is how the careful client detects
// bytes injected after the 220 to STARTTLS (RFC 3207 §6).
import type { Socket } from 'node:net';

export interface TestReply {
  readonly code: number;
  readonly lines: readonly string[];
}

export class ReplyReader {
  #buffer = '';
  #socket: Socket;
  #closed = false;
  #wake: (() => void) | undefined;
  readonly #onData = (chunk: Buffer) => {
    this.#buffer += chunk.toString('latin1');
    this.#wake?.();
  };
  readonly #onClose = () => {
    this.#closed = true;
    this.#wake?.();
  };

  constructor(socket: Socket) {
    this.#socket = socket;
    this.#listen(socket);
  }

  #listen(socket: Socket) {
    socket.on('data', this.#onData);
    socket.on('close', this.#onClose);
    socket.on('error', this.#onClose);
  }

  get socket(): Socket {
    return this.#socket;
  }

  /** Bytes received and not yet consumed as a reply. */
  pending(): string {
    return this.#buffer;
  }

  /** Stops reading from the current socket (before handing it to TLS). */
  detach(): Socket {
    this.#socket.off('data', this.#onData);
    this.#socket.off('close', this.#onClose);
    this.#socket.off('error', this.#onClose);
    return this.#socket;
  }

  /** Reads from `socket` from now on; `keepBuffer: false` drops unconsumed bytes. */
  attach(socket: Socket, keepBuffer: boolean): void {
    if (!keepBuffer) this.#buffer = '';
    this.#socket = socket;
    this.#closed = false;
    this.#listen(socket);
  }

  write(line: string): void {
    if (!this.#socket.destroyed) this.#socket.write(line);
  }

  /** The next whole reply, or `null` when the connection closed first. */
  async next(): Promise<TestReply | null> {
    for (;;) {
      const reply = this.#take();
      if (reply !== undefined) return reply;
      if (this.#closed) return null;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
      this.#wake = undefined;
    }
  }

  #take(): TestReply | undefined {
    const lines: string[] = [];
    let cursor = 0;
    for (;;) {
      const newline = this.#buffer.indexOf('\n', cursor);
      if (newline === -1) return undefined;
      const line = this.#buffer.slice(cursor, newline).replace(/\r$/, '');
      lines.push(line);
      cursor = newline + 1;
      if (!/^\d{3}-/.test(line)) {
        this.#buffer = this.#buffer.slice(cursor);
        return { code: Number.parseInt(line.slice(0, 3), 10), lines };
      }
    }
  }
}
