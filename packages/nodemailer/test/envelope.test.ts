// The envelope comes from nodemailer itself (MailComposer's getEnvelope, honouring a custom `envelope`
// and Bcc), DSN options map to RFC 3461 parameters exactly as nodemailer's smtp-connection maps them.
import MailComposer from 'nodemailer/lib/mail-composer';
import { describe, expect, it } from 'vitest';
import { mapDsn } from '../src/dsn';
import { envelopeOf, type MailLike } from '../src/envelope';

function mailOf(data: Record<string, unknown>): MailLike {
  const message = new MailComposer(data).compile();
  return { data, message } as unknown as MailLike;
}

describe('envelope from nodemailer', () => {
  it('collects To, Cc and Bcc, deduplicated, and the From address', () => {
    const { envelope, reported } = envelopeOf(
      mailOf({
        from: '"Sender" <sender@example.com>',
        to: 'a@example.com, "B" <b@example.com>',
        cc: 'c@example.com',
        bcc: ['a@example.com', 'd@example.com'],
        text: 'x',
      }),
    );
    expect(envelope).toEqual({
      from: 'sender@example.com',
      to: ['a@example.com', 'b@example.com', 'c@example.com', 'd@example.com'],
    });
    expect(reported).toEqual({ from: 'sender@example.com', to: envelope.to });
  });

  it('honours a custom envelope (and its size)', () => {
    const { envelope } = envelopeOf(
      mailOf({
        from: 'header-from@example.com',
        to: 'header-to@example.com',
        envelope: { from: 'bounces@example.com', to: ['real@example.com'], size: 1234 },
        text: 'x',
      }),
    );
    expect(envelope).toEqual({ from: 'bounces@example.com', to: ['real@example.com'], size: 1234 });
  });

  it('keeps internationalised addresses (SMTPUTF8, RFC 6531) and punycodes nothing in the local part', () => {
    const { envelope } = envelopeOf(mailOf({ from: 'jörg@example.com', to: '用户@例子.广告', text: 'x' }));
    expect(envelope.from).toBe('jörg@example.com');
    expect(envelope.to).toHaveLength(1);
    expect(envelope.to[0]?.startsWith('用户@')).toBe(true);
  });

  it('a message without recipients is refused before sending', () => {
    expect(() => envelopeOf(mailOf({ from: 'a@example.com', text: 'x' }))).toThrow(/No recipients defined/);
  });

  it('an empty sender is the null reverse-path', () => {
    const { envelope, reported } = envelopeOf(
      mailOf({ envelope: { from: '', to: 'x@example.com' }, to: 'x@example.com', text: 'x' }),
    );
    expect(envelope.from).toBe('');
    expect(reported.from).toBe(false);
  });

  it('REQUIRETLS (RFC 8689) from requireTLSExtensionEnabled, DSN from dsn', () => {
    const { envelope } = envelopeOf(
      mailOf({
        from: 'a@example.com',
        to: 'b@example.com',
        text: 'x',
        requireTLSExtensionEnabled: true,
        dsn: { id: 'envelope-1', return: 'headers', notify: 'success,failure', recipient: 'b@example.com' },
      }),
    );
    expect(envelope.requireTls).toBe(true);
    expect(envelope.dsn).toEqual({
      ret: 'HDRS',
      envid: 'envelope-1',
      notify: ['SUCCESS', 'FAILURE'],
      orcpt: 'b@example.com',
    });
  });
});

describe('DSN mapping (RFC 3461 §4)', () => {
  it.each([
    [{ ret: 'FULL' }, { ret: 'FULL' }],
    [{ ret: 'body' }, { ret: 'FULL' }],
    [{ return: 'HDRS' }, { ret: 'HDRS' }],
    [{ envid: 'id-1' }, { envid: 'id-1' }],
    [{ notify: ['DELAY'] }, { notify: ['DELAY'] }],
    [{ notify: 'never' }, { notify: ['NEVER'] }],
    [{ orcpt: 'rfc822;x@example.com' }, { orcpt: 'x@example.com' }],
    [{ recipient: 'x@example.com' }, { orcpt: 'x@example.com' }],
    [{}, undefined],
  ])('%j maps to %j', (input, expected) => {
    expect(mapDsn(input)).toEqual(expected);
  });

  it.each([
    [{ ret: 'SOME' }],
    [{ notify: 'NEVER,SUCCESS' }],
    [{ notify: 'SOMETIMES' }],
    [{ orcpt: 'utf-8;x@example.com' }],
  ])('%j is refused', (input) => {
    expect(() => mapDsn(input)).toThrow(/Invalid DSN option/);
  });
});
