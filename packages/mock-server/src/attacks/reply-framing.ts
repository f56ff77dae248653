// Splitting the upstream server's byte stream into whole SMTP replies, and rewriting EHLO replies.
// A reply is one or more lines `NNN-text` closed by a line `NNN text` (RFC 5321 §4.2.1). The endpoint
// rewrites only the capability list of an EHLO reply (which keywords the client sees); every other
// reply passes through byte for byte.

/** A reply line longer than this (8 KiB; RFC 5321 §4.5.3.1.5 allows 512) means the upstream is broken:
 * the buffered text is passed through unparsed rather than held forever. */
export const MAX_REPLY_LINE_BYTES = 8192;

export interface FramedReply {
  readonly code: number;
  readonly lines: readonly string[];
  /** The reply exactly as received, CRLFs included. */
  readonly raw: string;
}

/** Takes every complete reply off the front of `buffer`; returns them and what is left over. */
export function takeReplies(buffer: string): { replies: FramedReply[]; rest: string } {
  const replies: FramedReply[] = [];
  let start = 0;
  let cursor = 0;
  const lines: string[] = [];
  for (;;) {
    const newline = buffer.indexOf('\n', cursor);
    if (newline === -1) break;
    const line = buffer.slice(cursor, newline).replace(/\r$/, '');
    lines.push(line);
    cursor = newline + 1;
    if (!/^\d{3}-/.test(line)) {
      replies.push({
        code: Number.parseInt(line.slice(0, 3), 10),
        lines: [...lines],
        raw: buffer.slice(start, cursor),
      });
      lines.length = 0;
      start = cursor;
    }
  }
  let rest = buffer.slice(start);
  if (rest.length > MAX_REPLY_LINE_BYTES) {
    replies.push({ code: Number.NaN, lines: [rest], raw: rest });
    rest = '';
  }
  return { replies, rest };
}

/** Which extensions the endpoint shows in an EHLO reply. */
export interface EhloAdvertisement {
  readonly starttls: boolean;
  readonly auth: boolean;
}

/** The AUTH line the endpoint advertises (the sink accepts these mechanisms, RFC 4954 / RFC 4616). */
export const ADVERTISED_AUTH = 'AUTH PLAIN LOGIN';

/**
 * Rebuilds a `250` EHLO reply: the greeting line and the upstream's own extensions, minus STARTTLS and
 * AUTH, plus STARTTLS and AUTH as `advertise` says.
 */
export function rewriteEhloReply(reply: FramedReply, advertise: EhloAdvertisement): string {
  if (reply.code !== 250) return reply.raw;
  const [greeting = '250 ok', ...extensions] = reply.lines.map((line) => line.slice(4));
  const kept = extensions.filter((keyword) => !/^(STARTTLS|AUTH)\b/i.test(keyword));
  if (advertise.starttls) kept.unshift('STARTTLS');
  if (advertise.auth) kept.push(ADVERTISED_AUTH);
  const all = [greeting, ...kept];
  return all.map((text, index) => `250${index === all.length - 1 ? ' ' : '-'}${text}\r\n`).join('');
}
