// Real nodemailer messages delivered through this transport are byte for byte what nodemailer's own
// SMTP transport (with requireTLS) delivers for the same message: same data-phase bytes, same envelope,
// same MAIL FROM parameters (SMTPUTF8 for internationalised addresses, RFC 6531; DSN, RFC 3461). The
// result carries nodemailer's fields plus the TLS receipt.
import { type CapturedMessage, createMockSmtpServer, type MockSmtpServer } from '@strictmail/mock-server';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { strictmail } from '../src/index';
import { MESSAGE_CASES } from './support/messages';

let server: MockSmtpServer;

beforeAll(async () => {
  server = await createMockSmtpServer({ mode: 'starttls' });
});

afterAll(async () => {
  await server.close();
});

async function captureOne(send: () => Promise<unknown>): Promise<CapturedMessage> {
  const before = server.messages.length;
  await send();
  expect(server.messages.length).toBe(before + 1);
  return server.messages[before] as CapturedMessage;
}

describe('delivery matches nodemailer’s own SMTP transport byte for byte', () => {
  it.each(MESSAGE_CASES)('$name', async (messageCase) => {
    const reference = nodemailer.createTransport({
      host: '127.0.0.1',
      port: server.port,
      requireTLS: true,
      tls: { ca: [server.ca] },
    });
    const transporter = nodemailer.createTransport(
      strictmail({
        host: '127.0.0.1',
        port: server.port,
        security: 'require-starttls',
        tls: { ca: server.ca },
      }),
    );
    try {
      const referenceInfo: Record<string, unknown> = {};
      const expected = await captureOne(async () => {
        Object.assign(referenceInfo, await reference.sendMail(messageCase.build()));
      });
      const info: Record<string, unknown> = {};
      const actual = await captureOne(async () => {
        Object.assign(info, await transporter.sendMail(messageCase.build()));
      });

      expect(actual.raw.equals(expected.raw)).toBe(true);
      expect(actual.raw.toString('utf8')).toBe(expected.raw.toString('utf8'));
      expect(actual.envelope.from).toBe(expected.envelope.from);
      expect(actual.envelope.to).toEqual(expected.envelope.to);
      // The one deliberate difference: the message is streamed, so its 8-bit-ness is unknown when MAIL
      // FROM is sent, and BODY=8BITMIME is declared whenever the server offers it (RFC 6152 §3 allows it
      // for a 7-bit body). Every other parameter is nodemailer's.
      const { BODY: declaredBody, ...parameters } = actual.envelope.mailParameters;
      expect(parameters).toEqual(expected.envelope.mailParameters);
      expect(declaredBody).toBe('8BITMIME');
      expect(actual.tls).not.toBeNull();
      if (messageCase.build().dkim !== undefined) {
        expect(actual.raw.toString('utf8')).toMatch(/^DKIM-Signature: v=1; a=rsa-sha256;/);
      }

      // nodemailer's result fields, with the same values nodemailer reports.
      for (const field of ['envelope', 'messageId', 'accepted', 'rejected']) {
        expect(info[field]).toEqual(referenceInfo[field]);
      }
      expect(info.pending).toEqual([]);
      expect(info.response).toMatch(/^250 /);
      expect(info.tls).toMatchObject({
        entry: 'starttls',
        chainVerified: true,
        hostnameVerified: true,
        serverName: '127.0.0.1',
        decidedBy: 'pkix',
      });
      expect(['TLSv1.2', 'TLSv1.3']).toContain((info.tls as { protocol: string }).protocol);
    } finally {
      reference.close();
      await transporter.close();
    }
  });

  it('SMTPUTF8 is requested for an internationalised address, and only then', () => {
    const unicode = server.messages.filter((message) => message.envelope.from === 'jörg@example.com');
    const ascii = server.messages.filter((message) => message.envelope.from === 'sender@example.com');
    expect(unicode.length).toBe(2);
    expect(ascii.length).toBeGreaterThan(0);
    for (const message of unicode) expect(message.envelope.mailParameters.SMTPUTF8).toBe(true);
    for (const message of ascii) expect(message.envelope.mailParameters.SMTPUTF8).toBeUndefined();
  });

  it('DSN parameters reach MAIL FROM (RET, ENVID) as nodemailer sends them', () => {
    const dsn = server.messages.filter((message) => message.envelope.from === 'bounces@example.com');
    expect(dsn.length).toBe(2);
    for (const message of dsn) {
      expect(message.envelope.mailParameters).toMatchObject({ RET: 'HDRS', ENVID: 'envid-1' });
      expect(message.envelope.to).toEqual(['envelope-to@example.com']);
    }
    // NOTIFY and ORCPT go on RCPT TO (RFC 3461 §4.1, §4.2).
    const rcptLines = dsn.map((message) => {
      const session = server.sessions.find((candidate) => candidate.id === message.sessionId);
      return session?.commands.filter((command) => command.verb === 'RCPT').map((command) => command.line);
    });
    expect(rcptLines[0]).toEqual([
      'RCPT TO:<envelope-to@example.com> NOTIFY=FAILURE,DELAY ORCPT=rfc822;orig@example.com',
    ]);
    expect(rcptLines[1]).toEqual(rcptLines[0]);
  });
});
