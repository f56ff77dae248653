// Real nodemailer messages for the delivery tests: text, HTML, attachments, Unicode subjects and
// addresses, many recipients, dot-stuffing bait, DSN and a custom envelope. Date, Message-ID and the
// multipart boundary (`baseBoundary`, a MailComposer option) are fixed so two sends of the same message
// are byte-identical, whatever transport carries them.
import { generateKeyPairSync } from 'node:crypto';
import type { SendMailOptions } from 'nodemailer';

const FIXED = {
  date: new Date('2026-01-02T03:04:05.000Z'),
  baseBoundary: 'strictmail-fixed-boundary',
};

function recipients(count: number, domain: string): string[] {
  return Array.from({ length: count }, (_, index) => `recipient-${index + 1}@${domain}`);
}

/** A tiny PNG (1x1, transparent) for the inline-image case. */
const PIXEL_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

/** A DKIM key generated for the run (RSA PKCS#1 v1.5 signatures are deterministic, so both sends match). */
const DKIM_KEY = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
  type: 'pkcs8',
  format: 'pem',
}) as string;

export interface MessageCase {
  readonly name: string;
  /** Builds the message afresh (nodemailer consumes the options it is given). */
  readonly build: () => SendMailOptions;
}

export const MESSAGE_CASES: readonly MessageCase[] = [
  {
    name: 'plain text',
    build: () => ({
      ...FIXED,
      messageId: '<plain@example.com>',
      from: 'sender@example.com',
      to: 'recipient@example.com',
      subject: 'Plain text',
      text: 'Hello,\r\nthis is a plain text message.\r\n',
    }),
  },
  {
    name: 'HTML with a text alternative',
    build: () => ({
      ...FIXED,
      messageId: '<html@example.com>',
      from: '"Sender Name" <sender@example.com>',
      to: '"Recipient" <recipient@example.com>',
      subject: 'HTML and text',
      text: 'Plain version',
      html: '<p>HTML <b>version</b> with a <a href="https://example.com/">link</a></p>',
    }),
  },
  {
    name: 'attachments (binary, text, inline image)',
    build: () => ({
      ...FIXED,
      messageId: '<attachments@example.com>',
      from: 'sender@example.com',
      to: 'recipient@example.com',
      subject: 'Attachments',
      html: '<p>An inline image: <img src="cid:pixel@example.com"></p>',
      attachments: [
        {
          filename: 'random.bin',
          content: Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919) % 256)),
        },
        { filename: 'notes.txt', content: 'line one\nline two\n.starts with a dot\n' },
        { filename: 'pixel.png', content: PIXEL_PNG, cid: 'pixel@example.com' },
      ],
    }),
  },
  {
    name: 'Unicode subject, names and addresses (SMTPUTF8)',
    build: () => ({
      ...FIXED,
      messageId: '<unicode@example.com>',
      from: '"Jörg Müller" <jörg@example.com>',
      to: ['"Ελένη" <ελένη@example.com>', '"李雷" <lilei@例子.广告>'],
      subject: 'Grüße, привет, 你好 ✉️ — a long Unicode subject that has to be folded across several lines',
      text: 'Unicode body: ÅÄÖ åäö ß € 🚀\r\n',
    }),
  },
  {
    name: 'many recipients (To, Cc and Bcc)',
    build: () => ({
      ...FIXED,
      messageId: '<many@example.com>',
      from: 'sender@example.com',
      to: recipients(60, 'to.example.com'),
      cc: recipients(30, 'cc.example.com'),
      bcc: recipients(30, 'bcc.example.com'),
      subject: 'Many recipients',
      text: 'One message, 120 recipients.',
    }),
  },
  {
    name: 'dot-stuffing bait and long lines (RFC 5321 §4.5.2)',
    build: () => ({
      ...FIXED,
      messageId: '<dots@example.com>',
      from: 'sender@example.com',
      to: 'recipient@example.com',
      subject: 'Dots',
      text: `.\r\n..\r\n. leading dot\r\nend\r\n${'x'.repeat(2000)}\r\n.\r\n`,
    }),
  },
  {
    name: 'custom envelope with DSN (RFC 3461)',
    build: () => ({
      ...FIXED,
      messageId: '<dsn@example.com>',
      from: 'header-from@example.com',
      to: 'header-to@example.com',
      envelope: { from: 'bounces@example.com', to: ['envelope-to@example.com'] },
      dsn: { id: 'envid-1', return: 'headers', notify: ['failure', 'delay'], recipient: 'orig@example.com' },
      subject: 'DSN',
      text: 'With delivery status notifications.',
    }),
  },
  {
    name: 'DKIM-signed (nodemailer signs, the transport carries the signed bytes unchanged)',
    build: () => ({
      ...FIXED,
      messageId: '<dkim@example.com>',
      from: 'sender@example.com',
      to: 'recipient@example.com',
      subject: 'Signed',
      text: 'This message carries a DKIM-Signature header.',
      dkim: { domainName: 'example.com', keySelector: 'strictmail', privateKey: DKIM_KEY },
    }),
  },
];
