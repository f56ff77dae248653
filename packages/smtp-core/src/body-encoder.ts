// The body encoder (invariant 7): makes message content smuggling-safe and frames it for DATA or BDAT.
// - Every bare CR and bare LF becomes CRLF (`normalize`, the default) or is refused (`reject`); a CR at
//   the end of one chunk is held until the next chunk shows whether an LF follows.
// - For DATA, a line starting with "." gets a second "." (RFC 5321 §4.5.2), and the end of data is
//   CRLF "." CRLF written by `finish()` only. With every line ending normalised and every leading dot
//   stuffed, no content can forge the end of data (the SMTP smuggling attack, CVE-2023-51764 class).
// - The body always ends with CRLF (RFC 5321 §4.1.1.4), added when the content lacks it.
import { LocalProtocolError } from './errors';

const CR = 0x0d;
const LF = 0x0a;
const DOT = 0x2e;

export type BodyFraming = 'data' | 'bdat';
/** What to do with a CR or LF that is not part of CRLF. */
export type BareLineEndingHandling = 'normalize' | 'reject';

export class BodyEncoder {
  readonly framing: BodyFraming;
  readonly bareLineEndings: BareLineEndingHandling;
  /** Bytes of the message after normalisation, without dot-stuffing or framing (the SIZE value). */
  messageSize = 0;
  /** Whether any byte above 0x7F was seen (needs 8BITMIME, RFC 6152). */
  sawEightBit = false;
  #pendingCr = false;
  #atLineStart = true;
  #finished = false;

  constructor(framing: BodyFraming, bareLineEndings: BareLineEndingHandling = 'normalize') {
    this.framing = framing;
    this.bareLineEndings = bareLineEndings;
  }

  /** Encodes one chunk of content. The output may be shorter or longer than the input. */
  encode(chunk: Uint8Array): Uint8Array {
    if (this.#finished) throw new Error('internal: BodyEncoder.encode after finish');
    const stuff = this.framing === 'data';
    // Worst case: every byte doubles (a bare LF becomes CRLF, or each line is a lone dot), plus a held CR.
    const out = new Uint8Array(chunk.length * 2 + 2);
    let length = 0;
    let size = this.messageSize;
    for (let index = 0; index < chunk.length; index++) {
      const byte = chunk[index] as number;
      if (this.#pendingCr) {
        this.#pendingCr = false;
        if (byte === LF) {
          out[length++] = CR;
          out[length++] = LF;
          size += 2;
          this.#atLineStart = true;
          continue;
        }
        this.#bareLineEnding('CR');
        out[length++] = CR;
        out[length++] = LF;
        size += 2;
        this.#atLineStart = true;
      }
      if (byte === CR) {
        this.#pendingCr = true;
        continue;
      }
      if (byte === LF) {
        this.#bareLineEnding('LF');
        out[length++] = CR;
        out[length++] = LF;
        size += 2;
        this.#atLineStart = true;
        continue;
      }
      if (this.#atLineStart && byte === DOT && stuff) out[length++] = DOT;
      if (byte > 0x7f) this.sawEightBit = true;
      out[length++] = byte;
      size += 1;
      this.#atLineStart = false;
    }
    this.messageSize = size;
    return out.subarray(0, length);
  }

  /** Ends the content: flushes a held CR, adds a final CRLF if missing, and for DATA writes "." CRLF. */
  finish(): Uint8Array {
    if (this.#finished) throw new Error('internal: BodyEncoder.finish called twice');
    this.#finished = true;
    const parts: number[] = [];
    if (this.#pendingCr) {
      this.#pendingCr = false;
      this.#bareLineEnding('CR');
      parts.push(CR, LF);
      this.messageSize += 2;
      this.#atLineStart = true;
    }
    if (!this.#atLineStart) {
      parts.push(CR, LF);
      this.messageSize += 2;
      this.#atLineStart = true;
    }
    if (this.framing === 'data') parts.push(DOT, CR, LF);
    return Uint8Array.from(parts);
  }

  #bareLineEnding(kind: 'CR' | 'LF'): void {
    if (this.bareLineEndings === 'reject') {
      throw new LocalProtocolError(
        'BARE_LINE_ENDING',
        `The message contains a bare ${kind} (not part of CRLF). RFC 5321 §2.3.8 forbids it, and servers that read it as a line ending can be tricked into ending the data early (SMTP smuggling). Fix the message, or use bareLineEndings: 'normalize'.`,
      );
    }
  }
}

/** Whether the bytes contain any byte above 0x7F (the message needs 8BITMIME). */
export function hasEightBit(bytes: Uint8Array): boolean {
  for (let index = 0; index < bytes.length; index++) {
    if ((bytes[index] as number) > 0x7f) return true;
  }
  return false;
}
