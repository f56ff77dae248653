// TLS settings pass through to Node's TLS stack, so the attack catalogue and client tests can build weak,
// strict or defective servers on the same harness. Clients verify certificates in every case.
import { X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import { type ConnectionOptions, connect, type TLSSocket } from 'node:tls';
import { describe, expect, it } from 'vitest';
import {
  createCertificateAuthority,
  issueCertificate,
  sharedCertificateAuthority,
} from '../certificates/authority';
import { createMockSmtpServer } from './create-mock-smtp-server';
import { RawSmtpClient } from './test-support/raw-client';

async function handshake(port: number, options: ConnectionOptions): Promise<TLSSocket | Error> {
  const socket = connect({ host: '127.0.0.1', port, ...options });
  try {
    await once(socket, 'secureConnect');
    return socket;
  } catch (error) {
    socket.destroy();
    return error as Error;
  }
}

describe('TLS options', () => {
  it('uses the shared run CA by default and reports it as server.ca', async () => {
    await using server = await createMockSmtpServer({ mode: 'implicit-tls' });
    expect(server.ca).toBe((await sharedCertificateAuthority()).certificatePem);
    const socket = await handshake(server.port, { ca: server.ca });
    expect(socket).not.toBeInstanceOf(Error);
    // server.certificate is the leaf the client saw, so it can be pinned.
    expect((socket as TLSSocket).getPeerX509Certificate()?.toString()).toBe(
      new X509Certificate(server.certificate).toString(),
    );
    (socket as TLSSocket).destroy();
  });

  it('presents a custom key and certificate, and a client trusting only the shared CA refuses it', async () => {
    const otherCa = await createCertificateAuthority();
    const leaf = await issueCertificate(otherCa);
    await using server = await createMockSmtpServer({
      mode: 'implicit-tls',
      tls: { key: leaf.privateKeyPem, cert: leaf.certificatePem, ca: otherCa.certificatePem },
    });
    expect(server.ca).toBe(otherCa.certificatePem);
    expect(server.certificate).toBe(leaf.certificatePem);
    const refused = await handshake(server.port, { ca: (await sharedCertificateAuthority()).certificatePem });
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error & { code?: string }).code).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    const accepted = await handshake(server.port, { ca: server.ca });
    expect(accepted).not.toBeInstanceOf(Error);
    (accepted as TLSSocket).destroy();
  });

  it('rejects a key without a certificate', async () => {
    await expect(createMockSmtpServer({ tls: { key: 'x' } })).rejects.toMatchObject({
      code: 'INVALID_OPTION',
    });
  });

  it('minVersion TLSv1.3 refuses a TLS 1.2-only client', async () => {
    await using server = await createMockSmtpServer({ mode: 'implicit-tls', tls: { minVersion: 'TLSv1.3' } });
    const refused = await handshake(server.port, { ca: server.ca, maxVersion: 'TLSv1.2' });
    expect(refused).toBeInstanceOf(Error);
  });

  it('maxVersion and ciphers build a TLS 1.2 CBC-only server, and the session records the suite', async () => {
    await using server = await createMockSmtpServer({
      tls: { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-SHA' },
    });
    const client = await RawSmtpClient.connect(server.port);
    await client.reply();
    await client.command('EHLO client.test');
    await client.command('STARTTLS');
    await client.startTls(server.ca);
    await client.command('EHLO client.test');
    client.close();
    expect(server.sessions[0]?.tls).toMatchObject({
      protocol: 'TLSv1.2',
      cipher: 'ECDHE-ECDSA-AES128-SHA',
      standardName: 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA',
    });
  });

  it('a lowered OpenSSL security level plays a TLS 1.0-only server', async () => {
    await using server = await createMockSmtpServer({
      mode: 'implicit-tls',
      tls: { minVersion: 'TLSv1', maxVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' },
    });
    const modern = await handshake(server.port, { ca: server.ca });
    expect(modern).toBeInstanceOf(Error);
    const legacy = await handshake(server.port, {
      ca: server.ca,
      minVersion: 'TLSv1',
      maxVersion: 'TLSv1',
      ciphers: 'DEFAULT@SECLEVEL=0',
    });
    expect(legacy).not.toBeInstanceOf(Error);
    expect((legacy as TLSSocket).getProtocol()).toBe('TLSv1');
    (legacy as TLSSocket).destroy();
  });
});

describe('the greeting', () => {
  it('a client that speaks before the greeting is served after it', async () => {
    await using server = await createMockSmtpServer();
    const client = await RawSmtpClient.connect(server.port);
    client.write('EHLO client.test\r\n');
    expect((await client.reply())?.code).toBe(220);
    expect((await client.reply())?.code).toBe(250);
    client.close();
  });

  it('while a greeting fault delays the 220, a client that speaks first gets 421 "You talk too soon"', async () => {
    await using server = await createMockSmtpServer({ faults: [{ at: 'greeting', delayMs: 5_000 }] });
    const client = await RawSmtpClient.connect(server.port);
    client.write('EHLO client.test\r\n');
    expect(await client.reply()).toMatchObject({
      code: 421,
      text: expect.stringContaining('You talk too soon'),
    });
    await client.closedByServer();
  });
});
