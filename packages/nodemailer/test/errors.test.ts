// strictmail errors as nodemailer users handle them: nodemailer's `code` ('EAUTH', 'EENVELOPE', 'ETLS',
// ...), `response`, `responseCode`, `command`, `permanent`, beside strictmail's own `strictmailCode`.
import {
  ConnectionError,
  LocalProtocolError,
  RemoteProtocolError,
  Reply,
  SmtpReplyError,
} from '@strictmail/smtp-core';
import { ConfigurationError, SecurityError, StrictmailError } from '@strictmail/tls-policy';
import { describe, expect, it } from 'vitest';
import { TransportError, toTransportError } from '../src/errors';

function reply(code: number, text: string): Reply {
  return new Reply(code, [text]);
}

describe('nodemailer codes for strictmail errors', () => {
  it.each([
    ['STARTTLS_STRIPPED', 'ETLS'],
    ['PRE_TLS_DATA_INJECTED', 'ETLS'],
    ['CERTIFICATE_UNTRUSTED', 'ETLS'],
    ['HOSTNAME_MISMATCH', 'ETLS'],
    ['TLS_VERSION_TOO_OLD', 'ETLS'],
    ['AUTH_UNAVAILABLE', 'EAUTH'],
    ['REQUIRETLS_UNAVAILABLE', 'EREQUIRETLS'],
    ['EHLO_REFUSED', 'EPROTOCOL'],
  ] as const)('SecurityError %s is %s', (strictmailCode, code) => {
    const mapped = toTransportError(new SecurityError(strictmailCode, 'refused'));
    expect(mapped).toBeInstanceOf(TransportError);
    expect(mapped.code).toBe(code);
    expect(mapped.strictmailCode).toBe(strictmailCode);
    expect(mapped.kind).toBe('security');
    expect(StrictmailError.isInstance(mapped)).toBe(true);
    expect(mapped.isTransient()).toBe(false);
  });

  it.each([
    ['AUTH_FAILED', 'AUTH PLAIN', 535, 'EAUTH'],
    ['MAIL_REJECTED', 'MAIL FROM', 550, 'EENVELOPE'],
    ['RECIPIENT_REJECTED', 'RCPT TO', 450, 'EENVELOPE'],
    ['RECIPIENTS_REJECTED', 'RCPT TO', 550, 'EENVELOPE'],
    ['DATA_REJECTED', 'DATA', 554, 'EENVELOPE'],
    ['MESSAGE_REJECTED', 'DATA', 552, 'EMESSAGE'],
    ['GREETING_REJECTED', undefined, 554, 'EPROTOCOL'],
    ['EHLO_REJECTED', 'EHLO', 500, 'EPROTOCOL'],
    ['SERVICE_UNAVAILABLE', 'MAIL FROM', 421, 'EENVELOPE'],
  ] as const)(
    'SmtpReplyError %s (%s, %i) is %s with the reply',
    (strictmailCode, command, replyCode, code) => {
      const error = new SmtpReplyError(strictmailCode, 'rejected', {
        ...(command === undefined ? {} : { command }),
        reply: reply(replyCode, '5.0.0 no'),
      });
      const mapped = toTransportError(error);
      expect(mapped.code).toBe(code);
      expect(mapped.command).toBe(command);
      expect(mapped.responseCode).toBe(replyCode);
      expect(mapped.response).toBe(`${replyCode} 5.0.0 no`);
      expect(mapped.permanent).toBe(replyCode >= 500);
      expect(mapped.isTransient()).toBe(replyCode < 500);
      expect(mapped.cause).toBe(error);
    },
  );

  it.each([
    ['TIMEOUT', 'ETIMEDOUT', true],
    ['CONNECTION_CLOSED', 'ECONNECTION', true],
    ['SOCKET_ERROR', 'ECONNECTION', true],
    ['CLIENT_CLOSED', 'ECONNECTION', false],
    ['ABORTED', 'EABORT', false],
  ] as const)('ConnectionError %s is %s', (strictmailCode, code, transient) => {
    const mapped = toTransportError(new ConnectionError(strictmailCode, 'gone'));
    expect(mapped.code).toBe(code);
    expect(mapped.isTransient()).toBe(transient);
  });

  it('an aborted send is an AbortError, as in nodemailer', () => {
    expect(toTransportError(new ConnectionError('ABORTED', 'aborted')).name).toBe('AbortError');
    expect(toTransportError(Object.assign(new Error('aborted'), { name: 'AbortError' })).code).toBe('EABORT');
  });

  it.each([
    ['UNSAFE_INPUT', 'EENVELOPE'],
    ['SMTPUTF8_UNAVAILABLE', 'EENVELOPE'],
    ['MESSAGE_TOO_LARGE', 'EMESSAGE'],
    ['BARE_LINE_ENDING', 'EMESSAGE'],
    ['BODY_STREAM_FAILED', 'ESTREAM'],
  ] as const)('LocalProtocolError %s is %s', (strictmailCode, code) => {
    expect(toTransportError(new LocalProtocolError(strictmailCode, 'no')).code).toBe(code);
  });

  it('RemoteProtocolError is EPROTOCOL; ConfigurationError is ECONFIG (EENVELOPE for the envelope)', () => {
    expect(toTransportError(new RemoteProtocolError('MALFORMED_REPLY', 'bad')).code).toBe('EPROTOCOL');
    expect(toTransportError(new ConfigurationError('INVALID_OPTION', 'bad')).code).toBe('ECONFIG');
    expect(
      toTransportError(new ConfigurationError('INVALID_OPTION', 'bad'), { envelopePhase: true }).code,
    ).toBe('EENVELOPE');
  });

  it('a failure of the message stream (e.g. a missing attachment file) is ESTREAM', () => {
    const streamError = Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' });
    const mapped = toTransportError(new ConnectionError('CONNECTION_CLOSED', 'x'), { streamError });
    expect(mapped.code).toBe('ESTREAM');
    expect(mapped.message).toContain('ENOENT');
    expect(mapped.cause).toBe(streamError);
  });

  it('keeps the recipient outcome (invariant 8) and maps every rejected recipient', () => {
    const recipients = { accepted: [], rejected: ['a@example.com'], unknown: [] };
    const error = new SmtpReplyError('RECIPIENTS_REJECTED', 'all rejected', {
      command: 'RCPT TO',
      reply: reply(550, 'no'),
      recipients,
    });
    const mapped = toTransportError(error);
    expect(mapped.recipients).toEqual(recipients);
    expect(mapped.rejected).toEqual(['a@example.com']);
  });
});

describe('precedence', () => {
  it('a security refusal stays ETLS even when the message stream also failed', () => {
    const mapped = toTransportError(new SecurityError('STARTTLS_STRIPPED', 'stripped'), {
      streamError: new Error('ENOENT'),
    });
    expect(mapped.code).toBe('ETLS');
    expect(mapped.strictmailCode).toBe('STARTTLS_STRIPPED');
  });
});
