// tlsConnectOptions sets every security-relevant option explicitly (so process-wide defaults such as
// NODE_TLS_REJECT_UNAUTHORIZED=0 cannot weaken it) and follows RFC 6066 §3 for SNI.
import type { PeerCertificate } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { dangerousPlaintext, implicitTls, OPENSSL_CIPHER_LIST, requireStarttls } from '../index';
import { tlsConnectOptions } from './connect-options';

const PIN = 'n3dNcH43TClpDuyYl55ascxaXrI2u3vOxzdn4x6rVMo=';
const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('tlsConnectOptions', () => {
  it('sets verification, versions, ciphers, SNI and roots explicitly', () => {
    const options = tlsConnectOptions(implicitTls({ ca: CA }), {
      host: 'smtp.example.test',
      entry: 'implicit-tls',
    });
    expect(options).toMatchObject({
      host: 'smtp.example.test',
      servername: 'smtp.example.test',
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
      maxVersion: 'TLSv1.3',
      ciphers: OPENSSL_CIPHER_LIST,
      ca: [CA],
    });
    expect(typeof options.checkServerIdentity).toBe('function');
  });

  it('sends no SNI for an IP literal (RFC 6066 §3) but checks the IP', () => {
    const options = tlsConnectOptions(requireStarttls(), { host: '127.0.0.1', entry: 'starttls' });
    expect(options).not.toHaveProperty('servername');
    expect(options).not.toHaveProperty('ca');
  });

  it('uses serverName for SNI and the identity check when dialling an address', () => {
    const options = tlsConnectOptions(requireStarttls({ serverName: 'mail.example.test' }), {
      host: '192.0.2.1',
      entry: 'starttls',
    });
    expect(options.servername).toBe('mail.example.test');
    const certificate = {
      subject: { CN: 'x' },
      subjectaltname: 'DNS:mail.example.test',
    } as unknown as PeerCertificate;
    expect(options.checkServerIdentity?.('192.0.2.1', certificate)).toBeUndefined();
    expect(
      options.checkServerIdentity?.('mail.example.test', {
        ...certificate,
        subjectaltname: 'DNS:other.test',
      }),
    ).toMatchObject({
      code: 'ERR_TLS_CERT_ALTNAME_INVALID',
    });
  });

  it('refuses the subject CN fallback in its identity check (RFC 9525 §6.3)', () => {
    const options = tlsConnectOptions(implicitTls(), { host: 'mail.example.test', entry: 'implicit-tls' });
    const cnOnly = { subject: { CN: 'mail.example.test' } } as unknown as PeerCertificate;
    expect(options.checkServerIdentity?.('mail.example.test', cnOnly)?.message).toMatch(/no subjectAltName/);
  });

  it('leaves the chain verdict to the judge only for pins-only trust', () => {
    const pinsOnly = tlsConnectOptions(implicitTls({ pins: [PIN], pinsOnly: true }), {
      host: 'h.test',
      entry: 'implicit-tls',
    });
    expect(pinsOnly.rejectUnauthorized).toBe(false);
    const pinned = tlsConnectOptions(implicitTls({ pins: [PIN] }), { host: 'h.test', entry: 'implicit-tls' });
    expect(pinned.rejectUnauthorized).toBe(true);
  });

  it('passes a session for resumption', () => {
    const session = Buffer.from('ticket');
    expect(tlsConnectOptions(implicitTls(), { host: 'h.test', entry: 'implicit-tls', session }).session).toBe(
      session,
    );
  });

  it('refuses dangerous-plaintext, which has no TLS to configure', () => {
    expect(() => tlsConnectOptions(dangerousPlaintext(), { host: 'h.test', entry: 'starttls' })).toThrow(
      expect.objectContaining({ kind: 'configuration', code: 'INVALID_OPTION' }),
    );
  });

  it('normalises [IPv6] literals and absolute names before SNI and the identity check', () => {
    expect(tlsConnectOptions(implicitTls(), { host: '[::1]', entry: 'implicit-tls' })).not.toHaveProperty(
      'servername',
    );
    expect(
      tlsConnectOptions(implicitTls(), { host: 'mail.example.test.', entry: 'implicit-tls' }).servername,
    ).toBe('mail.example.test');
  });
});
