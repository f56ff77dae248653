// The probe's reply reader: RFC 5321 §4.2 multi-line replies, fed whole and split at every byte
// boundary, bounded input, and the bytes left over when STARTTLS is answered (RFC 3207 §6).
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { authMechanisms, ehloKeywords, MAX_REPLY_BYTES, SmtpDialogue } from './smtp-dialogue';

/** A socket stand-in: the test pushes server bytes, the dialogue's writes are recorded. */
function fakeSocket(): Socket & { written: string[]; push(text: string): void } {
  const emitter = new EventEmitter() as Socket & { written: string[]; push(text: string): void };
  emitter.written = [];
  emitter.write = ((text: string) => {
    emitter.written.push(text);
    return true;
  }) as Socket['write'];
  emitter.push = (text) => emitter.emit('data', Buffer.from(text, 'latin1'));
  return emitter;
}

const EHLO_REPLY =
  '250-mail.example.test greets you\r\n250-PIPELINING\r\n250-AUTH PLAIN LOGIN\r\n250 STARTTLS\r\n';

describe('SmtpDialogue', () => {
  it.each(Array.from({ length: EHLO_REPLY.length - 1 }, (_, index) => index + 1))(
    'reads a multi-line EHLO reply split at byte %i',
    async (split) => {
      const socket = fakeSocket();
      const dialogue = new SmtpDialogue(socket, 1_000);
      const reply = dialogue.readReply();
      socket.push(EHLO_REPLY.slice(0, split));
      socket.push(EHLO_REPLY.slice(split));
      const read = await reply;
      expect(read.code).toBe(250);
      expect(ehloKeywords(read)).toEqual(['PIPELINING', 'AUTH PLAIN LOGIN', 'STARTTLS']);
      expect(authMechanisms(ehloKeywords(read))).toEqual(['PLAIN', 'LOGIN']);
    },
  );

  it('sends a command line with CRLF and reads its reply', async () => {
    const socket = fakeSocket();
    const dialogue = new SmtpDialogue(socket, 1_000);
    const reply = dialogue.command('STARTTLS');
    socket.push('220 2.0.0 Ready to start TLS\r\n');
    await expect(reply).resolves.toEqual({ code: 220, lines: ['2.0.0 Ready to start TLS'] });
    expect(socket.written).toEqual(['STARTTLS\r\n']);
  });

  it('returns the bytes injected after the 220 to STARTTLS (RFC 3207 §6, CVE-2021-22947 class)', async () => {
    const socket = fakeSocket();
    const dialogue = new SmtpDialogue(socket, 1_000);
    const reply = dialogue.command('STARTTLS');
    socket.push('220 Go ahead\r\n250-injected\r\n');
    expect((await reply).code).toBe(220);
    expect(dialogue.detach()).toBe('250-injected\r\n');
    expect(socket.listenerCount('data')).toBe(0);
  });

  it('refuses a line that is not an SMTP reply', async () => {
    const socket = fakeSocket();
    const dialogue = new SmtpDialogue(socket, 1_000);
    const reply = dialogue.readReply();
    socket.push('HTTP/1.1 400 Bad Request\r\n');
    await expect(reply).rejects.toThrow(/not an SMTP reply/);
  });

  it(`stops buffering after ${MAX_REPLY_BYTES} bytes without a complete reply`, async () => {
    const socket = fakeSocket();
    const dialogue = new SmtpDialogue(socket, 1_000);
    const reply = dialogue.readReply();
    socket.push(`250-${'x'.repeat(MAX_REPLY_BYTES)}`);
    await expect(reply).rejects.toThrow(/more than 65536 bytes/);
  });

  it('fails a wait when the server closes the connection', async () => {
    const socket = fakeSocket();
    const dialogue = new SmtpDialogue(socket, 1_000);
    const reply = dialogue.readReply();
    socket.emit('end');
    await expect(reply).rejects.toThrow(/closed the connection/);
  });
});
