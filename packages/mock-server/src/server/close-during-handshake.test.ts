// close() must not wait for, or crash on, a connection whose TLS handshake is still running, whether
// TLS started with STARTTLS or on connect (smtp-server warns that tearing a TLS wrap down from below
// mid-handshake can crash Node).
import { once } from 'node:events';
import { connect } from 'node:net';
import { expect, it } from 'vitest';
import { createMockSmtpServer } from './create-mock-smtp-server';
import { RawSmtpClient } from './test-support/raw-client';

/** The first bytes of a TLS ClientHello record, never completed. */
const PARTIAL_CLIENT_HELLO = Buffer.from([0x16, 0x03, 0x01, 0x00, 0x50, 0x01]);

it('close() ends a connection stuck in the STARTTLS handshake', async () => {
  const server = await createMockSmtpServer();
  const client = await RawSmtpClient.connect(server.port);
  await client.reply();
  await client.command('EHLO client.test');
  expect((await client.command('STARTTLS'))?.code).toBe(220);
  client.write(PARTIAL_CLIENT_HELLO);
  const closed = client.closedByServer();
  await server.close();
  await closed;
  expect(client.closed).toBe(true);
});

it('close() right after a client connects to an implicit-TLS server does not crash Node (destroyed socket upgrade)', async () => {
  const server = await createMockSmtpServer({ mode: 'implicit-tls' });
  const socket = connect({ host: '127.0.0.1', port: server.port });
  socket.on('error', () => undefined);
  await once(socket, 'connect');
  socket.resume();
  const closed = new Promise((resolve) => socket.once('close', resolve));
  // No wait: the server has accepted the socket but not yet started the handshake.
  await server.close();
  await closed;
  expect(socket.destroyed).toBe(true);
});

it('close() ends a connection stuck in the implicit-TLS handshake', async () => {
  const server = await createMockSmtpServer({ mode: 'implicit-tls' });
  const socket = connect({ host: '127.0.0.1', port: server.port });
  socket.on('error', () => undefined);
  await once(socket, 'connect');
  socket.write(PARTIAL_CLIENT_HELLO);
  socket.resume();
  const closed = new Promise((resolve) => socket.once('close', resolve));
  await server.close();
  await closed;
  expect(socket.destroyed).toBe(true);
});
