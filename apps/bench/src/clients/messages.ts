// The messages the clients send: plain 7-bit RFC 5322 text with CRLF line ends and 76-character lines,
// so no client needs to normalise, dot-stuff or request 8BITMIME; every client does the same work.
// The large message is generated chunk by chunk and never held whole in memory by the generator.
import { Readable } from 'node:stream';

export const SENDER = 'sender@bench.strictmail.test';

export function recipients(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `rcpt${index + 1}@bench.strictmail.test`);
}

const LINE = `${'The quick brown fox jumps over the lazy dog. '.repeat(2).slice(0, 76)}\r\n`;

function header(to: readonly string[]): string {
  return [
    `From: Bench <${SENDER}>`,
    `To: ${to.join(', ')}`,
    'Subject: strictmail benchmark message',
    'Date: Mon, 30 Nov 2026 00:00:00 +0000',
    'Message-ID: <bench@bench.strictmail.test>',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    '',
  ].join('\r\n');
}

/** A message of exactly `bytes` bytes (at least the header's size), ending with CRLF. */
export function buildMessage(bytes: number, to: readonly string[]): Buffer {
  let text = header(to);
  while (text.length + LINE.length <= bytes) text += LINE;
  const rest = bytes - text.length;
  if (rest >= 3) text += `${'x'.repeat(rest - 2)}\r\n`;
  return Buffer.from(text, 'latin1');
}

/** Size of one generated chunk of the large message: what a file stream reads at a time. */
const LARGE_CHUNK_BYTES = 64 * 1024;

/** A Readable of `bytes` bytes (rounded down to whole lines) built from one reused 64 KiB chunk. */
export function largeMessageStream(bytes: number, to: readonly string[]): Readable {
  const head = Buffer.from(header(to), 'latin1');
  const lines = Math.floor(LARGE_CHUNK_BYTES / LINE.length);
  const chunk = Buffer.from(LINE.repeat(lines), 'latin1');
  const count = Math.max(1, Math.floor((bytes - head.length) / chunk.length));
  function* generate(): Generator<Buffer> {
    yield head;
    for (let index = 0; index < count; index++) yield chunk;
  }
  return Readable.from(generate(), { objectMode: false });
}
