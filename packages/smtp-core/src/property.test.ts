// Property-based tests (fast-check): whatever bytes a server sends, however they are fragmented, the
// core never crashes, never loops, never grows a buffer past its named limit, and never lets a
// credential or envelope byte out before TLS under a policy that requires TLS (invariant 1).
import { StrictmailError } from '@strictmail/tls-policy';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EHLO_PLAIN_STARTTLS, encoder, Harness, readySession } from '../test/helpers/core-harness';
import { BodyEncoder } from './body-encoder';
import { MAX_RECEIVE_BUFFER_BYTES, MAX_REPLY_LINES } from './limits';
import { ReplyParser } from './reply-parser';

/** Cuts `bytes` at the given fractions into fragments. */
function fragment(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((cut) => Math.floor(cut * bytes.length)))].sort((a, b) => a - b);
  const parts: Uint8Array[] = [];
  let start = 0;
  for (const point of points) {
    parts.push(bytes.subarray(start, point));
    start = point;
  }
  parts.push(bytes.subarray(start));
  return parts.filter((part) => part.length > 0);
}

const cutsArbitrary = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 });

/** Bytes that look like SMTP replies often enough to reach deep states. */
const replyishBytes = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '220 ok\r\n',
        '250 ok\r\n',
        '250-x\r\n',
        '354 go\r\n',
        '334 \r\n',
        '235 ok\r\n',
        '421 bye\r\n',
        '550 no\r\n',
        '\r\n',
        '\n',
        '\r',
        '999 x\r\n',
        '250-PIPELINING\r\n',
        '250 CHUNKING\r\n',
      ),
      fc.string({ maxLength: 20 }),
    ),
    { maxLength: 40 },
  )
  .map((parts) => encoder.encode(parts.join('')));

const anyBytes = fc.oneof(fc.uint8Array({ maxLength: 3000 }), replyishBytes);

describe('ReplyParser properties', () => {
  it('arbitrary fragmented bytes never crash it, never loop, and stay within MAX_RECEIVE_BUFFER_BYTES', () => {
    fc.assert(
      fc.property(anyBytes, cutsArbitrary, (bytes, cuts) => {
        const parser = new ReplyParser();
        try {
          for (const part of fragment(bytes, cuts)) {
            parser.feed(part);
            for (let count = 0; parser.next() !== null; count++) expect(count).toBeLessThan(bytes.length + 1);
            expect(parser.bufferedBytes).toBeLessThanOrEqual(MAX_RECEIVE_BUFFER_BYTES);
          }
        } catch (error) {
          expect(StrictmailError.isInstance(error)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('valid replies parse the same however they are fragmented', () => {
    const replyArbitrary = fc.record({
      code: fc.integer({ min: 200, max: 599 }),
      lines: fc.array(fc.stringMatching(/^[ -~]{0,40}$/), { minLength: 1, maxLength: 5 }),
    });
    fc.assert(
      fc.property(
        fc.array(replyArbitrary, { minLength: 1, maxLength: 6 }),
        cutsArbitrary,
        (replies, cuts) => {
          const text = replies
            .map(({ code, lines }) =>
              lines
                .map((line, index) => `${code}${index === lines.length - 1 ? ' ' : '-'}${line}\r\n`)
                .join(''),
            )
            .join('');
          const parser = new ReplyParser();
          const parsed: { code: number; lines: readonly string[] }[] = [];
          for (const part of fragment(encoder.encode(text), cuts)) {
            parser.feed(part);
            for (let reply = parser.next(); reply !== null; reply = parser.next())
              parsed.push({ code: reply.code, lines: reply.lines });
          }
          expect(parsed).toEqual(replies);
          expect(parsed.every((reply) => reply.lines.length <= MAX_REPLY_LINES)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('ClientConnection properties', () => {
  it('arbitrary server bytes at any stage never crash the core, never hang it, and end in a sane state', () => {
    const stages = ['greeting', 'starttls', 'ready-with-messages'] as const;
    fc.assert(
      fc.property(
        fc.constantFrom(...stages),
        anyBytes,
        cutsArbitrary,
        fc.boolean(),
        (stage, bytes, cuts, eof) => {
          let harness: Harness;
          if (stage === 'ready-with-messages') {
            harness = readySession(['PIPELINING', 'CHUNKING']);
            harness.send({
              type: 'message-start',
              id: 1,
              envelope: { from: 'a@example.com', to: ['b@example.com'] },
              eightBit: false,
            });
            harness.send({ type: 'body-chunk', id: 1, data: encoder.encode('x'), last: true });
            harness.send({
              type: 'message-start',
              id: 2,
              envelope: { from: 'a@example.com', to: ['c@example.com'] },
              eightBit: false,
            });
          } else {
            harness = new Harness({ credentials: { user: 'u', pass: 'p' } });
            if (stage === 'starttls') harness.feed(`220 hi\r\n${EHLO_PLAIN_STARTTLS}`);
          }
          harness.take();
          for (const part of fragment(bytes, cuts)) harness.feed(part);
          if (eof) harness.eof();
          expect(harness.events.length).toBeLessThan(10_000);
          const state = harness.connection.state;
          if (state === 'ERROR') expect(StrictmailError.isInstance(harness.connection.error)).toBe(true);
          // Invariant 1: before tlsEstablished, only EHLO and STARTTLS may leave under require-starttls.
          if (stage !== 'ready-with-messages') {
            expect(harness.written.replace(/EHLO client\.example\r\n|STARTTLS\r\n/g, '')).toBe('');
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('BodyEncoder properties (invariant 7)', () => {
  it('output does not depend on chunking, and the end of data appears exactly once, at the end', () => {
    const bodyBytes = fc.oneof(
      fc.uint8Array({ maxLength: 500 }),
      fc
        .array(fc.constantFrom('\r', '\n', '.', 'a', '\r\n', '\r\n.\r\n', '\n.\n'), { maxLength: 60 })
        .map((parts) => encoder.encode(parts.join(''))),
    );
    fc.assert(
      fc.property(bodyBytes, cutsArbitrary, (bytes, cuts) => {
        const whole = new BodyEncoder('data');
        const expected = Buffer.concat([whole.encode(bytes), whole.finish()]).toString('latin1');
        const pieces = new BodyEncoder('data');
        const actual = Buffer.concat([
          ...fragment(bytes, cuts).map((part) => pieces.encode(part)),
          pieces.finish(),
        ]).toString('latin1');
        expect(actual).toBe(expected);
        expect(actual.endsWith('.\r\n')).toBe(true);
        const withLeadingCrlf = `\r\n${actual}`;
        expect(withLeadingCrlf.indexOf('\r\n.\r\n')).toBe(withLeadingCrlf.length - 5);
        expect(/[^\r]\n|\r[^\n]/.test(actual.slice(0, -1))).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});
