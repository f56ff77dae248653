// Every scripted fault fires at its stage, deterministically, and steps aside after `times` uses.
// Clients: raw sockets (to see the exact reply) and nodemailer (to see what a real client makes of it).
import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { createMockSmtpServer, type MockSmtpServer } from './create-mock-smtp-server';
import { RawSmtpClient } from './test-support/raw-client';

const mail = { from: 'alice@example.test', to: 'bob@example.test', subject: 'Hello', text: 'body text' };

function send(server: MockSmtpServer, message: Record<string, unknown> = mail) {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: server.port,
    tls: { ca: server.ca },
  });
  return transport.sendMail(message);
}

/** Connects, reads the greeting and says EHLO, in plaintext. */
async function greeted(server: MockSmtpServer): Promise<RawSmtpClient> {
  const client = await RawSmtpClient.connect(server.port);
  expect((await client.reply())?.code).toBe(220);
  expect((await client.command('EHLO client.test'))?.code).toBe(250);
  return client;
}

describe('faults at each stage', () => {
  it('greeting: 554 refuses the session and closes it (RFC 5321 §3.1)', async () => {
    await using server = await createMockSmtpServer({
      faults: [{ at: 'greeting', reply: 554, text: 'go away' }],
    });
    const client = await RawSmtpClient.connect(server.port);
    expect(await client.reply()).toMatchObject({ code: 554, text: 'go away' });
    await client.closedByServer();
  });

  it('greeting: a disconnect sends nothing at all', async () => {
    await using server = await createMockSmtpServer({ faults: [{ at: 'greeting', disconnect: true }] });
    const client = await RawSmtpClient.connect(server.port);
    expect(await client.reply()).toBeNull();
  });

  it('greeting: a delay holds the 220 back for at least delayMs', async () => {
    await using server = await createMockSmtpServer({ faults: [{ at: 'greeting', delayMs: 40 }] });
    const started = performance.now();
    const client = await RawSmtpClient.connect(server.port);
    expect((await client.reply())?.code).toBe(220);
    expect(performance.now() - started).toBeGreaterThanOrEqual(39);
    client.close();
  });

  it('ehlo: 502 replaces the EHLO reply, HELO still works', async () => {
    await using server = await createMockSmtpServer({ faults: [{ at: 'ehlo', reply: 502 }] });
    const client = await RawSmtpClient.connect(server.port);
    await client.reply();
    expect(await client.command('EHLO client.test')).toMatchObject({
      code: 502,
      text: 'mock-server scripted fault at ehlo',
    });
    expect((await client.command('HELO client.test'))?.code).toBe(250);
    client.close();
  });

  it('starttls: 454 refuses TLS; what the client sends next stays in the plaintext phase', async () => {
    await using server = await createMockSmtpServer({ faults: [{ at: 'starttls', reply: 454 }] });
    const client = await greeted(server);
    expect((await client.command('STARTTLS'))?.code).toBe(454);
    expect((await client.command('MAIL FROM:<alice@example.test>'))?.code).toBe(250);
    client.close();
    const session = server.sessions[0];
    expect(session?.tls).toBeNull();
    expect(session?.bytes('client-to-server', 'plaintext').toString()).toContain(
      'MAIL FROM:<alice@example.test>',
    );
    expect(session?.mailBeforeTls).toBe(true);
  });

  it('auth: 454 is a temporary AUTH failure (RFC 4954 §6)', async () => {
    await using server = await createMockSmtpServer({
      mode: 'plaintext',
      faults: [{ at: 'auth', reply: 454 }],
    });
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: server.port,
      auth: { user: 'alice', pass: 'hunter2' },
    });
    await expect(transport.sendMail(mail)).rejects.toMatchObject({ responseCode: 454 });
  });

  it('mail: fails K times, then succeeds (retry logic)', async () => {
    await using server = await createMockSmtpServer({ faults: [{ at: 'mail', reply: 451, times: 2 }] });
    await expect(send(server)).rejects.toMatchObject({ responseCode: 451 });
    await expect(send(server)).rejects.toMatchObject({ responseCode: 451 });
    await expect(send(server)).resolves.toMatchObject({ accepted: ['bob@example.test'] });
    expect(server.messages).toHaveLength(1);
    expect(server.sessions).toHaveLength(3);
  });

  it('rcpt: a fault for one recipient leaves the others alone', async () => {
    await using server = await createMockSmtpServer({
      faults: [{ at: 'rcpt', recipient: 'Carol@Example.test', reply: 550, text: 'no such user' }],
    });
    const info = await send(server, { ...mail, to: ['bob@example.test', 'carol@example.test'] });
    expect(info.accepted).toEqual(['bob@example.test']);
    expect(info.rejected).toEqual(['carol@example.test']);
    expect(server.messages[0]?.envelope.to).toEqual(['bob@example.test']);
  });

  it('rcpt: 421 answers and closes the connection', async () => {
    await using server = await createMockSmtpServer({ faults: [{ at: 'rcpt', reply: 421 }] });
    const client = await greeted(server);
    await client.command('MAIL FROM:<alice@example.test>');
    expect((await client.command('RCPT TO:<bob@example.test>'))?.code).toBe(421);
    await client.closedByServer();
  });

  it('data: 554 replaces the 354', async () => {
    await using server = await createMockSmtpServer({ faults: [{ at: 'data', reply: 554 }] });
    await expect(send(server)).rejects.toMatchObject({ responseCode: 554 });
    expect(server.messages).toHaveLength(0);
  });

  it('data-end: 452 after the final dot; the message is not stored', async () => {
    await using server = await createMockSmtpServer({ faults: [{ at: 'data-end', reply: 452, times: 1 }] });
    await expect(send(server)).rejects.toMatchObject({ responseCode: 452 });
    expect(server.messages).toHaveLength(0);
    await send(server);
    expect(server.messages).toHaveLength(1);
  });

  it('data-end: a disconnect leaves the client without a final reply', async () => {
    await using server = await createMockSmtpServer({ faults: [{ at: 'data-end', disconnect: true }] });
    await expect(send(server)).rejects.toThrow();
    expect(server.messages).toHaveLength(0);
  });

  it('data-body: disconnects mid-body, after the given number of body bytes', async () => {
    await using server = await createMockSmtpServer({
      mode: 'plaintext',
      faults: [{ at: 'data-body', disconnect: true, afterBytes: 1000 }],
    });
    const client = await greeted(server);
    await client.command('MAIL FROM:<alice@example.test>');
    await client.command('RCPT TO:<bob@example.test>');
    expect((await client.command('DATA'))?.code).toBe(354);
    client.write(`Subject: big\r\n\r\n${'y'.repeat(2000)}\r\n`);
    await client.closedByServer();
    expect(server.messages).toHaveLength(0);
    expect(server.sessions[0]?.bytes('client-to-server', 'plaintext').toString()).toContain('Subject: big');
  });

  it('data-body: a message shorter than afterBytes does not use the fault up', async () => {
    await using server = await createMockSmtpServer({
      faults: [{ at: 'data-body', disconnect: true, afterBytes: 4000, times: 1 }],
    });
    await send(server, { ...mail, text: 'short' });
    await expect(send(server, { ...mail, text: 'z'.repeat(8000) })).rejects.toThrow();
    await send(server, { ...mail, text: 'z'.repeat(8000) });
    expect(server.messages.map((message) => message.parsed.text?.length)).toEqual([6, 8001]);
  });

  it('mail: a disconnect drops the connection without a reply', async () => {
    await using server = await createMockSmtpServer({ faults: [{ at: 'mail', disconnect: true }] });
    const client = await greeted(server);
    expect(await client.command('MAIL FROM:<alice@example.test>')).toBeNull();
  });

  it('mail: a delay alone postpones the normal reply by at least delayMs', async () => {
    await using server = await createMockSmtpServer({ faults: [{ at: 'mail', delayMs: 30 }] });
    const client = await greeted(server);
    const started = performance.now();
    expect((await client.command('MAIL FROM:<alice@example.test>'))?.code).toBe(250);
    expect(performance.now() - started).toBeGreaterThanOrEqual(29);
    client.close();
  });

  it('setFaults() replaces the script; reset() restarts the use counters', async () => {
    await using server = await createMockSmtpServer();
    server.setFaults([{ at: 'mail', reply: 451, times: 1 }]);
    await expect(send(server)).rejects.toMatchObject({ responseCode: 451 });
    await send(server);
    server.reset();
    await expect(send(server)).rejects.toMatchObject({ responseCode: 451 });
  });

  it('rejects contradictory or malformed faults up front', async () => {
    await expect(
      createMockSmtpServer({ faults: [{ at: 'mail', reply: 451, disconnect: true }] }),
    ).rejects.toMatchObject({ code: 'INVALID_OPTION' });
    await expect(createMockSmtpServer({ faults: [{ at: 'mail', reply: 99 }] })).rejects.toMatchObject({
      code: 'INVALID_OPTION',
    });
    await expect(createMockSmtpServer({ faults: [{ at: 'data-body', reply: 451 }] })).rejects.toMatchObject({
      code: 'INVALID_OPTION',
    });
    await expect(
      createMockSmtpServer({ faults: [{ at: 'mail', recipient: 'x@example.test' }] }),
    ).rejects.toMatchObject({
      code: 'INVALID_OPTION',
    });
  });
});

describe('greylisting (RFC 6647)', () => {
  it('defers the first attempt of each (ip, from, to) triple with 451 and accepts the retry', async () => {
    await using server = await createMockSmtpServer({ greylist: true });
    await expect(send(server)).rejects.toMatchObject({ responseCode: 451 });
    await expect(send(server)).resolves.toMatchObject({ accepted: ['bob@example.test'] });
    // A new recipient is a new triple.
    await expect(send(server, { ...mail, to: 'carol@example.test' })).rejects.toMatchObject({
      responseCode: 451,
    });
    // So is a new sender.
    await expect(send(server, { ...mail, from: 'dave@example.test' })).rejects.toMatchObject({
      responseCode: 451,
    });
    expect(server.messages).toHaveLength(1);
    server.reset();
    await expect(send(server)).rejects.toMatchObject({ responseCode: 451 });
  });

  it('uses the configured code and text', async () => {
    await using server = await createMockSmtpServer({ greylist: { code: 450, text: 'come back later' } });
    await expect(send(server)).rejects.toMatchObject({
      responseCode: 450,
      response: expect.stringContaining('come back later'),
    });
  });
});
