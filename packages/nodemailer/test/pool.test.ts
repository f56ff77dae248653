// Pooling: hundreds of messages over a few connections while the server injects failures mid-run
// (dropped connections in the middle of the data phase, 421 shutdowns, transient and permanent
// rejections). Every message is either delivered exactly once or reported failed with a nodemailer
// error code (invariant 8: never reported sent without the final positive reply), the pool never opens
// more than `maxConnections` at once nor sends more than `maxMessages` per connection, and `close()`
// leaves no socket or timer behind.
import { createMockSmtpServer, type Fault } from '@strictmail/mock-server';
import nodemailer from 'nodemailer';
import { describe, expect, it, vi } from 'vitest';
import { strictmail, TransportError } from '../src/index';

const MESSAGE_COUNT = 300;
const MAX_CONNECTIONS = 3;
const MAX_MESSAGES = 40;
/** Every 25th message goes to a recipient the server refuses (RFC 5321 §4.2.2: 550). */
const NOBODY = 'nobody@example.com';
const recipientOf = (index: number) => (index % 25 === 7 ? NOBODY : `recipient-${index}@example.com`);

/** Failures spread over the run; `times` bounds each so the run ends with most messages delivered. */
const FAULTS: readonly Fault[] = [
  { at: 'data-body', disconnect: true, afterBytes: 200, times: 4 },
  { at: 'data-end', reply: 451, text: '4.3.0 Temporary failure after data', times: 5 },
  { at: 'data-end', reply: 554, text: '5.6.0 Rejected after data', times: 3 },
  { at: 'mail', reply: 421, text: '4.3.2 Shutting down', times: 2 },
  { at: 'rcpt', recipient: NOBODY, reply: 550, text: '5.1.1 No such user' },
];

/** Sockets (plain or TLS) open in this process: the clients' and the mock servers'. */
function openSockets(): string[] {
  return process.getActiveResourcesInfo().filter((name) => name === 'TCPSocketWrap' || name === 'TLSWrap');
}

/** Timers pending in this process (vitest keeps some of its own, hence a comparison with a baseline). */
function pendingTimers(): number {
  return process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
}

describe('pool under injected failures', () => {
  it(`${MESSAGE_COUNT} messages over ${MAX_CONNECTIONS} connections: each delivered once or reported failed`, async () => {
    // Other test files may share this process (isolate: false) and still be closing their sockets, so
    // the checks at the end compare with what was open before this test.
    const timersBefore = pendingTimers();
    const socketsBefore = openSockets().length;
    const server = await createMockSmtpServer({ mode: 'starttls', faults: FAULTS });
    const transport = strictmail({
      host: '127.0.0.1',
      port: server.port,
      security: 'require-starttls',
      tls: { ca: server.ca },
      auth: { user: 'pool-user', pass: 'pool-password' },
      pool: true,
      maxConnections: MAX_CONNECTIONS,
      maxMessages: MAX_MESSAGES,
    });
    const transporter = nodemailer.createTransport(transport);
    let idleEvents = 0;
    transporter.on('idle', () => {
      idleEvents += 1;
    });

    const sends = Array.from({ length: MESSAGE_COUNT }, (_, index) =>
      transporter.sendMail({
        from: 'pool@example.com',
        to: recipientOf(index),
        subject: `pool message ${index}`,
        messageId: `<pool-${index}@example.com>`,
        text: `Message ${index}\r\n${'body line\r\n'.repeat(40)}`,
      }),
    );
    const outcomes = await Promise.allSettled(sends);

    const deliveredIds = new Set<string>();
    const failures: TransportError[] = [];
    for (const [index, outcome] of outcomes.entries()) {
      if (outcome.status === 'fulfilled') {
        expect(outcome.value.messageId).toBe(`<pool-${index}@example.com>`);
        expect(outcome.value.accepted).toEqual([recipientOf(index)]);
        expect(recipientOf(index)).not.toBe(NOBODY);
        expect(outcome.value.tls?.chainVerified).toBe(true);
        deliveredIds.add(outcome.value.messageId);
      } else {
        expect(TransportError.isInstance(outcome.reason)).toBe(true);
        failures.push(outcome.reason as TransportError);
      }
    }

    // Every message is accounted for exactly once.
    expect(deliveredIds.size + failures.length).toBe(MESSAGE_COUNT);
    // What the client reports delivered is exactly what the server stored, each message once.
    const storedIds = server.messages.map((message) => message.parsed.messageId);
    expect(new Set(storedIds).size).toBe(storedIds.length);
    expect(new Set(storedIds)).toEqual(deliveredIds);
    // The injected failures really happened and were reported with nodemailer's codes.
    expect(failures.length).toBeGreaterThanOrEqual(1 + 3);
    for (const failure of failures) {
      expect(['ECONNECTION', 'EMESSAGE', 'EENVELOPE', 'ETIMEDOUT']).toContain(failure.code);
    }
    // A refused recipient is EENVELOPE with the 550 reply, as nodemailer reports it.
    expect(
      failures.some(
        (failure) =>
          failure.code === 'EENVELOPE' && failure.responseCode === 550 && failure.command === 'RCPT TO',
      ),
    ).toBe(true);
    expect(failures.some((failure) => failure.code === 'EMESSAGE' && failure.responseCode === 554)).toBe(
      true,
    );
    // A failed connection fails only the messages it had started; the pool carries on with the rest.
    expect(deliveredIds.size).toBeGreaterThan(MESSAGE_COUNT / 4);

    // A few connections, never more than maxMessages each, AUTH only inside TLS.
    for (const session of server.sessions) {
      expect(session.commands.filter((command) => command.verb === 'MAIL').length).toBeLessThanOrEqual(
        MAX_MESSAGES,
      );
      expect(session.authBeforeTls).toBe(false);
      expect(session.mailBeforeTls).toBe(false);
    }
    expect(server.sessions.length).toBeGreaterThanOrEqual(Math.ceil(MESSAGE_COUNT / MAX_MESSAGES));
    expect(server.sessions.length).toBeLessThanOrEqual(
      Math.ceil(MESSAGE_COUNT / MAX_MESSAGES) + FAULTS.length * 5,
    );
    expect(idleEvents).toBeGreaterThan(0);

    await transporter.close();
    expect(transport.isIdle()).toBe(false);
    // The server saw every connection of the pool close.
    await vi.waitFor(() => expect(server.sessions.every((session) => session.closed)).toBe(true), {
      timeout: 5_000,
    });
    // No socket is left on either side, and no timer of the pool (idle, reconnect) is left pending.
    expect(openSockets().length).toBeLessThanOrEqual(socketsBefore);
    expect(pendingTimers()).toBeLessThanOrEqual(timersBefore);
    await server.close();
  });

  it('a closed transport refuses new messages instead of reopening connections', async () => {
    const server = await createMockSmtpServer({ mode: 'starttls' });
    const transporter = nodemailer.createTransport(
      strictmail({
        host: '127.0.0.1',
        port: server.port,
        security: 'require-starttls',
        tls: { ca: server.ca },
        pool: true,
      }),
    );
    await transporter.sendMail({ from: 'a@example.com', to: 'b@example.com', text: 'first' });
    await transporter.close();
    await expect(
      transporter.sendMail({ from: 'a@example.com', to: 'b@example.com', text: 'late' }),
    ).rejects.toMatchObject({ code: 'ECONNECTION', strictmailCode: 'TRANSPORT_CLOSED' });
    expect(server.messages).toHaveLength(1);
    await server.close();
  });
});
