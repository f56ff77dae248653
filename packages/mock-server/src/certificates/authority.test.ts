import 'reflect-metadata';
import { X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import { connect, createServer, type TLSSocket } from 'node:tls';
import { X509Certificate as PeculiarCertificate } from '@peculiar/x509';
import { describe, expect, it } from 'vitest';
import { createCertificateAuthority, createSelfSignedCertificate, issueCertificate } from './authority';
import { spkiSha256 } from './pem';

async function handshake(
  server: { key: string; cert: string },
  client: { ca: string; host?: string; servername?: string },
): Promise<{ authorized: boolean; error: string | undefined }> {
  const tlsServer = createServer({ key: server.key, cert: server.cert, minVersion: 'TLSv1.2' }, (socket) =>
    socket.end(),
  );
  tlsServer.listen(0, '127.0.0.1');
  await once(tlsServer, 'listening');
  const address = tlsServer.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  try {
    const socket: TLSSocket = connect({
      host: client.host ?? '127.0.0.1',
      port: address.port,
      ca: client.ca,
      servername: client.servername,
      rejectUnauthorized: false,
    });
    await once(socket, 'secureConnect');
    const result = { authorized: socket.authorized, error: socket.authorizationError?.toString() };
    socket.destroy();
    return result;
  } finally {
    tlsServer.close();
  }
}

describe('certificates generated for the run', () => {
  it('issues an ECDSA leaf for 127.0.0.1 that verifies against its CA in a real handshake', async () => {
    const authority = await createCertificateAuthority();
    const leaf = await issueCertificate(authority);
    const parsed = new X509Certificate(leaf.certificatePem);
    expect(parsed.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(parsed.checkIssued(new X509Certificate(authority.certificatePem))).toBe(true);
    const result = await handshake(
      { key: leaf.privateKeyPem, cert: leaf.certificatePem },
      { ca: authority.certificatePem },
    );
    expect(result).toEqual({ authorized: true, error: undefined });
  });

  it('a leaf from another CA is not trusted', async () => {
    const trusted = await createCertificateAuthority();
    const other = await createCertificateAuthority();
    const leaf = await issueCertificate(other);
    const result = await handshake(
      { key: leaf.privateKeyPem, cert: leaf.certificatePem },
      { ca: trusted.certificatePem },
    );
    expect(result.authorized).toBe(false);
  });

  it('issues expired, RSA-1024, SHA-1 and SAN-less leaves on request', async () => {
    const authority = await createCertificateAuthority();
    const expired = await issueCertificate(authority, {
      notBefore: new Date(Date.now() - 10 * 86_400_000),
      notAfter: new Date(Date.now() - 86_400_000),
    });
    expect(new Date(new X509Certificate(expired.certificatePem).validTo).getTime()).toBeLessThan(Date.now());
    const weak = await issueCertificate(authority, { keyType: 'rsa-1024' });
    expect(new X509Certificate(weak.certificatePem).publicKey.asymmetricKeyDetails?.modulusLength).toBe(1024);
    const sha1 = await issueCertificate(authority, { signatureHash: 'SHA-1' });
    expect(new PeculiarCertificate(sha1.certificatePem).signatureAlgorithm.hash.name).toBe('SHA-1');
    const cnOnly = await issueCertificate(authority, { subjectAltName: false, commonName: '127.0.0.1' });
    expect(new X509Certificate(cnOnly.certificatePem).subjectAltName).toBeUndefined();
  });

  it('pins are base64 SHA-256 of the SPKI and differ per key', async () => {
    const first = await createSelfSignedCertificate();
    const second = await createSelfSignedCertificate();
    expect(first.spkiSha256).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(spkiSha256(first.certificatePem)).toBe(first.spkiSha256);
    expect(first.spkiSha256).not.toBe(second.spkiSha256);
  });
});
