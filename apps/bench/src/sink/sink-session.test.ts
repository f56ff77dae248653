// The fast sink's protocol handling: pipelined commands, DATA and BDAT framing (RFC 2920, RFC 5321
// §4.1.1.4, RFC 3030 §2), fed whole and split at every byte boundary, plus the STARTTLS rules the sink
// enforces so that a client cannot look fast by skipping TLS or authentication.
import { describe, expect, it } from 'vitest';
import { SinkSession, scanForTerminator } from './sink-session';

const OPTIONS = { hostname: 'sink.test', chunking: true, user: 'bench', pass: 'secret' } as const;
const PLAIN = Buffer.from('\u0000bench\u0000secret').toString('base64');

function replyCodes(text: string): string[] {
  // Keep only the last line of each reply (multi-line EHLO replies use "250-").
  return text
    .split('\r\n')
    .filter((line) => line.length >= 4 && line[3] === ' ')
    .map((line) => line.slice(0, 3));
}

function afterTls(): SinkSession {
  const session = new SinkSession(OPTIONS);
  const output = session.receive(Buffer.from('EHLO client\r\nSTARTTLS\r\n'));
  expect(output.action).toBe('starttls');
  session.tlsStarted();
  return session;
}

function feed(session: SinkSession, chunks: readonly Buffer[]): { replies: string; actions: string[] } {
  let replies = '';
  const actions: string[] = [];
  for (const chunk of chunks) {
    const output = session.receive(chunk);
    replies += output.replies.toString('latin1');
    if (output.action !== 'continue') actions.push(output.action);
  }
  return { replies, actions };
}

const DATA_BODY = 'Subject: x\r\n\r\n..leading dot\r\nline\r\n\r\n.\r\n';
const SCRIPT = Buffer.from(
  [
    'EHLO client\r\n',
    `AUTH PLAIN ${PLAIN}\r\n`,
    'MAIL FROM:<a@example.test>\r\nRCPT TO:<b@example.test>\r\n',
    'BDAT 10\r\n0123456789',
    'BDAT 12 LAST\r\nDATA\r\n.\r\nXYZ',
    'MAIL FROM:<a@example.test>\r\nRCPT TO:<b@example.test>\r\nRCPT TO:<c@example.test>\r\nDATA\r\n',
    DATA_BODY,
    'MAIL FROM:<a@example.test>\r\nRCPT TO:<b@example.test>\r\nBDAT 0 LAST\r\n',
    'QUIT\r\n',
  ].join(''),
  'latin1',
);
const EXPECTED_CODES = [
  '250',
  '235',
  '250',
  '250',
  '250',
  '250',
  '250',
  '250',
  '250',
  '354',
  '250',
  '250',
  '250',
  '250',
  '221',
];
const EXPECTED_BODY_BYTES = 10 + 12 + DATA_BODY.length + 0;

describe('SinkSession pipelining and framing', () => {
  it('answers a whole pipelined session received in one chunk, in order', () => {
    const session = afterTls();
    const { replies, actions } = feed(session, [SCRIPT]);
    expect(replyCodes(replies)).toEqual(EXPECTED_CODES);
    expect(actions).toEqual(['close']);
    expect(session.counters).toEqual({ messages: 3, recipients: 4, bodyBytes: EXPECTED_BODY_BYTES });
  });

  it('gives the same replies and counts when the session is split at every byte boundary', () => {
    for (let cut = 1; cut < SCRIPT.length; cut++) {
      const session = afterTls();
      const { replies } = feed(session, [SCRIPT.subarray(0, cut), SCRIPT.subarray(cut)]);
      expect(replyCodes(replies), `cut at ${cut}`).toEqual(EXPECTED_CODES);
      expect(session.counters, `cut at ${cut}`).toEqual({
        messages: 3,
        recipients: 4,
        bodyBytes: EXPECTED_BODY_BYTES,
      });
    }
  });

  it('gives the same replies and counts when every byte arrives alone', () => {
    const session = afterTls();
    const chunks = Array.from(SCRIPT, (byte) => Buffer.from([byte]));
    const { replies } = feed(session, chunks);
    expect(replyCodes(replies)).toEqual(EXPECTED_CODES);
    expect(session.counters.messages).toBe(3);
    expect(session.counters.bodyBytes).toBe(EXPECTED_BODY_BYTES);
  });

  it('treats SMTP commands inside a BDAT chunk as message data, not as commands (RFC 3030 §2)', () => {
    const session = afterTls();
    const inner = 'QUIT\r\nRSET\r\n';
    const { replies, actions } = feed(session, [
      Buffer.from(
        `EHLO c\r\nAUTH PLAIN ${PLAIN}\r\nMAIL FROM:<a@x.test>\r\nRCPT TO:<b@x.test>\r\nBDAT ${inner.length} LAST\r\n${inner}NOOP\r\n`,
      ),
    ]);
    expect(replyCodes(replies)).toEqual(['250', '235', '250', '250', '250', '250']);
    expect(actions).toEqual([]);
    expect(session.counters.messages).toBe(1);
  });

  it('ends an empty DATA body at ".\\r\\n" right after the DATA line', () => {
    const session = afterTls();
    const { replies } = feed(session, [
      Buffer.from(
        `EHLO c\r\nAUTH PLAIN ${PLAIN}\r\nMAIL FROM:<a@x.test>\r\nRCPT TO:<b@x.test>\r\nDATA\r\n.\r\nNOOP\r\n`,
      ),
    ]);
    expect(replyCodes(replies)).toEqual(['250', '235', '250', '250', '354', '250', '250']);
    expect(session.counters.messages).toBe(1);
  });
});

describe('SinkSession STARTTLS and AUTH rules', () => {
  it('refuses MAIL and AUTH before STARTTLS with 530 (RFC 3207 §4)', () => {
    const session = new SinkSession(OPTIONS);
    const { replies } = feed(session, [
      Buffer.from(`EHLO c\r\nAUTH PLAIN ${PLAIN}\r\nMAIL FROM:<a@x.test>\r\n`),
    ]);
    expect(replyCodes(replies)).toEqual(['250', '530', '530']);
    expect(replies).toContain('STARTTLS');
    expect(replies).not.toContain('AUTH PLAIN');
  });

  it('discards commands pipelined behind STARTTLS instead of running them after the handshake (RFC 3207 §6)', () => {
    const session = new SinkSession(OPTIONS);
    const first = session.receive(Buffer.from('EHLO c\r\nSTARTTLS\r\nMAIL FROM:<injected@x.test>\r\n'));
    expect(first.action).toBe('starttls');
    expect(replyCodes(first.replies.toString('latin1'))).toEqual(['250', '220']);
    session.tlsStarted();
    const { replies } = feed(session, [Buffer.from('RCPT TO:<b@x.test>\r\n')]);
    // Had the injected MAIL survived, this would be 250 (or 530 for missing AUTH): it must be a sequence error.
    expect(replyCodes(replies)).toEqual(['503']);
  });

  it('requires EHLO again after TLS and forgets the pre-TLS capabilities (RFC 3207 §4.2)', () => {
    const session = afterTls();
    const { replies } = feed(session, [Buffer.from(`AUTH PLAIN ${PLAIN}\r\nEHLO c\r\n`)]);
    expect(replyCodes(replies)).toEqual(['503', '250']);
    expect(replies).toContain('CHUNKING');
    expect(replies).not.toContain('STARTTLS');
  });

  it('requires AUTH before MAIL and rejects a wrong password with 535', () => {
    const session = afterTls();
    const wrong = Buffer.from('\u0000bench\u0000wrong').toString('base64');
    const { replies } = feed(session, [
      Buffer.from(`EHLO c\r\nMAIL FROM:<a@x.test>\r\nAUTH PLAIN ${wrong}\r\n`),
    ]);
    expect(replyCodes(replies)).toEqual(['250', '530', '535']);
  });

  it('accepts AUTH LOGIN in three steps', () => {
    const session = afterTls();
    const user = Buffer.from('bench').toString('base64');
    const pass = Buffer.from('secret').toString('base64');
    const { replies } = feed(session, [Buffer.from(`EHLO c\r\nAUTH LOGIN\r\n${user}\r\n${pass}\r\n`)]);
    expect(replyCodes(replies)).toEqual(['250', '334', '334', '235']);
  });

  it('does not advertise or accept BDAT when CHUNKING is off', () => {
    const session = new SinkSession({ ...OPTIONS, chunking: false });
    session.receive(Buffer.from('EHLO c\r\nSTARTTLS\r\n'));
    session.tlsStarted();
    const { replies, actions } = feed(session, [
      Buffer.from(
        `EHLO c\r\nAUTH PLAIN ${PLAIN}\r\nMAIL FROM:<a@x.test>\r\nRCPT TO:<b@x.test>\r\nBDAT 3 LAST\r\nabc`,
      ),
    ]);
    expect(replies).not.toContain('CHUNKING');
    expect(replyCodes(replies).slice(-1)).toEqual(['500']);
    expect(actions).toEqual(['close']);
  });

  it('closes the session when a command line exceeds the limit instead of buffering it', () => {
    const session = afterTls();
    const { replies, actions } = feed(session, [Buffer.alloc(20 * 1024, 0x41)]);
    expect(replyCodes(replies)).toEqual(['500']);
    expect(actions).toEqual(['close']);
  });
});

describe('scanForTerminator', () => {
  const terminator = (text: string, state = 0) => scanForTerminator(Buffer.from(text, 'latin1'), 0, state);

  it('finds the terminator inside one chunk', () => {
    expect(terminator('abc\r\n.\r\nrest')).toEqual({ index: 8, state: 0 });
  });

  it('carries a partial match to the next chunk', () => {
    expect(terminator('abc\r\n.')).toEqual({ index: -1, state: 3 });
    expect(terminator('\r\nrest', 3)).toEqual({ index: 2, state: 0 });
  });

  it('does not end the body at a dot-stuffed line or a dot inside a line', () => {
    expect(terminator('a\r\n..\r\nb.\r\n')).toEqual({ index: -1, state: 2 });
  });

  it('restarts the match on a CR that breaks a partial terminator', () => {
    expect(terminator('\r\n.\r\r\n.\r\n')).toEqual({ index: 9, state: 0 });
  });
});
