// The ClientConnection state machine driven byte by byte: session setup, pipelined DATA and BDAT
// transactions (and how many round trips they take), per-recipient results, RSET, timeouts, EOF, AUTH.
import { implicitTls } from '@strictmail/tls-policy';
import { describe, expect, it } from 'vitest';
import { encoder, Harness, readySession } from '../test/helpers/core-harness';
import type { ClientEvent } from './events';

const envelope = (to: string[] = ['b@example.com']) => ({ from: 'a@example.com', to });

function ofType<T extends ClientEvent['type']>(
  events: ClientEvent[],
  type: T,
): Extract<ClientEvent, { type: T }>[] {
  return events.filter((event) => event.type === type) as Extract<ClientEvent, { type: T }>[];
}

describe('pipelined DATA transactions (RFC 2920)', () => {
  it('sends MAIL, RCPTs and DATA in one flight and reports per-recipient results', () => {
    const harness = readySession(['PIPELINING', 'SIZE 1000000', '8BITMIME', 'ENHANCEDSTATUSCODES']);
    const flight = harness.send({
      type: 'message-start',
      id: 1,
      envelope: envelope(['b@example.com', 'bad@example.com']),
      eightBit: false,
    });
    expect(flight).toBe(
      'MAIL FROM:<a@example.com> SIZE=0\r\nRCPT TO:<b@example.com>\r\nRCPT TO:<bad@example.com>\r\nDATA\r\n'.replace(
        ' SIZE=0',
        '',
      ),
    );
    harness.feed(
      '250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n550 5.1.1 No such user\r\n354 End data with <CR><LF>.<CR><LF>\r\n',
    );
    expect(harness.last()).toEqual({ type: 'body-request', id: 1 });
    harness.take();
    harness.send({ type: 'body-chunk', id: 1, data: encoder.encode('Subject: t\r\n\r\nhi\r\n'), last: true });
    expect(harness.take()).toBe('Subject: t\r\n\r\nhi\r\n.\r\n');
    const [accept] = harness.feed('250 2.0.0 Ok: queued as ABC\r\n');
    expect(accept).toMatchObject({
      type: 'message-accept',
      id: 1,
      accepted: ['b@example.com'],
      rejected: ['bad@example.com'],
      messageSize: 18,
    });
    const rejection = accept?.type === 'message-accept' ? accept.rejectedErrors[0] : undefined;
    expect(rejection?.replyCode).toBe(550);
    expect(rejection?.reply?.enhancedCodeText).toBe('5.1.1');
    expect(rejection?.isPermanent()).toBe(true);
  });

  it('pipelines the next message behind the previous end of data: one round trip per message', () => {
    const harness = readySession(['PIPELINING']);
    let roundTrips = 0;
    harness.send({ type: 'message-start', id: 1, envelope: envelope(), eightBit: false });
    harness.send({ type: 'message-start', id: 2, envelope: envelope(['c@example.com']), eightBit: false });
    expect(harness.take()).toBe('MAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.com>\r\nDATA\r\n');
    harness.feed('250 ok\r\n250 ok\r\n354 go\r\n');
    roundTrips += 1;
    const wire = harness.send({ type: 'body-chunk', id: 1, data: encoder.encode('one'), last: true });
    // Message 1's end of data and message 2's envelope leave in the same write (RFC 2920 §3.1).
    expect(wire).toBe('one\r\n.\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<c@example.com>\r\nDATA\r\n');
    const events = harness.feed('250 queued 1\r\n250 ok\r\n250 ok\r\n354 go\r\n');
    roundTrips += 1;
    expect(events.map((event) => event.type)).toEqual(['message-accept', 'body-request']);
    harness.send({ type: 'body-chunk', id: 2, data: encoder.encode('two'), last: true });
    const final = harness.feed('250 queued 2\r\n');
    roundTrips += 1;
    expect(final).toMatchObject([{ type: 'message-accept', id: 2, accepted: ['c@example.com'] }]);
    expect(roundTrips / 2).toBeLessThanOrEqual(1.5);
  });

  it('rejects the message when every recipient is refused and sends RSET before the next MAIL', () => {
    const harness = readySession(['PIPELINING']);
    harness.send({ type: 'message-start', id: 1, envelope: envelope(['x@example.com']), eightBit: false });
    harness.send({ type: 'message-start', id: 2, envelope: envelope(), eightBit: false });
    harness.take();
    const events = harness.feed('250 ok\r\n450 4.2.0 mailbox busy\r\n554 5.5.1 no valid recipients\r\n');
    const [reject] = ofType(events, 'message-reject');
    expect(reject?.error.code).toBe('RECIPIENTS_REJECTED');
    expect(reject?.error.isTransient()).toBe(true);
    expect(harness.take()).toBe('RSET\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.com>\r\nDATA\r\n');
    const next = harness.feed('250 reset\r\n250 ok\r\n250 ok\r\n354 go\r\n');
    expect(next).toEqual([{ type: 'body-request', id: 2 }]);
  });

  it('refuses a 354 to DATA after every recipient was refused (a body would have no envelope)', () => {
    const harness = readySession(['PIPELINING']);
    harness.send({ type: 'message-start', id: 1, envelope: envelope(), eightBit: false });
    harness.feed('250 ok\r\n550 no\r\n354 go anyway\r\n');
    expect(harness.failure()?.error.code).toBe('UNEXPECTED_REPLY');
  });
});

describe('CHUNKING with PIPELINING (RFC 3030)', () => {
  it('sends MAIL, RCPT and BDAT LAST without waiting, and pipelines the next message with RSET', () => {
    const harness = readySession(['PIPELINING', 'CHUNKING', '8BITMIME']);
    const events: ClientEvent[] = [];
    harness.send({ type: 'message-start', id: 1, envelope: envelope(), eightBit: false });
    events.push(...harness.events.splice(0));
    expect(ofType(events, 'body-request')).toEqual([{ type: 'body-request', id: 1 }]);
    harness.send({ type: 'body-chunk', id: 1, data: encoder.encode('.dot\n'), last: true });
    harness.send({ type: 'message-start', id: 2, envelope: envelope(['c@example.com']), eightBit: true });
    harness.send({ type: 'body-chunk', id: 2, data: encoder.encode('caf\u00e9'), last: true });
    expect(harness.take()).toBe(
      'MAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.com>\r\nBDAT 6 LAST\r\n.dot\r\n' +
        'RSET\r\nMAIL FROM:<a@example.com> BODY=8BITMIME\r\nRCPT TO:<c@example.com>\r\nBDAT 7 LAST\r\ncafé\r\n',
    );
    // Both messages went out before any reply: zero round trips of waiting between them.
    const results = harness.feed(
      '250 ok\r\n250 ok\r\n250 queued 1\r\n250 reset\r\n250 ok\r\n250 ok\r\n250 queued 2\r\n',
    );
    expect(ofType(results, 'message-accept').map((event) => event.id)).toEqual([1, 2]);
  });

  it('streams a large body as several BDAT chunks and stops on a refused chunk', () => {
    const harness = readySession(['PIPELINING', 'CHUNKING']);
    harness.send({ type: 'message-start', id: 1, envelope: envelope(), eightBit: false });
    harness.take();
    harness.send({ type: 'body-chunk', id: 1, data: encoder.encode('abc\r\n') });
    harness.send({ type: 'body-chunk', id: 1, data: encoder.encode('def') });
    expect(harness.take()).toBe('BDAT 5\r\nabc\r\nBDAT 3\r\ndef');
    const events = harness.feed('250 ok\r\n250 ok\r\n552 5.3.4 too big\r\n');
    expect(ofType(events, 'message-reject')[0]?.error.code).toBe('MESSAGE_REJECTED');
    // The driver stops: further chunks are dropped and no LAST is sent for the refused message.
    expect(harness.send({ type: 'body-chunk', id: 1, data: encoder.encode('more') })).toBe('');
    harness.send({ type: 'message-start', id: 2, envelope: envelope(), eightBit: false });
    expect(harness.take()).toMatch(/^RSET\r\nMAIL FROM/);
  });
});

describe('without PIPELINING (RFC 5321 §3.3)', () => {
  it('waits for each reply before the next command', () => {
    const harness = readySession([]);
    expect(
      harness.send({
        type: 'message-start',
        id: 1,
        envelope: envelope(['b@example.com', 'c@example.com']),
        eightBit: false,
      }),
    ).toBe('MAIL FROM:<a@example.com>\r\n');
    harness.take();
    harness.feed('250 ok\r\n');
    expect(harness.take()).toBe('RCPT TO:<b@example.com>\r\n');
    harness.feed('250 ok\r\n');
    expect(harness.take()).toBe('RCPT TO:<c@example.com>\r\n');
    harness.feed('250 ok\r\n');
    expect(harness.take()).toBe('DATA\r\n');
    harness.feed('354 go\r\n');
    harness.send({ type: 'body-end', id: 1 });
    expect(harness.take()).toBe('.\r\n');
  });

  it('does not send DATA when MAIL FROM is refused, and needs no RSET after it', () => {
    const harness = readySession([]);
    harness.send({ type: 'message-start', id: 1, envelope: envelope(), eightBit: false });
    harness.send({ type: 'message-start', id: 2, envelope: envelope(), eightBit: false });
    harness.take();
    const events = harness.feed('553 5.7.1 sender refused\r\n');
    expect(ofType(events, 'message-reject')[0]?.error).toMatchObject({
      code: 'MAIL_REJECTED',
      replyCode: 553,
      command: 'MAIL FROM',
    });
    expect(harness.take()).toBe('MAIL FROM:<a@example.com>\r\n');
  });
});

describe('capability checks before sending (RFC 1870, RFC 6152, RFC 6531, RFC 3461)', () => {
  it('refuses a message larger than SIZE before MAIL', () => {
    const harness = readySession(['SIZE 100']);
    expect(() =>
      harness.send({ type: 'message-start', id: 1, envelope: { ...envelope(), size: 101 }, eightBit: false }),
    ).toThrow(expect.objectContaining({ code: 'MESSAGE_TOO_LARGE' }));
    expect(
      harness.send({ type: 'message-start', id: 2, envelope: { ...envelope(), size: 100 }, eightBit: false }),
    ).toBe('MAIL FROM:<a@example.com> SIZE=100\r\n');
  });

  it('needs SMTPUTF8 for non-ASCII addresses and 8BITMIME for 8-bit bodies', () => {
    const harness = readySession([]);
    expect(() =>
      harness.send({
        type: 'message-start',
        id: 1,
        envelope: envelope(['jörg@example.com']),
        eightBit: false,
      }),
    ).toThrow(expect.objectContaining({ code: 'SMTPUTF8_UNAVAILABLE' }));
    expect(() =>
      harness.send({ type: 'message-start', id: 1, envelope: envelope(), eightBit: true }),
    ).toThrow(expect.objectContaining({ code: 'EIGHTBITMIME_UNAVAILABLE' }));
    const utf8 = readySession(['SMTPUTF8', '8BITMIME']);
    expect(
      utf8.send({ type: 'message-start', id: 1, envelope: envelope(['jörg@example.com']), eightBit: true }),
    ).toBe('MAIL FROM:<a@example.com> BODY=8BITMIME SMTPUTF8\r\n');
  });

  it('fails a streamed body that turns out 8-bit when 8BITMIME is not offered', () => {
    const harness = readySession(['PIPELINING']);
    harness.send({ type: 'message-start', id: 1, envelope: envelope(), eightBit: 'unknown' });
    harness.feed('250 ok\r\n250 ok\r\n354 go\r\n');
    expect(() => harness.send({ type: 'body-chunk', id: 1, data: encoder.encode('h\u00e9') })).toThrow(
      expect.objectContaining({ code: 'EIGHTBITMIME_UNAVAILABLE' }),
    );
    harness.feed('');
    expect(harness.failure()).toBeDefined();
    expect(ofType(harness.events, 'message-reject')[0]?.id).toBe(1);
  });

  it('sends DSN parameters only to a server that offers DSN', () => {
    const dsn = {
      ret: 'HDRS' as const,
      envid: 'id+1',
      notify: ['SUCCESS', 'FAILURE'] as ('SUCCESS' | 'FAILURE')[],
      orcpt: 'b@example.com',
    };
    expect(() =>
      readySession([]).send({
        type: 'message-start',
        id: 1,
        envelope: { ...envelope(), dsn },
        eightBit: false,
      }),
    ).toThrow(expect.objectContaining({ code: 'DSN_UNAVAILABLE' }));
    const harness = readySession(['PIPELINING', 'DSN']);
    expect(
      harness.send({ type: 'message-start', id: 1, envelope: { ...envelope(), dsn }, eightBit: false }),
    ).toBe(
      'MAIL FROM:<a@example.com> RET=HDRS ENVID=id+2B1\r\nRCPT TO:<b@example.com> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;b@example.com\r\nDATA\r\n',
    );
  });
});

describe('timeouts (time is a parameter)', () => {
  it('fails with TIMEOUT naming greetingMs when no greeting arrives', () => {
    const harness = new Harness({ timeouts: { greetingMs: 5000 } });
    expect(harness.connection.pollTimeout()).toBe(6000);
    harness.connection.handleTimeout(5999);
    expect(harness.connection.state).toBe('GREETING');
    harness.connection.handleTimeout(6000);
    harness.feed('');
    expect(harness.failure()?.error.code).toBe('TIMEOUT');
    expect(harness.failure()?.error.message).toContain('timeouts.greetingMs');
  });

  it('uses dataEndMs for the end of data and restarts on every reply', () => {
    const harness = readySession(['PIPELINING'], { timeouts: { commandMs: 100, dataEndMs: 1000 } });
    harness.time = 2000;
    harness.send({ type: 'message-start', id: 1, envelope: envelope(), eightBit: false });
    expect(harness.connection.pollTimeout()).toBe(2100);
    harness.time = 2050;
    harness.feed('250 ok\r\n250 ok\r\n354 go\r\n');
    expect(harness.connection.pollTimeout()).toBeNull();
    harness.send({ type: 'body-end', id: 1 });
    expect(harness.connection.pollTimeout()).toBe(3050);
  });

  it('bounds a TLS handshake by greetingMs, not the 5 min commandMs', () => {
    const harness = new Harness({ timeouts: { greetingMs: 500 } });
    harness.feed('220 hi\r\n250-x\r\n250 STARTTLS\r\n');
    harness.time = 2000;
    harness.feed('220 go\r\n');
    expect(harness.connection.state).toBe('TLS_HANDSHAKE');
    expect(harness.connection.pollTimeout()).toBe(2500);
    harness.connection.handleTimeout(2500);
    harness.feed('');
    expect(harness.failure()?.error.message).toContain('the TLS handshake');
  });

  it('has no deadline while idle', () => {
    expect(readySession([]).connection.pollTimeout()).toBeNull();
  });
});

describe('connection end and stickiness', () => {
  it('reports EOF during a transaction as CONNECTION_CLOSED with unknown recipients', () => {
    const harness = readySession(['PIPELINING']);
    harness.send({
      type: 'message-start',
      id: 1,
      envelope: envelope(['b@example.com', 'c@example.com']),
      eightBit: false,
    });
    harness.feed('250 ok\r\n250 ok\r\n');
    harness.eof();
    const [reject] = ofType(harness.events, 'message-reject');
    expect(reject?.error).toMatchObject({
      code: 'CONNECTION_CLOSED',
      recipients: { accepted: ['b@example.com'], rejected: [], unknown: ['c@example.com'] },
    });
    expect(reject?.error.isTransient()).toBe(true);
    expect(harness.connection.nextEvent()).toMatchObject({ type: 'connection-fail' });
    expect(() => harness.connection.send({ type: 'quit' })).toThrow(
      expect.objectContaining({ code: 'CONNECTION_FAILED' }),
    );
  });

  it('marks messages that never reached the wire as unsent when the connection fails', () => {
    const harness = readySession(['PIPELINING']);
    harness.send({ type: 'message-start', id: 1, envelope: envelope(), eightBit: false });
    harness.send({ type: 'message-start', id: 2, envelope: envelope(), eightBit: false });
    expect(harness.connection.isUnsent(1)).toBe(false);
    expect(harness.connection.isUnsent(2)).toBe(true);
    harness.eof();
    expect(ofType(harness.events, 'message-reject').map((event) => [event.id, event.unsent])).toEqual([
      [1, false],
      [2, true],
    ]);
  });

  it('refuses an unsolicited reply', () => {
    const harness = readySession([]);
    harness.feed('250 surprise\r\n');
    expect(harness.failure()?.error.code).toBe('UNEXPECTED_REPLY');
  });

  it('pipelines QUIT behind the last end of data and still reports the message first', () => {
    const harness = readySession(['PIPELINING', 'CHUNKING']);
    harness.send({ type: 'message-start', id: 1, envelope: envelope(), eightBit: false });
    expect(harness.connection.mayQuit).toBe(false);
    expect(() => harness.send({ type: 'quit' })).toThrow(expect.objectContaining({ code: 'INVALID_STATE' }));
    harness.send({ type: 'body-chunk', id: 1, data: encoder.encode('x'), last: true });
    expect(harness.connection.mayQuit).toBe(true);
    harness.send({ type: 'quit' });
    expect(harness.take()).toMatch(/BDAT 3 LAST\r\nx\r\nQUIT\r\n$/);
    const events = harness.feed('250 ok\r\n250 ok\r\n250 queued\r\n221 bye\r\n');
    expect(events.map((event) => event.type)).toEqual(['message-accept', 'connection-close']);
  });

  it('fails a message still awaiting its reply when the server closes after a pipelined QUIT', () => {
    const harness = readySession(['PIPELINING', 'CHUNKING']);
    harness.send({ type: 'message-start', id: 1, envelope: envelope(), eightBit: false });
    harness.send({ type: 'body-chunk', id: 1, data: encoder.encode('x'), last: true });
    harness.send({ type: 'quit' });
    harness.feed('250 ok\r\n');
    harness.eof();
    expect(ofType(harness.events, 'message-reject')[0]?.error.code).toBe('CONNECTION_CLOSED');
  });

  it('closes cleanly after QUIT', () => {
    const harness = readySession([]);
    expect(harness.send({ type: 'quit' })).toBe('QUIT\r\n');
    expect(harness.feed('221 bye\r\n')).toEqual([{ type: 'connection-close' }]);
    expect(harness.connection.state).toBe('CLOSED');
  });

  it('starts implicit TLS with a tls-upgrade-request before any byte', () => {
    const harness = new Harness({ policy: implicitTls() });
    expect(harness.events).toEqual([{ type: 'tls-upgrade-request', entry: 'implicit-tls' }]);
    harness.tls({ ...(harness.connection.tls ?? {}), entry: 'implicit-tls' } as never);
    harness.feed('220 hi\r\n');
    expect(harness.take()).toBe('EHLO client.example\r\n');
  });
});

describe('AUTH mechanisms (RFC 4954)', () => {
  function authSession(
    auth: string,
    credentials: { user: string; pass: string } | { user: string; accessToken: string },
  ) {
    const harness = new Harness({ credentials });
    harness.feed('220 hi\r\n250-x\r\n250 STARTTLS\r\n220 go\r\n');
    harness.tls();
    harness.take();
    harness.feed(`250-x\r\n250 AUTH ${auth}\r\n`);
    return harness;
  }

  it('answers AUTH LOGIN challenges by step', () => {
    const harness = authSession('LOGIN', { user: 'alice', pass: 'pw' });
    expect(harness.take()).toBe('AUTH LOGIN\r\n');
    harness.feed('334 VXNlcm5hbWU6\r\n');
    expect(harness.take()).toBe('YWxpY2U=\r\n');
    harness.feed('334 UGFzc3dvcmQ6\r\n');
    expect(harness.take()).toBe('cHc=\r\n');
    harness.feed('235 ok\r\n');
    expect(harness.last()).toMatchObject({ type: 'session-ready', authenticated: true });
  });

  it('prefers SCRAM-SHA-256, then PLAIN, then LOGIN', () => {
    expect(authSession('LOGIN PLAIN SCRAM-SHA-256', { user: 'u', pass: 'p' }).take()).toMatch(
      /^AUTH SCRAM-SHA-256 /,
    );
    expect(authSession('LOGIN PLAIN', { user: 'u', pass: 'p' }).take()).toMatch(/^AUTH PLAIN /);
  });

  it('uses XOAUTH2 for an access token and reports a refused token as AUTH_FAILED', () => {
    const harness = authSession('LOGIN XOAUTH2', { user: 'u@example.com', accessToken: 'ya29.token' });
    expect(harness.take()).toBe(
      `AUTH XOAUTH2 ${Buffer.from('user=u@example.com\x01auth=Bearer ya29.token\x01\x01').toString('base64')}\r\n`,
    );
    harness.feed('334 eyJzdGF0dXMiOiI0MDEifQ==\r\n');
    expect(harness.take()).toBe('\r\n');
    harness.feed('535 5.7.8 Username and Password not accepted\r\n');
    const error = harness.failure()?.error;
    expect(error?.code).toBe('AUTH_FAILED');
    expect(error?.message).not.toContain('ya29.token');
  });

  it('refuses with AUTH_UNAVAILABLE when no offered mechanism fits', () => {
    expect(authSession('CRAM-MD5', { user: 'u', pass: 'p' }).failure()?.error.code).toBe('AUTH_UNAVAILABLE');
  });
});
