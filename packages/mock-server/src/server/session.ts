// What the server saw on one connection: the raw bytes in both directions (split into the plaintext
// and the encrypted phase), every command with whether it arrived under TLS, the TLS details, and the
// AUTH attempts. Rule: record, never judge; the matchers and the audit judge. The secrets a client sent
// (password, access token) are kept so leak detectors can search for them, but as non-enumerable
// properties, so printing, diffing or JSON-serialising a session never shows them.
import { performance } from 'node:perf_hooks';
import type { TLSSocket } from 'node:tls';

/** Which way bytes travelled. */
export type Direction = 'client-to-server' | 'server-to-client';

/** Before TLS (readable by anyone on the path) or inside it (decrypted application bytes). */
export type Phase = 'plaintext' | 'encrypted';

/** One chunk of the wire, as the socket delivered or wrote it. */
export interface TranscriptChunk {
  readonly direction: Direction;
  readonly phase: Phase;
  readonly bytes: Buffer;
  /** Milliseconds since the connection was accepted. */
  readonly atMs: number;
}

/** The TLS session a connection ended up with. */
export interface SessionTls {
  /** How TLS started: on connect, or after STARTTLS. */
  readonly entry: 'implicit-tls' | 'starttls';
  /** `TLSv1.2`, `TLSv1.3`, ... as Node reports it. */
  readonly protocol: string;
  /** OpenSSL name of the cipher suite. */
  readonly cipher: string;
  /** IANA (RFC) name of the cipher suite. */
  readonly standardName: string;
  /** SNI the client sent, if any. */
  readonly servername: string | null;
  readonly atMs: number;
}

/** One command line (or AUTH continuation line) the server received. */
export interface RecordedCommand {
  /** Upper-case verb, or `AUTH-DATA` for a continuation line of a SASL exchange. */
  readonly verb: string;
  /** The line without CRLF, exactly as received (AUTH lines included: this is a test harness). */
  readonly line: string;
  /** Whether the line arrived inside TLS. */
  readonly secure: boolean;
  readonly atMs: number;
}

/**
 * One AUTH exchange that reached the credential check. `password` and `accessToken` are non-enumerable:
 * present, but never printed. (An AUTH refused before that, e.g. 538 before STARTTLS, is in `commands`
 * and the transcript, which is where leak detection looks.)
 */
export interface AuthAttempt {
  readonly method: string;
  readonly username: string | null;
  readonly password?: string;
  readonly accessToken?: string;
  /** Whether the exchange ran inside TLS. */
  readonly secure: boolean;
  readonly outcome: 'accepted' | 'rejected';
  readonly atMs: number;
}

/** Milestones whose order tells whether TLS protected credentials and the envelope. */
export type Milestone = 'tls' | 'auth' | 'mail';

/** A recorded connection. Live: it keeps growing until the connection closes. */
export interface MockSmtpSession {
  readonly id: string;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly startedAt: Date;
  readonly closed: boolean;
  readonly tls: SessionTls | null;
  /** The name of the last EHLO or HELO. */
  readonly clientName: string | null;
  readonly commands: readonly RecordedCommand[];
  readonly authAttempts: readonly AuthAttempt[];
  /** The last AUTH attempt, or null. */
  readonly auth: AuthAttempt | null;
  /** True when an AUTH command arrived before TLS was established. */
  readonly authBeforeTls: boolean;
  /** True when a MAIL command arrived before TLS was established. */
  readonly mailBeforeTls: boolean;
  /** First occurrence of each milestone, in order: `['tls', 'auth', 'mail']` is the safe order. */
  readonly order: readonly Milestone[];
  /** Addresses of every MAIL FROM and RCPT TO, in either phase. */
  readonly envelopeAddresses: readonly string[];
  readonly transcript: readonly TranscriptChunk[];
  /** All bytes of one direction and phase, concatenated. */
  bytes(direction: Direction, phase: Phase): Buffer;
  /** The whole dialogue as text, both directions interleaved, `C: ` / `S: ` prefixed (for debugging). */
  dialogue(phase?: Phase): string;
}

/** The recorder behind a `MockSmtpSession`. Only the server writes to it. */
export class SessionRecorder implements MockSmtpSession {
  readonly id: string;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly startedAt = new Date();
  closed = false;
  tls: SessionTls | null = null;
  clientName: string | null = null;
  readonly commands: RecordedCommand[] = [];
  readonly authAttempts: AuthAttempt[] = [];
  readonly envelopeAddresses: string[] = [];
  readonly transcript: TranscriptChunk[] = [];
  readonly order: Milestone[] = [];
  readonly #startedAtMs = performance.now();
  readonly #tappedSockets = new WeakSet<object>();
  #secure = false;
  #sawStarttls = false;

  constructor(id: string, remoteAddress: string, remotePort: number) {
    this.id = id;
    this.remoteAddress = remoteAddress;
    this.remotePort = remotePort;
  }

  get auth(): AuthAttempt | null {
    return this.authAttempts.at(-1) ?? null;
  }

  get authBeforeTls(): boolean {
    return this.commands.some((command) => command.verb === 'AUTH' && !command.secure);
  }

  get mailBeforeTls(): boolean {
    return this.commands.some((command) => command.verb === 'MAIL' && !command.secure);
  }

  get secure(): boolean {
    return this.#secure;
  }

  elapsedMs(): number {
    return performance.now() - this.#startedAtMs;
  }

  /** Returns false if this socket is already being recorded (implicit TLS reports it twice). */
  claimSocket(socket: object): boolean {
    if (this.#tappedSockets.has(socket)) return false;
    this.#tappedSockets.add(socket);
    return true;
  }

  recordBytes(direction: Direction, phase: Phase, bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.transcript.push({ direction, phase, bytes, atMs: this.elapsedMs() });
  }

  recordCommand(line: string, continuation: boolean): string {
    const verb = continuation ? 'AUTH-DATA' : (line.split(' ', 1)[0] ?? '').toUpperCase();
    this.commands.push({ verb, line, secure: this.#secure, atMs: this.elapsedMs() });
    if (verb === 'STARTTLS') this.#sawStarttls = true;
    if (verb === 'EHLO' || verb === 'HELO') this.clientName = line.slice(5).trim() || null;
    if (verb === 'AUTH') this.#milestone('auth');
    if (verb === 'MAIL') this.#milestone('mail');
    const address = /^(?:MAIL FROM|RCPT TO):\s*<([^>]*)>/i.exec(line)?.[1];
    if (address !== undefined && address !== '') this.envelopeAddresses.push(address);
    return verb;
  }

  recordTls(socket: TLSSocket): void {
    const cipher = socket.getCipher();
    this.#secure = true;
    this.tls = {
      entry: this.#sawStarttls ? 'starttls' : 'implicit-tls',
      protocol: socket.getProtocol() ?? 'unknown',
      cipher: cipher.name,
      standardName: cipher.standardName,
      servername: typeof socket.servername === 'string' ? socket.servername : null,
      atMs: this.elapsedMs(),
    };
    this.#milestone('tls');
  }

  recordAuth(
    method: string,
    username: string | null,
    secrets: { password?: string | undefined; accessToken?: string | undefined },
    outcome: AuthAttempt['outcome'],
  ): void {
    const attempt: AuthAttempt = { method, username, secure: this.#secure, outcome, atMs: this.elapsedMs() };
    for (const [key, value] of Object.entries(secrets)) {
      if (value !== undefined) Object.defineProperty(attempt, key, { value, enumerable: false });
    }
    this.authAttempts.push(attempt);
  }

  bytes(direction: Direction, phase: Phase): Buffer {
    return Buffer.concat(
      this.transcript
        .filter((chunk) => chunk.direction === direction && chunk.phase === phase)
        .map((chunk) => chunk.bytes),
    );
  }

  dialogue(phase?: Phase): string {
    return this.transcript
      .filter((chunk) => phase === undefined || chunk.phase === phase)
      .map((chunk) => {
        const prefix = chunk.direction === 'client-to-server' ? 'C: ' : 'S: ';
        return chunk.bytes
          .toString('latin1')
          .split(/(?<=\r\n)/)
          .map((line) => prefix + line)
          .join('');
      })
      .join('');
  }

  #milestone(milestone: Milestone): void {
    if (!this.order.includes(milestone)) this.order.push(milestone);
  }
}
