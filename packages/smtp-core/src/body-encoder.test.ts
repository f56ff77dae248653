// Invariant 7: bodies are smuggling-safe whatever the input and however it is chunked. Each case runs
// whole and split in two at every byte boundary, for DATA (dot-stuffed) and BDAT framing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BodyEncoder, hasEightBit } from './body-encoder';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function encode(input: string, framing: 'data' | 'bdat', cut?: number): string {
  const body = new BodyEncoder(framing);
  const bytes = encoder.encode(input);
  const parts = cut === undefined ? [bytes] : [bytes.subarray(0, cut), bytes.subarray(cut)];
  return parts.map((part) => decoder.decode(body.encode(part))).join('') + decoder.decode(body.finish());
}

function everySplit(input: string, framing: 'data' | 'bdat'): string[] {
  const results = [encode(input, framing)];
  for (let cut = 0; cut <= encoder.encode(input).length; cut++) results.push(encode(input, framing, cut));
  return results;
}

const dataCases: [string, string, string][] = [
  ['plain text gains a final CRLF', 'hello', 'hello\r\n.\r\n'],
  ['CRLF text is unchanged', 'a\r\nb\r\n', 'a\r\nb\r\n.\r\n'],
  ['leading dots are stuffed (RFC 5321 §4.5.2)', '.hidden\r\n..two\r\n', '..hidden\r\n...two\r\n.\r\n'],
  ['empty body', '', '.\r\n'],
  // The SMTP smuggling sequences (CVE-2023-51764/51765/51766 class): none may end the data early.
  ['smuggling with bare LF dot LF', 'a\n.\nMAIL FROM:<evil@x>\n', 'a\r\n..\r\nMAIL FROM:<evil@x>\r\n.\r\n'],
  ['smuggling with LF dot CRLF', 'a\n.\r\nRCPT TO:<x>\r\n', 'a\r\n..\r\nRCPT TO:<x>\r\n.\r\n'],
  ['smuggling with CRLF dot LF', 'a\r\n.\nDATA\r\n', 'a\r\n..\r\nDATA\r\n.\r\n'],
  ['smuggling with bare CR dot CR', 'a\r.\rQUIT\r', 'a\r\n..\r\nQUIT\r\n.\r\n'],
  ['a body that is a lone dot line', '.\r\n', '..\r\n.\r\n'],
];

describe('BodyEncoder for DATA (invariant 7)', () => {
  it.each(dataCases)('%s, however the bytes are split', (_name, input, expected) => {
    for (const result of everySplit(input, 'data')) expect(result).toBe(expected);
  });

  it('never lets content produce CRLF "." CRLF before the real end', () => {
    const hostile = 'x\r\n.\r\ny\n.\nz\r.\r\n.\r';
    for (const result of everySplit(hostile, 'data')) {
      expect(result.indexOf('\r\n.\r\n')).toBe(result.length - 5);
    }
  });
});

describe('BodyEncoder for BDAT', () => {
  it('normalises bare line endings but does not stuff dots (RFC 3030 §2)', () => {
    for (const result of everySplit('.a\nb\rc', 'bdat')) expect(result).toBe('.a\r\nb\r\nc\r\n');
  });

  it('counts the normalised size and notices 8-bit bytes', () => {
    const body = new BodyEncoder('bdat');
    body.encode(encoder.encode('h\u00e9\n'));
    body.finish();
    expect(body.messageSize).toBe(5);
    expect(body.sawEightBit).toBe(true);
  });
});

describe('BodyEncoder with bareLineEndings: reject', () => {
  it.each(['a\nb', 'a\rb', 'a\r'])('refuses %j with BARE_LINE_ENDING', (input) => {
    const body = new BodyEncoder('data', 'reject');
    expect(() => {
      body.encode(encoder.encode(input));
      body.finish();
    }).toThrow(expect.objectContaining({ code: 'BARE_LINE_ENDING' }));
  });

  it('accepts CRLF split across chunks', () => {
    const body = new BodyEncoder('data', 'reject');
    const out =
      decoder.decode(body.encode(encoder.encode('a\r'))) + decoder.decode(body.encode(encoder.encode('\nb')));
    expect(out + decoder.decode(body.finish())).toBe('a\r\nb\r\n.\r\n');
  });
});

describe('hasEightBit', () => {
  it('agrees with a byte-by-byte scan at any alignment', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.nat(7), fc.nat(7), (bytes, head, tail) => {
        const view = bytes.subarray(
          Math.min(head, bytes.length),
          Math.max(Math.min(head, bytes.length), bytes.length - tail),
        );
        expect(hasEightBit(view)).toBe(view.some((byte) => byte > 0x7f));
      }),
      { numRuns: 1000 },
    );
  });
});
