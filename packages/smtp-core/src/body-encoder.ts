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
  /** Dots added by stuffing in the current chunk (not part of the message size). */
  #stuffed = 0;
  #atLineStart = true;
  #finished = false;

  /** Whether to look for 8-bit bytes (not needed once BODY=8BITMIME was declared). */
  readonly detectEightBit: boolean;

  constructor(
    framing: BodyFraming,
    bareLineEndings: BareLineEndingHandling = 'normalize',
    detectEightBit = true,
  ) {
    this.framing = framing;
    this.bareLineEndings = bareLineEndings;
    this.detectEightBit = detectEightBit;
  }

  /** Encodes one chunk of content. The output may be shorter or longer than the input. */
  encode(chunk: Uint8Array): Uint8Array {
    if (this.#finished) throw new Error('internal: BodyEncoder.encode after finish');
    const stuff = this.framing === 'data';
    const length = chunk.length;
    // Worst case: every byte doubles (a bare LF becomes CRLF, or each line is a lone dot), plus a held CR.
    const out = new Uint8Array(length * 2 + 2);
    let written = 0;
    let index = 0;
    if (this.#pendingCr && length > 0) {
      this.#pendingCr = false;
      if (chunk[0] !== LF) this.#bareLineEnding('CR');
      else index = 1;
      out[written++] = CR;
      out[written++] = LF;
      this.#atLineStart = true;
    }
    // Runs between line breaks are copied whole (native indexOf and set), so a large body costs
    // a few native scans rather than one JavaScript step per byte.
    let nextCr = -2;
    let nextLf = -2;
    while (index < length) {
      if (this.#atLineStart && stuff && chunk[index] === DOT) {
        out[written++] = DOT;
        this.#stuffed += 1;
      }
      if (nextCr !== -1 && nextCr < index) nextCr = chunk.indexOf(CR, index);
      if (nextLf !== -1 && nextLf < index) nextLf = chunk.indexOf(LF, index);
      const lineEnd = Math.min(nextCr === -1 ? length : nextCr, nextLf === -1 ? length : nextLf);
      if (lineEnd > index) {
        const run = chunk.subarray(index, lineEnd);
        if (!this.sawEightBit && this.detectEightBit) this.sawEightBit = hasEightBit(run);
        out.set(run, written);
        written += run.length;
        this.#atLineStart = false;
      }
      if (lineEnd === length) break;
      if (chunk[lineEnd] === LF) {
        this.#bareLineEnding('LF');
        index = lineEnd + 1;
      } else if (lineEnd + 1 === length) {
        this.#pendingCr = true;
        index = length;
        break;
      } else if (chunk[lineEnd + 1] === LF) {
        index = lineEnd + 2;
      } else {
        this.#bareLineEnding('CR');
        index = lineEnd + 1;
      }
      out[written++] = CR;
      out[written++] = LF;
      this.#atLineStart = true;
    }
    this.messageSize += written - this.#stuffed;
    this.#stuffed = 0;
    return out.subarray(0, written);
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
  let index = 0;
  const length = bytes.length;
  // Byte by byte up to a 4-byte boundary, then four bytes per step, then the tail.
  while (index < length && (bytes.byteOffset + index) % 4 !== 0) {
    if ((bytes[index++] as number) > 0x7f) return true;
  }
  const words = Math.floor((length - index) / 4);
  if (words > 0) {
    const view = new Uint32Array(bytes.buffer, bytes.byteOffset + index, words);
    for (let word = 0; word < words; word++) {
      if (((view[word] as number) & 0x80808080) !== 0) return true;
    }
    index += words * 4;
  }
  while (index < length) {
    if ((bytes[index++] as number) > 0x7f) return true;
  }
  return false;
}
