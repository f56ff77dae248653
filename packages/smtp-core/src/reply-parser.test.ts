// Table-driven tests of the reply parser (RFC 5321 §4.2). Every case runs three ways: whole, split in
// two at every byte boundary, and one byte at a time; all must give the same replies or the same error.
import { describe, expect, it } from 'vitest';
import { MAX_RECEIVE_BUFFER_BYTES, MAX_REPLY_LINE_BYTES, MAX_REPLY_LINES } from './limits';
import { ReplyParser } from './reply-parser';

const encoder = new TextEncoder();

interface Parsed {
  code: number;
  lines: readonly string[];
  enhanced?: string | undefined;
}

function parseAll(chunks: Uint8Array[], enhanced = true): Parsed[] | string {
  const parser = new ReplyParser();
  parser.enhancedStatusCodes = enhanced;
  const out: Parsed[] = [];
  try {
    for (const chunk of chunks) {
      parser.feed(chunk);
      for (let reply = parser.next(); reply !== null; reply = parser.next()) {
        out.push({ code: reply.code, lines: reply.lines, enhanced: reply.enhancedCodeText });
      }
    }
  } catch (error) {
    return (error as { code: string }).code;
  }
  return out;
}

function everyWay(input: string): (Parsed[] | string)[] {
  const bytes = encoder.encode(input);
  const results = [parseAll([bytes])];
  for (let index = 0; index <= bytes.length; index++)
    results.push(parseAll([bytes.subarray(0, index), bytes.subarray(index)]));
  results.push(parseAll([...bytes].map((byte) => Uint8Array.of(byte))));
  return results;
}

const valid: [string, string, Parsed[]][] = [
  ['single line', '220 mail.example.com ESMTP\r\n', [{ code: 220, lines: ['mail.example.com ESMTP'] }]],
  ['code only (RFC 5321 §4.2: text is optional)', '250\r\n', [{ code: 250, lines: [''] }]],
  [
    'multi-line',
    '250-mail.example.com\r\n250-PIPELINING\r\n250 SIZE 1000\r\n',
    [{ code: 250, lines: ['mail.example.com', 'PIPELINING', 'SIZE 1000'] }],
  ],
  [
    'two pipelined replies in one read',
    '250 2.1.0 Ok\r\n550 5.1.1 No such user\r\n',
    [
      { code: 250, lines: ['2.1.0 Ok'], enhanced: '2.1.0' },
      { code: 550, lines: ['5.1.1 No such user'], enhanced: '5.1.1' },
    ],
  ],
  [
    'enhanced code with a mismatched class is text (RFC 2034 §4)',
    '250 5.1.1 odd\r\n',
    [{ code: 250, lines: ['5.1.1 odd'] }],
  ],
  ['UTF-8 text', '250 héllo\r\n', [{ code: 250, lines: ['héllo'] }]],
  ['out-of-range code is parsed; the connection judges it', '999 what\r\n', [{ code: 999, lines: ['what'] }]],
];

const invalid: [string, string, string][] = [
  ['bare LF line ending', '250 ok\n', 'MALFORMED_REPLY'],
  ['bare CR inside a line', '250 o\rk\r\n', 'MALFORMED_REPLY'],
  ['no code', 'hello\r\n', 'MALFORMED_REPLY'],
  ['two-digit code', '25 ok\r\n', 'MALFORMED_REPLY'],
  ['bad separator', '250_ok\r\n', 'MALFORMED_REPLY'],
  ['codes differ across lines (RFC 5321 §4.2.1)', '250-a\r\n251 b\r\n', 'INCONSISTENT_REPLY_CODE'],
  ['line longer than MAX_REPLY_LINE_BYTES', `250 ${'x'.repeat(MAX_REPLY_LINE_BYTES)}\r\n`, 'REPLY_TOO_LARGE'],
  ['more lines than MAX_REPLY_LINES', '250-x\r\n'.repeat(MAX_REPLY_LINES + 1), 'REPLY_TOO_LARGE'],
];

describe('ReplyParser (RFC 5321 §4.2)', () => {
  it.each(valid)('parses %s, however the bytes are split', (_name, input, expected) => {
    for (const result of everyWay(input)) {
      expect(result).toEqual(expected.map((reply) => ({ ...reply, enhanced: reply.enhanced })));
    }
  });

  it.each(invalid)(
    'refuses %s with a RemoteProtocolError, however the bytes are split',
    (_name, input, code) => {
      for (const result of everyWay(input)) expect(result).toBe(code);
    },
  );

  it('does not parse enhanced codes before ENHANCEDSTATUSCODES is known (RFC 2034 §3)', () => {
    expect(parseAll([encoder.encode('250 2.0.0 ok\r\n')], false)).toEqual([
      { code: 250, lines: ['2.0.0 ok'], enhanced: undefined },
    ]);
  });

  it('keeps a partial line buffered and reports it', () => {
    const parser = new ReplyParser();
    parser.feed(encoder.encode('250-first\r\n250 sec'));
    expect(parser.next()).toBeNull();
    expect(parser.hasPartialReply).toBe(true);
    expect(parser.bufferedBytes).toBe(7);
  });

  it('refuses to buffer more than MAX_RECEIVE_BUFFER_BYTES of unread input', () => {
    const parser = new ReplyParser();
    const chunk = encoder.encode('250 ok\r\n'.repeat(1024));
    expect(() => {
      for (let total = 0; total <= MAX_RECEIVE_BUFFER_BYTES; total += chunk.length) parser.feed(chunk);
    }).toThrow(expect.objectContaining({ code: 'REPLY_TOO_LARGE' }));
    expect(parser.bufferedBytes).toBeLessThanOrEqual(MAX_RECEIVE_BUFFER_BYTES);
  });

  it('exposes reply predicates and text', () => {
    const parser = new ReplyParser();
    parser.enhancedStatusCodes = true;
    parser.feed(encoder.encode('451-4.3.0 try\r\n451 4.3.0 later\r\n'));
    const reply = parser.next();
    expect(reply?.isTransient()).toBe(true);
    expect(reply?.isPermanent()).toBe(false);
    expect(reply?.text).toBe('451 4.3.0 try\n451 4.3.0 later');
    expect(reply?.message).toBe('try later');
    expect(reply?.enhancedCode).toEqual({ class: 4, subject: 3, detail: 0 });
  });
});
