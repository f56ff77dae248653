// An incremental parser of SMTP replies (RFC 5321 §4.2): bytes in, whole `Reply` objects out.
// Strategy: bytes are buffered until a CRLF; each line is `ddd-text` (more lines follow) or `ddd text`
// / `ddd` (last line). Every line of one reply must carry the same code (RFC 5321 §4.2.1). A bare CR
// or LF inside a line is malformed: lenient line splitting is how reply smuggling starts. Every buffer
// is bounded by a named limit in limits.ts, and a violation is a `RemoteProtocolError`, never a crash.
import { RemoteProtocolError } from './errors';
import { MAX_RECEIVE_BUFFER_BYTES, MAX_REPLY_LINE_BYTES, MAX_REPLY_LINES } from './limits';
import { parseEnhancedCode, Reply } from './reply';

const CR = 0x0d;
const LF = 0x0a;
const decoder = new TextDecoder('utf-8', { fatal: false });

export class ReplyParser {
  /** Whether enhanced status codes are parsed (RFC 2034: only once ENHANCEDSTATUSCODES was advertised). */
  enhancedStatusCodes = false;
  #buffer: Uint8Array = new Uint8Array(0);
  #start = 0;
  #end = 0;
  /** Where the search for the next LF resumes: bytes before it hold no LF (a trickle is scanned once). */
  #scanned = 0;
  #code = -1;
  #lines: string[] = [];

  /** Bytes received but not yet returned as part of a reply. */
  get bufferedBytes(): number {
    return this.#end - this.#start;
  }

  /** Whether a reply is partly received (some bytes or some lines of it). */
  get hasPartialReply(): boolean {
    return this.#lines.length > 0 || this.bufferedBytes > 0;
  }

  feed(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    if (this.bufferedBytes + bytes.length > MAX_RECEIVE_BUFFER_BYTES) {
      throw new RemoteProtocolError(
        'REPLY_TOO_LARGE',
        `The server sent more than MAX_RECEIVE_BUFFER_BYTES (${MAX_RECEIVE_BUFFER_BYTES} bytes) that were not yet read as replies. Expected short replies; the server may be flooding the connection.`,
      );
    }
    const needed = this.#end + bytes.length;
    if (needed > this.#buffer.length) {
      const kept = this.#buffer.subarray(this.#start, this.#end);
      // Geometric growth, so a trickle of bytes costs amortised O(1) per byte.
      const capacity = Math.max(
        kept.length + bytes.length,
        Math.min(this.#buffer.length * 2, MAX_RECEIVE_BUFFER_BYTES),
        512,
      );
      const next = new Uint8Array(capacity);
      next.set(kept, 0);
      this.#scanned -= this.#start;
      this.#buffer = next;
      this.#end = kept.length;
      this.#start = 0;
    }
    this.#buffer.set(bytes, this.#end);
    this.#end += bytes.length;
  }

  /** The next complete reply, or `null` when more bytes are needed. Throws `RemoteProtocolError`. */
  next(): Reply | null {
    for (;;) {
      const line = this.#takeLine();
      if (line === null) return null;
      const reply = this.#acceptLine(line);
      if (reply !== null) return reply;
    }
  }

  #takeLine(): Uint8Array | null {
    const start = this.#start;
    const end = this.#end;
    // Native scans (indexOf) over the received bytes only: a reply costs a couple of memchr calls.
    const view = this.#buffer.subarray(0, end);
    const from = Math.max(start, this.#scanned);
    const lf = view.indexOf(LF, from);
    const cr = view.indexOf(CR, from);
    // A CR is allowed only right before the LF; one that is the last byte received waits for the next.
    if (cr !== -1 && (lf === -1 ? cr < end - 1 : cr < lf - 1)) {
      throw new RemoteProtocolError(
        'MALFORMED_REPLY',
        'The server sent a bare CR in a reply. Expected CR only as part of CRLF (RFC 5321 §2.3.8).',
      );
    }
    if (lf === -1) {
      if (end - start > MAX_REPLY_LINE_BYTES) {
        throw new RemoteProtocolError(
          'REPLY_TOO_LARGE',
          `A reply line exceeded MAX_REPLY_LINE_BYTES (${MAX_REPLY_LINE_BYTES} bytes; RFC 5321 §4.5.3.1.5 allows 512). The server is broken or hostile.`,
        );
      }
      this.#scanned = cr === end - 1 ? end - 1 : end;
      return null;
    }
    if (lf === start || view[lf - 1] !== CR) {
      throw new RemoteProtocolError(
        'MALFORMED_REPLY',
        'The server sent a bare LF in a reply. Expected every reply line to end with CRLF (RFC 5321 §2.3.8); a lenient parser here would allow reply smuggling.',
      );
    }
    const line = view.slice(start, lf - 1);
    this.#start = lf + 1;
    this.#scanned = this.#start;
    if (this.#start === end) {
      this.#start = 0;
      this.#end = 0;
      this.#scanned = 0;
    }
    return line;
  }

  #acceptLine(line: Uint8Array): Reply | null {
    if (line.length + 2 > MAX_REPLY_LINE_BYTES) {
      throw new RemoteProtocolError(
        'REPLY_TOO_LARGE',
        `A reply line exceeded MAX_REPLY_LINE_BYTES (${MAX_REPLY_LINE_BYTES} bytes; RFC 5321 §4.5.3.1.5 allows 512).`,
      );
    }
    const text = decoder.decode(line);
    // RFC 5321 §4.2: Reply-line = *( Reply-code "-" [ textstring ] CRLF ) Reply-code [ SP textstring ] CRLF
    if (!/^\d{3}(?:[ -]|$)/.test(text)) {
      throw new RemoteProtocolError(
        'MALFORMED_REPLY',
        `The server sent a reply line that does not start with a three-digit code and a space or hyphen: ${JSON.stringify(text.slice(0, 80))}. Expected a reply per RFC 5321 §4.2.`,
      );
    }
    const code = Number(text.slice(0, 3));
    const more = text[3] === '-';
    if (this.#code !== -1 && code !== this.#code) {
      throw new RemoteProtocolError(
        'INCONSISTENT_REPLY_CODE',
        `A multi-line reply changed its code from ${this.#code} to ${code}. RFC 5321 §4.2.1 requires the same code on every line.`,
      );
    }
    this.#code = code;
    this.#lines.push(text.slice(4));
    if (this.#lines.length > MAX_REPLY_LINES) {
      throw new RemoteProtocolError(
        'REPLY_TOO_LARGE',
        `A multi-line reply exceeded MAX_REPLY_LINES (${MAX_REPLY_LINES} lines). The server is broken or hostile.`,
      );
    }
    if (more) return null;
    const lines = this.#lines;
    this.#lines = [];
    this.#code = -1;
    const first = lines[0] ?? '';
    const enhanced = this.enhancedStatusCodes ? parseEnhancedCode(code, first) : null;
    return new Reply(code, lines, enhanced);
  }
}
