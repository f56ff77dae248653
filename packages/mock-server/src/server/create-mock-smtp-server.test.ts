// The server with real clients: nodemailer 10.6.1 (secure and insecure configurations) and raw sockets.
// Every client trusts only the run's CA and connects to 127.0.0.1; verification is never disabled.
import { once } from 'node:events';
import { type AddressInfo, connect as netConnect } from 'node:net';
import { networkInterfaces } from 'node:os';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { describe, expect, it, vi } from 'vitest';
import { createMockSmtpServer, type MockSmtpServer } from './create-mock-smtp-server';
import { defaultServerCertificate } from './server-certificate';
import { RawSmtpClient } from './test-support/raw-client';

function transport(server: MockSmtpServer, extra: Record<string, unknown> = {}) {
  return nodemailer.createTransport({
    host: '127.0.0.1',
    port: server.port,
    secure: server.mode === 'implicit-tls',
    tls: { ca: server.ca },
    ...extra,
  });
}

/** Containers sometimes run without IPv6; the ::1 test needs it. */
const hasIpv6Loopback = Object.values(networkInterfaces()).some((addresses) =>
  (addresses ?? []).some((address) => address.address === '::1'),
);

const mail = {
  from: 'alice@example.test',
  to: 'bob@example.test',
  subject: 'Quarterly',
  text: 'numbers inside',
};

describe('createMockSmtpServer with nodemailer', () => {
  it('STARTTLS: captures and parses the message; the session shows TLS before AUTH before MAIL', async () => {
    await using server = await createMockSmtpServer();
    const client = transport(server, { requireTLS: true, auth: { user: 'alice', pass: 'hunter2' } });
    const info = await client.sendMail(mail);
    client.close();
    expect(info.accepted).toEqual(['bob@example.test']);
    // Stored before the final 250, so it is there as soon as sendMail resolves.
    const [message] = server.messages;
    expect(message?.envelope).toMatchObject({ from: 'alice@example.test', to: ['bob@example.test'] });
    expect(message?.parsed.subject).toBe('Quarterly');
    expect(message?.parsed.text).toBe('numbers inside\n');
    expect(message?.raw.toString()).toContain('Subject: Quarterly');
    expect(message?.user).toBe('alice');
    const [session] = server.sessions;
    expect(session?.tls).toMatchObject({ entry: 'starttls', protocol: 'TLSv1.3' });
    expect(session?.order).toEqual(['tls', 'auth', 'mail']);
    expect(session?.authBeforeTls).toBe(false);
    expect(session?.auth).toMatchObject({
      method: 'PLAIN',
      username: 'alice',
      secure: true,
      outcome: 'accepted',
    });
    expect(session?.auth?.password).toBe('hunter2');
    expect(JSON.stringify(session?.auth)).not.toContain('hunter2');
    expect(message?.tls?.entry).toBe('starttls');
  });

  it('implicit TLS: the whole transcript is in the encrypted phase', async () => {
    await using server = await createMockSmtpServer({ mode: 'implicit-tls' });
    const client = transport(server, { auth: { user: 'alice', pass: 'hunter2' } });
    await client.sendMail(mail);
    client.close();
    const [session] = server.sessions;
    expect(session?.tls?.entry).toBe('implicit-tls');
    expect(session?.order).toEqual(['tls', 'auth', 'mail']);
    expect(session?.transcript.every((chunk) => chunk.phase === 'encrypted')).toBe(true);
    expect(session?.bytes('client-to-server', 'encrypted').toString()).toContain(
      'MAIL FROM:<alice@example.test>',
    );
  });

  it('plaintext: an insecure client sends credentials and mail in the plaintext phase, and it is recorded', async () => {
    await using server = await createMockSmtpServer({ mode: 'plaintext' });
    const client = transport(server, { auth: { user: 'alice', pass: 'hunter2' } });
    await client.sendMail(mail);
    client.close();
    const [session] = server.sessions;
    expect(session?.tls).toBeNull();
    expect(session?.authBeforeTls).toBe(true);
    expect(session?.mailBeforeTls).toBe(true);
    expect(session?.order).toEqual(['auth', 'mail']);
    const plaintext = session?.bytes('client-to-server', 'plaintext').toString() ?? '';
    expect(plaintext).toContain(Buffer.from('\0alice\0hunter2').toString('base64'));
    expect(plaintext).toContain('numbers inside');
    expect(session?.dialogue()).not.toContain('STARTTLS');
  });

  it('STARTTLS mode refuses AUTH before TLS with 538 (RFC 4954 §4) unless allowBeforeTls', async () => {
    await using careful = await createMockSmtpServer();
    const raw = await RawSmtpClient.connect(careful.port);
    expect((await raw.reply())?.code).toBe(220);
    // smtp-server still lists AUTH before TLS; what matters is that it refuses to run it.
    await raw.command('EHLO client.test');
    expect((await raw.command('AUTH PLAIN AGFsaWNlAGh1bnRlcjI='))?.code).toBe(538);
    raw.close();
    await using inviting = await createMockSmtpServer({ auth: { allowBeforeTls: true } });
    const leaky = await RawSmtpClient.connect(inviting.port);
    await leaky.reply();
    await leaky.command('EHLO client.test');
    expect((await leaky.command('AUTH PLAIN AGFsaWNlAGh1bnRlcjI='))?.code).toBe(235);
    leaky.close();
    expect(inviting.sessions[0]?.auth).toMatchObject({ username: 'alice', secure: false });
    expect(inviting.sessions[0]?.auth?.password).toBe('hunter2');
  });

  it('a user list accepts the right password and token and answers 535 to a wrong one (RFC 4954 §6)', async () => {
    await using server = await createMockSmtpServer({
      auth: { accept: [{ user: 'alice', pass: 'right', accessToken: 'token-1' }], required: true },
    });
    await expect(
      transport(server, { auth: { user: 'alice', pass: 'wrong' } }).sendMail(mail),
    ).rejects.toMatchObject({
      responseCode: 535,
    });
    await transport(server, { auth: { user: 'alice', pass: 'right' } }).sendMail(mail);
    await transport(server, { auth: { type: 'OAuth2', user: 'alice', accessToken: 'token-1' } }).sendMail(
      mail,
    );
    await expect(
      transport(server, { auth: { type: 'OAuth2', user: 'alice', accessToken: 'token-2' } }).sendMail(mail),
    ).rejects.toThrow();
    expect(server.sessions.map((session) => session.auth?.outcome)).toEqual([
      'rejected',
      'accepted',
      'accepted',
      'rejected',
    ]);
    expect(server.sessions.map((session) => session.auth?.method)).toEqual([
      'PLAIN',
      'PLAIN',
      'XOAUTH2',
      'XOAUTH2',
    ]);
    expect(server.messages).toHaveLength(2);
  });

  it('accepts any XOAUTH2 token by default and keeps it, non-enumerable, for leak detection', async () => {
    await using server = await createMockSmtpServer();
    await transport(server, { auth: { type: 'OAuth2', user: 'dave', accessToken: 'ya29.token' } }).sendMail(
      mail,
    );
    const attempt = server.sessions[0]?.auth;
    expect(attempt).toMatchObject({ method: 'XOAUTH2', username: 'dave', outcome: 'accepted', secure: true });
    expect(attempt?.accessToken).toBe('ya29.token');
    expect(Object.keys(attempt ?? {})).not.toContain('accessToken');
  });

  it('auth: false leaves AUTH out of EHLO and refuses the command', async () => {
    await using server = await createMockSmtpServer({ mode: 'plaintext', auth: false });
    const raw = await RawSmtpClient.connect(server.port);
    await raw.reply();
    expect((await raw.command('EHLO client.test'))?.lines).not.toContainEqual(
      expect.stringContaining('AUTH'),
    );
    expect((await raw.command('AUTH PLAIN AGFsaWNlAGh1bnRlcjI='))?.code).toBe(500);
    expect((await raw.command('MAIL FROM:<a@example.test>'))?.code).toBe(250);
    raw.close();
  });

  it('AUTH LOGIN records the password the client sent', async () => {
    await using server = await createMockSmtpServer({ auth: { mechanisms: ['LOGIN'] } });
    await transport(server, { auth: { user: 'carol', pass: 's3cret' } }).sendMail(mail);
    expect(server.sessions[0]?.auth).toMatchObject({ method: 'LOGIN', username: 'carol' });
    expect(server.sessions[0]?.auth?.password).toBe('s3cret');
  });
});

describe('protocol features', () => {
  it('enforces the SIZE limit with 552 (RFC 1870 §6.3) and stores nothing', async () => {
    await using server = await createMockSmtpServer({ size: 1000 });
    await expect(transport(server).sendMail({ ...mail, text: 'x'.repeat(5000) })).rejects.toMatchObject({
      responseCode: 552,
    });
    expect(server.messages).toHaveLength(0);
  });

  it('accepts a hundred recipients over PIPELINING, and caps them with maxRecipients', async () => {
    await using server = await createMockSmtpServer();
    const to = Array.from({ length: 100 }, (_, index) => `r${index}@example.test`);
    const info = await transport(server).sendMail({ ...mail, to });
    expect(info.accepted).toHaveLength(100);
    expect(server.messages[0]?.envelope.to).toEqual(to);
    await using capped = await createMockSmtpServer({ maxRecipients: 2 });
    const partial = await transport(capped).sendMail({ ...mail, to: to.slice(0, 3) });
    expect(partial.accepted).toHaveLength(2);
    expect(partial.rejected).toEqual([to[2]]);
  });

  it('answers pipelined commands sent in one write, in order (RFC 2920)', async () => {
    await using server = await createMockSmtpServer({ mode: 'plaintext' });
    const raw = await RawSmtpClient.connect(server.port);
    await raw.reply();
    expect((await raw.command('EHLO client.test'))?.lines).toContain('250-PIPELINING');
    raw.write(
      'MAIL FROM:<a@example.test>\r\nRCPT TO:<b@example.test>\r\nRCPT TO:<c@example.test>\r\nDATA\r\n',
    );
    expect([(await raw.reply())?.code, (await raw.reply())?.code, (await raw.reply())?.code]).toEqual([
      250, 250, 250,
    ]);
    expect((await raw.reply())?.code).toBe(354);
    expect((await raw.command('Subject: piped\r\n\r\nbody\r\n.'))?.code).toBe(250);
    raw.close();
    expect(server.messages[0]?.envelope.to).toEqual(['b@example.test', 'c@example.test']);
  });

  it('records bytes pipelined after STARTTLS in the plaintext phase, and they never reach the TLS session', async () => {
    await using server = await createMockSmtpServer();
    const raw = await RawSmtpClient.connect(server.port);
    await raw.reply();
    await raw.command('EHLO client.test');
    raw.write('STARTTLS\r\nMAIL FROM:<injected@example.test>\r\n');
    expect((await raw.reply())?.code).toBe(220);
    await raw.startTls(server.ca);
    expect((await raw.command('EHLO client.test'))?.code).toBe(250);
    raw.close();
    const session = server.sessions[0];
    expect(session?.bytes('client-to-server', 'plaintext').toString()).toContain(
      'MAIL FROM:<injected@example.test>',
    );
    expect(session?.bytes('client-to-server', 'encrypted').toString()).toBe('EHLO client.test\r\n');
  });
});

describe('waitForMessage', () => {
  it('resolves when a matching message arrives later, and at once for one already stored', async () => {
    await using server = await createMockSmtpServer();
    const waiting = server.waitForMessage({ subject: /second/ });
    await transport(server).sendMail({ ...mail, subject: 'first' });
    await transport(server).sendMail({ ...mail, subject: 'the second one', to: 'carol@example.test' });
    expect((await waiting).envelope.to).toEqual(['carol@example.test']);
    expect((await server.waitForMessage({ to: 'bob@example.test' })).parsed.subject).toBe('first');
    expect((await server.waitForMessage((message) => message.sequence === 2)).parsed.subject).toBe(
      'the second one',
    );
  });

  it('a throwing filter rejects the wait, and the client still gets its 250', async () => {
    await using server = await createMockSmtpServer();
    const waiting = expect(
      server.waitForMessage(() => {
        throw new Error('bad filter');
      }),
    ).rejects.toThrow('bad filter');
    await expect(transport(server).sendMail(mail)).resolves.toMatchObject({ accepted: ['bob@example.test'] });
    await waiting;
  });

  it('rejects with WAIT_TIMEOUT naming the filter, and with SERVER_CLOSED when the server closes', async () => {
    const server = await createMockSmtpServer();
    await expect(server.waitForMessage({ to: 'nobody@example.test' }, { timeout: 20 })).rejects.toMatchObject(
      {
        code: 'WAIT_TIMEOUT',
        message: expect.stringContaining('to nobody@example.test'),
      },
    );
    const pending = server.waitForMessage();
    await server.close();
    await expect(pending).rejects.toMatchObject({ code: 'SERVER_CLOSED' });
  });
});

describe('lifecycle', () => {
  it('greets without smtp-server’s 100 ms early-talker timer (control: plain smtp-server arms it)', async () => {
    // Deterministic: instead of timing the greeting (the bench prints the figures), watch for the timer.
    const earlyTalkerTimers = (spy: { mock: { calls: unknown[][] } }) =>
      spy.mock.calls.filter((call) => call[1] === 100).length;
    const certificate = await defaultServerCertificate();
    const plain = new SMTPServer({
      ...certificate,
      minVersion: 'TLSv1.2',
      disableReverseLookup: true,
      logger: false,
    });
    plain.listen(0, '127.0.0.1');
    await once(plain.server, 'listening');
    const plainPort = (plain.server.address() as AddressInfo).port;
    const controlSpy = vi.spyOn(globalThis, 'setTimeout');
    const control = await RawSmtpClient.connect(plainPort);
    expect((await control.reply())?.code).toBe(220);
    const controlTimers = earlyTalkerTimers(controlSpy);
    controlSpy.mockRestore();
    control.close();
    await new Promise<void>((resolve) => plain.close(() => resolve()));
    expect(controlTimers).toBe(1);

    await using server = await createMockSmtpServer();
    const spy = vi.spyOn(globalThis, 'setTimeout');
    const client = await RawSmtpClient.connect(server.port);
    expect((await client.reply())?.code).toBe(220);
    const timers = earlyTalkerTimers(spy);
    spy.mockRestore();
    client.close();
    expect(timers).toBe(0);
  });

  it('reset() forgets messages, sessions and greylist; close() destroys open connections', async () => {
    const server = await createMockSmtpServer();
    await transport(server).sendMail(mail);
    server.reset();
    expect(server.messages).toHaveLength(0);
    expect(server.sessions).toHaveLength(0);
    const raw = await RawSmtpClient.connect(server.port);
    await raw.reply();
    await server.close();
    await raw.closedByServer();
    await server.close(); // idempotent
  });

  it('close() leaves no socket or server handle behind', async () => {
    const handles = () =>
      process.getActiveResourcesInfo().filter((name) => name === 'TCPSocketWrap' || name === 'TCPServerWrap')
        .length;
    const before = handles();
    const server = await createMockSmtpServer();
    const idle = netConnect({ host: '127.0.0.1', port: server.port });
    await once(idle, 'connect');
    idle.resume();
    const idleClosed = once(idle, 'close');
    const secured = await RawSmtpClient.connect(server.port);
    await secured.reply();
    await secured.command('EHLO client.test');
    await secured.command('STARTTLS');
    await secured.startTls(server.ca);
    await secured.command('EHLO client.test');
    await secured.command('MAIL FROM:<a@example.test>');
    const securedClosed = secured.closedByServer();
    await server.close();
    await Promise.all([idleClosed, securedClosed]);
    expect(handles()).toBe(before);
  });

  it('runs a hundred TLS servers side by side in one process', async () => {
    const servers = await Promise.all(Array.from({ length: 100 }, () => createMockSmtpServer()));
    try {
      expect(new Set(servers.map((server) => server.port)).size).toBe(100);
      await Promise.all(
        servers.map(async (server, index) => {
          const client = await RawSmtpClient.connect(server.port);
          await client.reply();
          await client.command('EHLO client.test');
          expect((await client.command('STARTTLS'))?.code).toBe(220);
          await client.startTls(server.ca);
          await client.command('EHLO client.test');
          await client.command(`MAIL FROM:<s${index}@example.test>`);
          await client.command('RCPT TO:<x@example.test>');
          await client.command('DATA');
          expect((await client.command(`Subject: ${index}\r\n\r\nhello\r\n.`))?.code).toBe(250);
          client.close();
        }),
      );
      servers.forEach((server, index) => {
        expect(server.messages.map((message) => message.parsed.subject)).toEqual([String(index)]);
      });
    } finally {
      await Promise.all(servers.map((server) => server.close()));
    }
  });

  it.skipIf(!hasIpv6Loopback)('listens on ::1 when asked', async () => {
    await using server = await createMockSmtpServer({ host: '::1', mode: 'implicit-tls' });
    const client = await RawSmtpClient.connect(server.port, { host: '::1', tls: { ca: server.ca } });
    expect((await client.reply())?.code).toBe(220);
    client.close();
    expect(server.host).toBe('::1');
  });
});
