// Reply framing and EHLO rewriting in the attack endpoint. Every framing test also runs with the input
// split at every byte boundary, since TCP delivers replies in arbitrary pieces.
import { describe, expect, it } from 'vitest';
import { type FramedReply, rewriteEhloReply, takeReplies } from '../src/attacks/reply-framing';

function frameInPieces(text: string, cut: number): FramedReply[] {
  const first = takeReplies(text.slice(0, cut));
  const second = takeReplies(first.rest + text.slice(cut));
  expect(second.rest).toBe('');
  return [...first.replies, ...second.replies];
}

describe('takeReplies (RFC 5321 §4.2.1 multi-line replies)', () => {
  const stream = '220 mx ESMTP\r\n250-mx greets you\r\n250-PIPELINING\r\n250 SIZE 100\r\n354 go\r\n';

  it.each(Array.from({ length: stream.length + 1 }, (_, cut) => cut))(
    'frames the same replies when cut at %i',
    (cut) => {
      const replies = frameInPieces(stream, cut);
      expect(replies.map((reply) => [reply.code, reply.lines.length])).toEqual([
        [220, 1],
        [250, 3],
        [354, 1],
      ]);
      expect(replies.map((reply) => reply.raw).join('')).toBe(stream);
    },
  );
});

describe('rewriteEhloReply', () => {
  const [ehlo] = takeReplies(
    '250-mx greets you\r\n250-PIPELINING\r\n250-STARTTLS\r\n250-AUTH LOGIN PLAIN XOAUTH2\r\n250 8BITMIME\r\n',
  ).replies as [FramedReply];

  it('strips STARTTLS and AUTH (the stripping attack, RFC 3207 §4)', () => {
    expect(rewriteEhloReply(ehlo, { starttls: false, auth: false })).toBe(
      '250-mx greets you\r\n250-PIPELINING\r\n250 8BITMIME\r\n',
    );
  });

  it('advertises exactly what the plan says', () => {
    expect(rewriteEhloReply(ehlo, { starttls: true, auth: true })).toBe(
      '250-mx greets you\r\n250-STARTTLS\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 AUTH PLAIN LOGIN\r\n',
    );
  });

  it('leaves a refusal untouched', () => {
    const [refusal] = takeReplies('502 5.5.2 no\r\n').replies as [FramedReply];
    expect(rewriteEhloReply(refusal, { starttls: true, auth: true })).toBe('502 5.5.2 no\r\n');
  });
});
